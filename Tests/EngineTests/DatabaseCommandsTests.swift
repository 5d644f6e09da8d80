import Engine
import Testing

/// DBSIZE FLUSHDB FLUSHALL SWAPDB, with replies checked byte for byte against Redis 7.0.
@Suite struct DatabaseCommandsTests {
    @Test func dbsizeCountsKeysNotYetReaped() {
        let e = Engine()
        #expect(e.reply("DBSIZE") == ":0\r\n")
        e.seedKey("a", "1")
        e.seedKey("b", "2", px: 10)
        e.seedKey("c", "3", db: 1)
        #expect(e.reply("DBSIZE") == ":2\r\n")
        e.advanceClock(100)
        #expect(e.reply("DBSIZE") == ":2\r\n")
        #expect(e.reply("EXISTS", "b") == ":0\r\n")
        #expect(e.reply("DBSIZE") == ":1\r\n")
        _ = e.reply("SELECT", "1")
        #expect(e.reply("DBSIZE") == ":1\r\n")
        #expect(e.reply("DBSIZE", "x") == "-ERR wrong number of arguments for 'dbsize' command\r\n")
    }

    @Test func flushdb() {
        let e = Engine()
        e.seedKey("a", "1")
        e.seedKey("b", "2", px: 100000)
        e.seedKey("c", "3", db: 1)
        #expect(e.reply("FLUSHDB", "foo") == "-ERR syntax error\r\n")
        #expect(e.reply("FLUSHDB", "ASYNC", "SYNC") == "-ERR syntax error\r\n")
        #expect(e.reply("DBSIZE") == ":2\r\n")
        #expect(e.reply("FLUSHDB") == "+OK\r\n")
        #expect(e.reply("DBSIZE") == ":0\r\n")
        e.seedKey("a", "1")
        #expect(e.reply("FLUSHDB", "async") == "+OK\r\n")
        e.seedKey("a", "1")
        #expect(e.reply("flushdb", "Sync") == "+OK\r\n")
        #expect(e.reply("DBSIZE") == ":0\r\n")
        _ = e.reply("SELECT", "1")
        #expect(e.reply("DBSIZE") == ":1\r\n")
    }

    @Test func flushall() {
        let e = Engine()
        e.seedKey("a", "1")
        e.seedKey("c", "3", db: 1)
        e.seedKey("d", "4", db: 15)
        #expect(e.reply("FLUSHALL", "foo") == "-ERR syntax error\r\n")
        #expect(e.reply("FLUSHALL", "a", "b") == "-ERR syntax error\r\n")
        #expect(e.reply("FLUSHALL", "ASYNC") == "+OK\r\n")
        #expect(e.reply("DBSIZE") == ":0\r\n")
        _ = e.reply("SELECT", "15")
        #expect(e.reply("DBSIZE") == ":0\r\n")
        e.seedKey("a", "1")
        #expect(e.reply("FLUSHALL", "sync") == "+OK\r\n")
        #expect(e.reply("FLUSHALL") == "+OK\r\n")
        #expect(e.reply("DBSIZE") == ":0\r\n")
    }

    @Test func swapdbErrors() {
        let e = Engine()
        #expect(e.reply("SWAPDB", "0", "16") == "-ERR DB index is out of range\r\n")
        #expect(e.reply("SWAPDB", "-1", "0") == "-ERR DB index is out of range\r\n")
        #expect(e.reply("SWAPDB", "abc", "1") == "-ERR invalid first DB index\r\n")
        #expect(e.reply("SWAPDB", "abc", "abc") == "-ERR invalid first DB index\r\n")
        #expect(e.reply("SWAPDB", "2147483648", "0") == "-ERR invalid first DB index\r\n")
        #expect(e.reply("SWAPDB", "0", "abc") == "-ERR invalid second DB index\r\n")
        #expect(e.reply("SWAPDB", "16", "abc") == "-ERR invalid second DB index\r\n")
        #expect(e.reply("SWAPDB", "0", "-2147483649") == "-ERR invalid second DB index\r\n")
        #expect(e.reply("SWAPDB", "0") == "-ERR wrong number of arguments for 'swapdb' command\r\n")
    }

    @Test func swapdbExchangesContentsNotSelection() {
        let e = Engine()
        e.seedKey("zero", "0")
        e.seedKey("one", "1", px: 100000, db: 1)
        #expect(e.reply("SWAPDB", "0", "0") == "+OK\r\n")
        #expect(e.reply("EXISTS", "zero") == ":1\r\n")
        #expect(e.reply("SWAPDB", "1", "0") == "+OK\r\n")
        #expect(e.reply("EXISTS", "zero", "one") == ":1\r\n")
        #expect(e.reply("PTTL", "one") == ":100000\r\n")
        _ = e.reply("SELECT", "1")
        #expect(e.reply("KEYS", "*") == "*1\r\n$4\r\nzero\r\n")
    }

    @Test func commandTableEntries() {
        let table = CommandTable(EngineCommands.all)
        let expected: [(String, Int, CommandFlags, [String])] = [
            ("dbsize", 1, [.readonly, .fast], ["keyspace", "read", "fast"]),
            ("flushdb", -1, [.write], ["keyspace", "write", "slow", "dangerous"]),
            ("flushall", -1, [.write], ["keyspace", "write", "slow", "dangerous"]),
            ("swapdb", 3, [.write, .fast], ["keyspace", "write", "fast", "dangerous"]),
        ]
        for (name, arity, flags, categories) in expected {
            guard let command = table.command(named: name) else {
                Issue.record("missing \(name)")
                continue
            }
            #expect(command.spec.arity == arity, "\(name)")
            #expect(command.spec.flags == flags, "\(name)")
            #expect(command.spec.firstKey == 0 && command.spec.lastKey == 0, "\(name)")
            #expect(command.docs.group == "server", "\(name)")
            #expect(command.docs.aclCategories == categories, "\(name)")
        }
    }
}
