@testable import Engine
import RESP
import Testing

/// The generic key family (DEL … OBJECT), with replies checked byte for byte against Redis 7.0.
/// Keys are seeded straight into the keyspace (`KeyTestSupport.swift`); the engine's clock
/// starts at Unix time 1700000000000 ms, so absolute times below are relative to it.
/// (Only strings exist yet: type-specific paths are tested when more types arrive.)
@Suite struct KeyCommandsTests {
    @Test func delAndUnlink() {
        let e = Engine()
        e.seedKey("a", "1")
        e.seedKey("b", "2")
        e.seedKey("c", "3")
        #expect(e.reply("DEL", "a", "b", "nokey", "a") == ":2\r\n")
        #expect(e.reply("EXISTS", "a", "b") == ":0\r\n")
        #expect(e.reply("UNLINK", "c", "nokey") == ":1\r\n")
        #expect(e.reply("DBSIZE") == ":0\r\n")
        #expect(e.reply("DEL") == "-ERR wrong number of arguments for 'del' command\r\n")
        #expect(e.reply("UNLINK") == "-ERR wrong number of arguments for 'unlink' command\r\n")
    }

    @Test func delDoesNotCountAnExpiredKey() {
        let e = Engine()
        e.seedKey("gone", "v", px: 100)
        e.seedKey("here", "v", px: 100000)
        e.advanceClock(300)
        #expect(e.reply("DBSIZE") == ":2\r\n")
        #expect(e.reply("DEL", "gone", "here") == ":1\r\n")
        #expect(e.reply("DBSIZE") == ":0\r\n")
    }

    @Test func existsAndTouch() {
        let e = Engine()
        e.seedKey("k", "v")
        #expect(e.reply("EXISTS", "k", "k", "nokey") == ":2\r\n")
        #expect(e.keyspaceStats == "hits=2 misses=1")
        #expect(e.reply("TOUCH", "k", "nokey", "k") == ":2\r\n")
        #expect(e.keyspaceStats == "hits=4 misses=2")
        #expect(e.reply("EXISTS") == "-ERR wrong number of arguments for 'exists' command\r\n")
        #expect(e.reply("TOUCH") == "-ERR wrong number of arguments for 'touch' command\r\n")
    }

    @Test func type() {
        let e = Engine()
        e.seedKey("s", "hello")
        e.seedKey("i", "12")
        #expect(e.reply("TYPE", "s") == "+string\r\n")
        #expect(e.reply("TYPE", "i") == "+string\r\n")
        #expect(e.reply("TYPE", "nokey") == "+none\r\n")
        #expect(e.keyspaceStats == "hits=2 misses=1")
        _ = e.reply("HELLO", "3")
        #expect(e.reply("TYPE", "s") == "+string\r\n")
        #expect(e.reply("TYPE", "nokey") == "+none\r\n")
        #expect(e.reply("TYPE") == "-ERR wrong number of arguments for 'type' command\r\n")
        #expect(e.reply("TYPE", "a", "b") == "-ERR wrong number of arguments for 'type' command\r\n")
    }

    @Test func expireOptionErrors() {
        let e = Engine()
        e.seedKey("k", "v")
        let nxAndOthers = "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n"
        #expect(e.reply("EXPIRE", "k", "100", "NX", "XX") == nxAndOthers)
        #expect(e.reply("EXPIRE", "k", "100", "nx", "gt") == nxAndOthers)
        #expect(e.reply("PEXPIRE", "k", "100", "LT", "NX") == nxAndOthers)
        #expect(e.reply("EXPIRE", "nokey", "100", "NX", "XX") == nxAndOthers)
        #expect(e.reply("EXPIREAT", "k", "100", "GT", "LT") == "-ERR GT and LT options at the same time are not compatible\r\n")
        #expect(e.reply("PEXPIREAT", "k", "100", "gt", "xx", "lt") == "-ERR GT and LT options at the same time are not compatible\r\n")
        #expect(e.reply("EXPIRE", "k", "100", "foo") == "-ERR Unsupported option foo\r\n")
        #expect(e.reply("EXPIRE", "k", "abc", "foo") == "-ERR Unsupported option foo\r\n")
        #expect(e.reply("EXPIRE", "k", "abc") == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("EXPIRE", "k", "1.5") == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("EXPIRE", "nokey", "abc") == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("EXPIRE", "k") == "-ERR wrong number of arguments for 'expire' command\r\n")
        #expect(e.reply("PEXPIREAT", "k") == "-ERR wrong number of arguments for 'pexpireat' command\r\n")
        #expect(e.reply("TTL", "k") == ":-1\r\n")
    }

    @Test func expireConditions() {
        let e = Engine()
        e.seedKey("k", "v")
        #expect(e.reply("EXPIRE", "nokey", "100") == ":0\r\n")
        #expect(e.reply("EXPIRE", "k", "100", "XX") == ":0\r\n")
        #expect(e.reply("EXPIRE", "k", "100", "XX", "GT") == ":0\r\n")
        #expect(e.reply("EXPIRE", "k", "100", "GT") == ":0\r\n")
        #expect(e.reply("EXPIRE", "k", "100", "NX", "nx") == ":1\r\n")
        #expect(e.reply("EXPIRE", "k", "100", "NX") == ":0\r\n")
        #expect(e.reply("EXPIRE", "k", "99", "GT") == ":0\r\n")
        #expect(e.reply("EXPIRE", "k", "200", "GT") == ":1\r\n")
        #expect(e.reply("TTL", "k") == ":200\r\n")
        #expect(e.reply("EXPIRE", "k", "300", "LT") == ":0\r\n")
        #expect(e.reply("EXPIRE", "k", "50", "lt", "XX") == ":1\r\n")
        #expect(e.reply("TTL", "k") == ":50\r\n")
        #expect(e.reply("PERSIST", "k") == ":1\r\n")
        #expect(e.reply("EXPIRE", "k", "50", "GT") == ":0\r\n")
        #expect(e.reply("EXPIRE", "k", "50", "LT") == ":1\r\n")
        #expect(e.reply("TTL", "k") == ":50\r\n")
        #expect(e.keyspaceStats == "hits=3 misses=0")
    }

    @Test func expireOverflow() {
        let e = Engine()
        e.seedKey("k", "v")
        #expect(e.reply("EXPIRE", "k", "9223372036854775807") == "-ERR invalid expire time in 'expire' command\r\n")
        #expect(e.reply("EXPIRE", "k", "9223372036854775") == "-ERR invalid expire time in 'expire' command\r\n")
        #expect(e.reply("EXPIRE", "k", "9223372036854774") == "-ERR invalid expire time in 'expire' command\r\n")
        #expect(e.reply("EXPIRE", "k", "-9223372036854776") == "-ERR invalid expire time in 'expire' command\r\n")
        #expect(e.reply("PEXPIRE", "k", "9223372036854775807") == "-ERR invalid expire time in 'pexpire' command\r\n")
        #expect(e.reply("EXPIREAT", "k", "9223372036854775807") == "-ERR invalid expire time in 'expireat' command\r\n")
        #expect(e.reply("ExpireAt", "k", "-9223372036854776") == "-ERR invalid expire time in 'expireat' command\r\n")
        #expect(e.reply("TTL", "k") == ":-1\r\n")
        #expect(e.reply("EXPIRE", "k", "9223372036854") == ":1\r\n")
        #expect(e.reply("EXPIREAT", "k", "9223372036854775") == ":1\r\n")
        #expect(e.reply("PEXPIRETIME", "k") == ":9223372036854775000\r\n")
        #expect(e.reply("PEXPIREAT", "k", "9223372036854775807") == ":1\r\n")
        #expect(e.reply("PEXPIRETIME", "k") == ":9223372036854775807\r\n")
        #expect(e.reply("EXPIRETIME", "k") == ":9223372036854776\r\n")
        #expect(e.reply("PEXPIREAT", "k", "9223372036854775308") == ":1\r\n")
        #expect(e.reply("EXPIRETIME", "k") == ":9223372036854775\r\n")
    }

    @Test func expireInThePastDeletes() {
        let e = Engine()
        e.seedKey("a", "v")
        e.seedKey("b", "v")
        e.seedKey("c", "v")
        e.seedKey("d", "v")
        e.seedKey("e", "v")
        #expect(e.reply("EXPIRE", "a", "0") == ":1\r\n")
        #expect(e.reply("PEXPIRE", "b", "-9223372036854775808") == ":1\r\n")
        #expect(e.reply("EXPIREAT", "c", "1") == ":1\r\n")
        #expect(e.reply("EXPIRE", "d", "-9223372036854775") == ":1\r\n")
        #expect(e.reply("PEXPIREAT", "e", "1700000000000") == ":1\r\n")
        #expect(e.reply("DBSIZE") == ":0\r\n")
        #expect(e.reply("EXPIRE", "a", "0") == ":0\r\n")
    }

    @Test func timeToLive() {
        let e = Engine()
        e.seedKey("p", "v")
        e.seedKey("k", "v", px: 100000)
        #expect(e.reply("TTL", "nokey") == ":-2\r\n")
        #expect(e.reply("PTTL", "nokey") == ":-2\r\n")
        #expect(e.reply("EXPIRETIME", "nokey") == ":-2\r\n")
        #expect(e.reply("PEXPIRETIME", "nokey") == ":-2\r\n")
        #expect(e.reply("TTL", "p") == ":-1\r\n")
        #expect(e.reply("PTTL", "p") == ":-1\r\n")
        #expect(e.reply("EXPIRETIME", "p") == ":-1\r\n")
        #expect(e.reply("PEXPIRETIME", "p") == ":-1\r\n")
        #expect(e.reply("TTL", "k") == ":100\r\n")
        #expect(e.reply("PTTL", "k") == ":100000\r\n")
        #expect(e.reply("EXPIRETIME", "k") == ":1700000100\r\n")
        #expect(e.reply("PEXPIRETIME", "k") == ":1700000100000\r\n")
        #expect(e.reply("PEXPIREAT", "k", "1700000001600") == ":1\r\n")
        #expect(e.reply("TTL", "k") == ":2\r\n")
        #expect(e.reply("EXPIRETIME", "k") == ":1700000002\r\n")
        #expect(e.reply("PEXPIRE", "k", "1499") == ":1\r\n")
        #expect(e.reply("TTL", "k") == ":1\r\n")
        #expect(e.reply("PEXPIRE", "k", "499") == ":1\r\n")
        #expect(e.reply("TTL", "k") == ":0\r\n")
        #expect(e.reply("EXPIREAT", "k", "1700000100") == ":1\r\n")
        #expect(e.reply("PEXPIRETIME", "k") == ":1700000100000\r\n")
        #expect(e.keyspaceStats == "hits=13 misses=4")
        #expect(e.reply("TTL") == "-ERR wrong number of arguments for 'ttl' command\r\n")
        #expect(e.reply("PEXPIRETIME", "a", "b") == "-ERR wrong number of arguments for 'pexpiretime' command\r\n")
    }

    @Test func expiredKeysAreGone() {
        let e = Engine()
        e.seedKey("k", "v", px: 1000)
        e.advanceClock(600)
        #expect(e.reply("PTTL", "k") == ":400\r\n")
        #expect(e.reply("TTL", "k") == ":0\r\n")
        e.advanceClock(600)
        #expect(e.reply("TTL", "k") == ":-2\r\n")
        #expect(e.reply("EXISTS", "k") == ":0\r\n")
        #expect(e.reply("EXPIRE", "k", "100") == ":0\r\n")
        #expect(e.reply("PERSIST", "k") == ":0\r\n")
    }

    @Test func persist() {
        let e = Engine()
        e.seedKey("k", "v", px: 100000)
        e.seedKey("p", "v")
        #expect(e.reply("PERSIST", "k") == ":1\r\n")
        #expect(e.reply("PERSIST", "k") == ":0\r\n")
        #expect(e.reply("PERSIST", "p") == ":0\r\n")
        #expect(e.reply("PERSIST", "nokey") == ":0\r\n")
        #expect(e.reply("TTL", "k") == ":-1\r\n")
        #expect(e.reply("PERSIST") == "-ERR wrong number of arguments for 'persist' command\r\n")
    }

    @Test func keys() {
        let e = Engine()
        #expect(e.reply("KEYS", "*") == "*0\r\n")
        e.seedKey("alpha", "1")
        e.seedKey("beta", "2")
        e.seedKey("gamma", "3")
        e.seedKey("gone", "4", px: 100)
        e.advanceClock(200)
        #expect(e.reply("KEYS", "a*") == "*1\r\n$5\r\nalpha\r\n")
        #expect(e.reply("KEYS", "g*") == "*1\r\n$5\r\ngamma\r\n")
        #expect(e.reply("KEYS", "?eta") == "*1\r\n$4\r\nbeta\r\n")
        #expect(e.reply("KEYS", "[^ab]*") == "*1\r\n$5\r\ngamma\r\n")
        #expect(e.reply("KEYS", "nomatch*") == "*0\r\n")
        #expect(KeyReplies.bulks(e.reply("KEYS", "*")).sorted() == ["alpha", "beta", "gamma"])
        #expect(KeyReplies.bulks(e.reply("KEYS", "*a")).sorted() == ["alpha", "beta", "gamma"])
        #expect(e.reply("DBSIZE") == ":4\r\n")
        #expect(e.keyspaceStats == "hits=0 misses=0")
        #expect(e.reply("KEYS") == "-ERR wrong number of arguments for 'keys' command\r\n")
        #expect(e.reply("KEYS", "a", "b") == "-ERR wrong number of arguments for 'keys' command\r\n")
    }

    /// A lone `*` skips matching, so it lists the empty key; `**` goes through the matcher, where
    /// a star needs at least one byte when it is all that is left.
    @Test func starAloneMatchesTheEmptyKey() {
        let e = Engine()
        e.seedKey("", "v")
        #expect(e.reply("KEYS", "*") == "*1\r\n$0\r\n\r\n")
        #expect(e.reply("KEYS", "**") == "*0\r\n")
        #expect(e.reply("SCAN", "0", "MATCH", "*") == "*2\r\n$1\r\n0\r\n*1\r\n$0\r\n\r\n")
        #expect(e.reply("SCAN", "0", "MATCH", "**") == "*2\r\n$1\r\n0\r\n*0\r\n")
    }

    @Test func scanArguments() {
        let e = Engine()
        #expect(e.reply("SCAN", "0") == "*2\r\n$1\r\n0\r\n*0\r\n")
        e.seedKey("k", "v")
        let one = "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n"
        #expect(e.reply("SCAN", "0") == one)
        #expect(e.reply("SCAN", "0", "MATCH", "k", "COUNT", "10", "TYPE", "string") == one)
        #expect(e.reply("scan", "0", "match", "x", "match", "*") == one)
        #expect(e.reply("SCAN", "0", "type", "STRING") == one)
        #expect(e.reply("SCAN", "0", "TYPE", "list") == "*2\r\n$1\r\n0\r\n*0\r\n")
        #expect(e.reply("SCAN", "0", "TYPE", "nosuchtype") == "*2\r\n$1\r\n0\r\n*0\r\n")
        #expect(e.reply("SCAN", "0", "MATCH", "x*") == "*2\r\n$1\r\n0\r\n*0\r\n")
        #expect(e.reply("SCAN", "0", "COUNT", "0") == "-ERR syntax error\r\n")
        #expect(e.reply("SCAN", "0", "COUNT", "-1") == "-ERR syntax error\r\n")
        #expect(e.reply("SCAN", "0", "COUNT", "abc") == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("SCAN", "0", "MATCH") == "-ERR syntax error\r\n")
        #expect(e.reply("SCAN", "0", "foo", "bar") == "-ERR syntax error\r\n")
        #expect(e.reply("SCAN", "abc", "COUNT", "0") == "-ERR invalid cursor\r\n")
        #expect(e.reply("SCAN", "1.0") == "-ERR invalid cursor\r\n")
        #expect(e.reply("SCAN", " 1") == "-ERR invalid cursor\r\n")
        #expect(e.reply("SCAN", "-") == "-ERR invalid cursor\r\n")
        #expect(e.reply("SCAN", "0x1") == "-ERR invalid cursor\r\n")
        #expect(e.reply("SCAN", "18446744073709551616") == "-ERR invalid cursor\r\n")
        #expect(e.reply("SCAN", "-18446744073709551616") == "-ERR invalid cursor\r\n")
        #expect(e.reply("SCAN", "") == one)
        #expect(e.reply("SCAN", "-0") == one)
        #expect(e.reply("SCAN", "+0") == one)
        #expect(e.reply("SCAN", "00") == one)
        #expect(e.reply("SCAN") == "-ERR wrong number of arguments for 'scan' command\r\n")
        #expect(e.keyspaceStats == "hits=4 misses=0")
    }

    @Test func scanCursorGrammar() {
        func cursor(_ text: String) -> UInt64? {
            var text = text
            return text.withUTF8 { KeyCommands.parseCursor(ByteView(base: $0.baseAddress!, count: $0.count)) }
        }
        #expect(cursor("0") == 0)
        #expect(cursor("") == 0)
        #expect(cursor("-0") == 0)
        #expect(cursor("+17") == 17)
        #expect(cursor("007") == 7)
        #expect(cursor("18446744073709551615") == UInt64.max)
        #expect(cursor("-1") == UInt64.max)
        #expect(cursor("-18446744073709551615") == 1)
        #expect(cursor("5\u{0}junk") == 5)
        #expect(cursor("18446744073709551616") == nil)
        #expect(cursor("99999999999999999999999") == nil)
        #expect(cursor("\t1") == nil)
        #expect(cursor("1 ") == nil)
        #expect(cursor("+") == nil)
        #expect(cursor("--1") == nil)
    }

    @Test func scanWalksEveryKey() {
        let e = Engine()
        var expected: [String] = []
        for index in 0..<50 {
            e.seedKey("key:\(index)", "\(index)")
            expected.append("key:\(index)")
        }
        for count in ["1", "7", "10", "1000"] {
            var seen: [String] = []
            var cursor = "0"
            repeat {
                let (next, keys) = KeyReplies.scanPage(e.reply("SCAN", cursor, "COUNT", count))
                seen += keys
                cursor = next
            } while cursor != "0"
            #expect(Set(seen) == Set(expected))
        }
        var matched: [String] = []
        var cursor = "0"
        repeat {
            let (next, keys) = KeyReplies.scanPage(e.reply("SCAN", cursor, "MATCH", "key:1*"))
            matched += keys
            cursor = next
        } while cursor != "0"
        #expect(Set(matched) == Set(expected.filter { $0.hasPrefix("key:1") }))
    }

    /// Redis reaps expired keys it meets; with TYPE, the type lookup reaps them first and calls
    /// them "none", so `TYPE none` lists them.
    @Test func scanAndExpiredKeys() {
        let e = Engine()
        e.seedKey("live", "1")
        e.seedKey("gone", "2", px: 1)
        e.advanceClock(50)
        #expect(e.reply("SCAN", "0", "MATCH", "l*") == "*2\r\n$1\r\n0\r\n*1\r\n$4\r\nlive\r\n")
        #expect(e.reply("DBSIZE") == ":2\r\n")
        #expect(e.reply("SCAN", "0", "MATCH", "g*") == "*2\r\n$1\r\n0\r\n*0\r\n")
        #expect(e.reply("DBSIZE") == ":1\r\n")
        #expect(e.reply("SCAN", "0") == "*2\r\n$1\r\n0\r\n*1\r\n$4\r\nlive\r\n")
        #expect(e.reply("DBSIZE") == ":1\r\n")
        e.seedKey("gone", "2", px: 1)
        e.advanceClock(50)
        #expect(e.reply("SCAN", "0", "TYPE", "none") == "*2\r\n$1\r\n0\r\n*1\r\n$4\r\ngone\r\n")
        #expect(e.reply("DBSIZE") == ":1\r\n")
        #expect(e.keyspaceStats == "hits=1 misses=1")
    }

    @Test func randomkey() {
        let e = Engine()
        #expect(e.reply("RANDOMKEY") == "$-1\r\n")
        e.seedKey("only", "v")
        #expect(e.reply("RANDOMKEY") == "$4\r\nonly\r\n")
        e.seedKey("gone", "v", px: 10)
        _ = e.reply("DEL", "only")
        e.advanceClock(100)
        #expect(e.reply("RANDOMKEY") == "$-1\r\n")
        #expect(e.reply("DBSIZE") == ":0\r\n")
        _ = e.reply("HELLO", "3")
        #expect(e.reply("RANDOMKEY") == "_\r\n")
        #expect(e.reply("RANDOMKEY", "x") == "-ERR wrong number of arguments for 'randomkey' command\r\n")
    }

    @Test func rename() {
        let e = Engine()
        e.seedKey("a", "1", px: 100000)
        e.seedKey("b", "hello")
        e.seedKey("c", "x", px: 5000)
        #expect(e.reply("RENAME", "nokey", "x") == "-ERR no such key\r\n")
        #expect(e.reply("RENAME", "nokey", "nokey") == "-ERR no such key\r\n")
        #expect(e.reply("RENAME", "b", "b") == "+OK\r\n")
        #expect(e.reply("RENAME", "a", "z") == "+OK\r\n")
        #expect(e.reply("EXISTS", "a") == ":0\r\n")
        #expect(e.reply("PTTL", "z") == ":100000\r\n")
        #expect(e.reply("OBJECT", "ENCODING", "z") == "$3\r\nint\r\n")
        #expect(e.reply("RENAME", "b", "c") == "+OK\r\n")
        #expect(e.reply("TTL", "c") == ":-1\r\n")
        #expect(e.reply("DBSIZE") == ":2\r\n")
        #expect(e.keyspaceStats == "hits=3 misses=1")
        #expect(e.reply("RENAME", "a") == "-ERR wrong number of arguments for 'rename' command\r\n")
    }

    @Test func renamenx() {
        let e = Engine()
        e.seedKey("a", "1")
        e.seedKey("b", "2")
        #expect(e.reply("RENAMENX", "nokey", "x") == "-ERR no such key\r\n")
        #expect(e.reply("RENAMENX", "nokey", "nokey") == "-ERR no such key\r\n")
        #expect(e.reply("RENAMENX", "a", "a") == ":0\r\n")
        #expect(e.reply("RENAMENX", "a", "b") == ":0\r\n")
        #expect(e.reply("RENAMENX", "a", "c") == ":1\r\n")
        #expect(e.reply("EXISTS", "a", "b", "c") == ":2\r\n")
        #expect(e.reply("RENAMENX", "a", "b", "c") == "-ERR wrong number of arguments for 'renamenx' command\r\n")
    }

    @Test func renameOntoAnExpiredKey() {
        let e = Engine()
        e.seedKey("a", "1")
        e.seedKey("b", "2", px: 10)
        e.advanceClock(100)
        #expect(e.reply("RENAMENX", "a", "b") == ":1\r\n")
        #expect(e.reply("TTL", "b") == ":-1\r\n")
    }

    @Test func copy() {
        let e = Engine()
        e.seedKey("src", "value", px: 100000)
        e.seedKey("n", "42")
        e.seedRawKey("r", "raw")
        e.seedKey("taken", "old")
        #expect(e.reply("COPY", "src", "src") == "-ERR source and destination objects are the same\r\n")
        #expect(e.reply("COPY", "src", "src", "DB", "0") == "-ERR source and destination objects are the same\r\n")
        #expect(e.reply("COPY", "nokey", "x") == ":0\r\n")
        #expect(e.reply("COPY", "src", "taken") == ":0\r\n")
        #expect(e.reply("COPY", "src", "taken", "REPLACE") == ":1\r\n")
        #expect(e.reply("PTTL", "taken") == ":100000\r\n")
        #expect(e.reply("COPY", "n", "n2") == ":1\r\n")
        #expect(e.reply("OBJECT", "ENCODING", "n2") == "$3\r\nint\r\n")
        #expect(e.reply("COPY", "r", "r2") == ":1\r\n")
        #expect(e.reply("OBJECT", "ENCODING", "r2") == "$3\r\nraw\r\n")
        #expect(e.reply("COPY", "src", "src", "db", "1") == ":1\r\n")
        #expect(e.reply("COPY", "n", "src", "DB", "1", "replace", "DB", "2") == ":1\r\n")
        #expect(e.reply("EXISTS", "src") == ":1\r\n")
        #expect(e.keyspaceStats == "hits=10 misses=1")
        _ = e.reply("SELECT", "1")
        #expect(e.reply("PTTL", "src") == ":100000\r\n")
        _ = e.reply("SELECT", "2")
        #expect(e.reply("TTL", "src") == ":-1\r\n")
        _ = e.reply("SELECT", "0")
        #expect(e.reply("COPY", "src", "x", "DB", "16") == "-ERR DB index is out of range\r\n")
        #expect(e.reply("COPY", "src", "x", "DB", "-1") == "-ERR DB index is out of range\r\n")
        #expect(e.reply("COPY", "src", "x", "DB", "abc") == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("COPY", "src", "x", "DB", "2147483648") == "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n")
        #expect(e.reply("COPY", "src", "x", "DB") == "-ERR syntax error\r\n")
        #expect(e.reply("COPY", "src", "x", "foo") == "-ERR syntax error\r\n")
        #expect(e.reply("COPY", "src", "src", "foo") == "-ERR syntax error\r\n")
        #expect(e.reply("COPY", "src") == "-ERR wrong number of arguments for 'copy' command\r\n")
    }

    @Test func move() {
        let e = Engine()
        e.seedKey("k", "v", px: 100000)
        e.seedKey("dup", "here")
        e.seedKey("dup", "there", db: 1)
        #expect(e.reply("MOVE", "k", "0") == "-ERR source and destination objects are the same\r\n")
        #expect(e.reply("MOVE", "nokey", "0") == "-ERR source and destination objects are the same\r\n")
        #expect(e.reply("MOVE", "k", "16") == "-ERR DB index is out of range\r\n")
        #expect(e.reply("MOVE", "k", "-1") == "-ERR DB index is out of range\r\n")
        #expect(e.reply("MOVE", "k", "abc") == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("MOVE", "k", "2147483648") == "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n")
        #expect(e.reply("MOVE", "nokey", "1") == ":0\r\n")
        #expect(e.reply("MOVE", "dup", "1") == ":0\r\n")
        #expect(e.reply("MOVE", "k", "1") == ":1\r\n")
        #expect(e.reply("EXISTS", "k") == ":0\r\n")
        _ = e.reply("SELECT", "1")
        #expect(e.reply("PTTL", "k") == ":100000\r\n")
        #expect(e.reply("MOVE", "k") == "-ERR wrong number of arguments for 'move' command\r\n")
    }

    @Test func objectEncodingAndRefcount() {
        let e = Engine()
        e.seedKey("small", "9999")
        e.seedKey("zero", "0")
        e.seedKey("large", "10000")
        e.seedKey("negative", "-5")
        e.seedKey("text", "hello")
        e.seedKey("padded", "0123")
        e.seedKey("long", String(repeating: "x", count: 45))
        e.seedRawKey("raw", "5")
        #expect(e.reply("OBJECT", "ENCODING", "small") == "$3\r\nint\r\n")
        #expect(e.reply("object", "encoding", "text") == "$6\r\nembstr\r\n")
        #expect(e.reply("OBJECT", "ENCODING", "padded") == "$6\r\nembstr\r\n")
        #expect(e.reply("OBJECT", "ENCODING", "long") == "$3\r\nraw\r\n")
        #expect(e.reply("OBJECT", "ENCODING", "raw") == "$3\r\nraw\r\n")
        #expect(e.reply("OBJECT", "ENCODING", "nokey") == "$-1\r\n")
        #expect(e.reply("OBJECT", "REFCOUNT", "small") == ":2147483647\r\n")
        #expect(e.reply("OBJECT", "REFCOUNT", "zero") == ":2147483647\r\n")
        #expect(e.reply("OBJECT", "REFCOUNT", "large") == ":1\r\n")
        #expect(e.reply("OBJECT", "REFCOUNT", "negative") == ":1\r\n")
        #expect(e.reply("OBJECT", "REFCOUNT", "text") == ":1\r\n")
        #expect(e.reply("OBJECT", "REFCOUNT", "raw") == ":1\r\n")
        #expect(e.reply("OBJECT", "REFCOUNT", "nokey") == "$-1\r\n")
        #expect(e.keyspaceStats == "hits=11 misses=2")
        _ = e.reply("HELLO", "3")
        #expect(e.reply("OBJECT", "ENCODING", "nokey") == "_\r\n")
        #expect(e.reply("OBJECT", "REFCOUNT", "nokey") == "_\r\n")
    }

    @Test func objectFreqAndIdletime() {
        let e = Engine()
        e.seedKey("k", "v")
        e.seedKey("other", "v")
        #expect(e.reply("OBJECT", "FREQ", "k") == "-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n")
        #expect(e.reply("OBJECT", "FREQ", "nokey") == "$-1\r\n")
        #expect(e.reply("OBJECT", "IDLETIME", "nokey") == "$-1\r\n")
        #expect(e.reply("OBJECT", "IDLETIME", "k") == ":0\r\n")
        e.advanceClock(2000)
        #expect(e.reply("OBJECT", "IDLETIME", "k") == ":2\r\n")
        #expect(e.reply("EXISTS", "k") == ":1\r\n")
        #expect(e.reply("TTL", "k") == ":-1\r\n")
        #expect(e.reply("TYPE", "k") == "+string\r\n")
        #expect(e.reply("OBJECT", "IDLETIME", "k") == ":2\r\n")
        #expect(e.reply("TOUCH", "k") == ":1\r\n")
        #expect(e.reply("OBJECT", "IDLETIME", "k") == ":0\r\n")
        #expect(e.reply("PERSIST", "other") == ":0\r\n")
        #expect(e.reply("OBJECT", "IDLETIME", "other") == ":0\r\n")
        _ = e.reply("HELLO", "3")
        #expect(e.reply("OBJECT", "FREQ", "nokey") == "_\r\n")
        #expect(e.reply("OBJECT", "IDLETIME", "nokey") == "_\r\n")
    }

    @Test func objectHelpAndErrors() {
        let e = Engine()
        let help = "*15\r\n"
            + "+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
            + "+ENCODING <key>\r\n"
            + "+    Return the kind of internal representation used in order to store the value\r\n"
            + "+    associated with a <key>.\r\n"
            + "+FREQ <key>\r\n"
            + "+    Return the access frequency index of the <key>. The returned integer is\r\n"
            + "+    proportional to the logarithm of the recent access frequency of the key.\r\n"
            + "+IDLETIME <key>\r\n"
            + "+    Return the idle time of the <key>, that is the approximated number of\r\n"
            + "+    seconds elapsed since the last access to the key.\r\n"
            + "+REFCOUNT <key>\r\n"
            + "+    Return the number of references of the value associated with the specified\r\n"
            + "+    <key>.\r\n"
            + "+HELP\r\n"
            + "+    Prints this help.\r\n"
        #expect(e.reply("OBJECT", "HELP") == help)
        #expect(e.reply("object", "help") == help)
        _ = e.reply("HELLO", "3")
        #expect(e.reply("OBJECT", "HELP") == help)
        #expect(e.reply("OBJECT") == "-ERR wrong number of arguments for 'object' command\r\n")
        #expect(e.reply("OBJECT", "foo") == "-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n")
        #expect(e.reply("OBJECT", "foo", "k") == "-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n")
        #expect(e.reply("OBJECT", "ENCODING") == "-ERR wrong number of arguments for 'object|encoding' command\r\n")
        #expect(e.reply("OBJECT", "encoding", "a", "b") == "-ERR wrong number of arguments for 'object|encoding' command\r\n")
        #expect(e.reply("OBJECT", "FREQ") == "-ERR wrong number of arguments for 'object|freq' command\r\n")
        #expect(e.reply("OBJECT", "IDLETIME") == "-ERR wrong number of arguments for 'object|idletime' command\r\n")
        #expect(e.reply("OBJECT", "REFCOUNT") == "-ERR wrong number of arguments for 'object|refcount' command\r\n")
        #expect(e.reply("OBJECT", "HELP", "x") == "-ERR wrong number of arguments for 'object|help' command\r\n")
    }

    @Test func commandTableEntries() {
        let table = CommandTable(EngineCommands.all)
        let expected: [(String, Int, CommandFlags, Int, Int, Int)] = [
            ("del", -2, [.write], 1, -1, 1), ("unlink", -2, [.write, .fast], 1, -1, 1),
            ("exists", -2, [.readonly, .fast], 1, -1, 1), ("type", 2, [.readonly, .fast], 1, 1, 1),
            ("expire", -3, [.write, .fast], 1, 1, 1), ("pexpire", -3, [.write, .fast], 1, 1, 1),
            ("expireat", -3, [.write, .fast], 1, 1, 1), ("pexpireat", -3, [.write, .fast], 1, 1, 1),
            ("ttl", 2, [.readonly, .fast], 1, 1, 1), ("pttl", 2, [.readonly, .fast], 1, 1, 1),
            ("expiretime", 2, [.readonly, .fast], 1, 1, 1), ("pexpiretime", 2, [.readonly, .fast], 1, 1, 1),
            ("persist", 2, [.write, .fast], 1, 1, 1), ("keys", 2, [.readonly], 0, 0, 0),
            ("scan", -2, [.readonly], 0, 0, 0), ("randomkey", 1, [.readonly], 0, 0, 0),
            ("rename", 3, [.write], 1, 2, 1), ("renamenx", 3, [.write, .fast], 1, 2, 1),
            ("copy", -3, [.write, .denyOOM], 1, 2, 1), ("move", 3, [.write, .fast], 1, 1, 1),
            ("touch", -2, [.readonly, .fast], 1, -1, 1), ("object", -2, [], 0, 0, 0),
            ("object|encoding", 3, [.readonly], 2, 2, 1), ("object|freq", 3, [.readonly], 2, 2, 1),
            ("object|idletime", 3, [.readonly], 2, 2, 1), ("object|refcount", 3, [.readonly], 2, 2, 1),
            ("object|help", 2, [.loading, .stale], 0, 0, 0),
        ]
        for (name, arity, flags, first, last, step) in expected {
            guard let command = table.command(named: name) else {
                Issue.record("missing \(name)")
                continue
            }
            #expect(command.spec.arity == arity, "\(name)")
            #expect(command.spec.flags == flags, "\(name)")
            #expect(command.spec.firstKey == first && command.spec.lastKey == last && command.spec.step == step, "\(name)")
            #expect(command.docs.group == "generic", "\(name)")
        }
        #expect(table.command(named: "keys")?.docs.aclCategories == ["keyspace", "read", "slow", "dangerous"])
    }
}
