import Engine
import Testing

/// What the engine does for MONITOR: a monitor may not run commands that touch keys (Redis's
/// replica rule), RESET makes it a plain client again, and the command observer MONITOR's feed
/// hangs on sees each command that ran, with the arguments it redacted.
@Suite struct MonitorClientTests {
    static let replicaError = "-ERR Replica can't interact with the keyspace\r\n"

    @Test func aMonitorRunsOnlyCommandsThatTouchNoKeys() {
        let e = Engine()
        e.session.isMonitor = true
        #expect(!e.session.admitsEveryCommand)
        #expect(e.reply("GET", "k") == Self.replicaError)
        #expect(e.reply("SET", "k", "v") == Self.replicaError)
        #expect(e.reply("DBSIZE") == Self.replicaError)
        #expect(e.reply("PING") == "+PONG\r\n")
        #expect(e.reply("MULTI") == "+OK\r\n")
        #expect(e.reply("ECHO", "x") == "+QUEUED\r\n")
        #expect(e.reply("GET", "k") == Self.replicaError)  // refused, not queued: the transaction is doomed
        #expect(e.reply("EXEC") == "-EXECABORT Transaction discarded because of previous errors.\r\n")
        let get = e.executor.table.commands.first { $0.fullName == "get" }!.id
        #expect(e.executor.statistics.rejectedCalls[get] == 2)
        #expect(e.reply("RESET") == "+RESET\r\n")
        #expect(!e.session.isMonitor && e.session.admitsEveryCommand)
        #expect(e.reply("GET", "k") == "$-1\r\n")
    }

    @Test func theObserverSeesEachCommandThatRanWithItsRedactions() {
        let e = Engine()
        nonisolated(unsafe) var seen: [(String, UInt64)] = []
        e.executor.commandObserver = { id, context, redacted in
            seen.append((context.executor.table.commands[id].fullName, redacted))
        }
        _ = e.reply("SET", "k", "v")
        _ = e.reply("NOPE")
        _ = e.reply("GET")
        _ = e.reply("AUTH", "default", "pw")
        _ = e.reply("MULTI")
        _ = e.reply("INCR", "n")
        _ = e.reply("EXEC")
        #expect(seen.map(\.0) == ["set", "auth", "multi", "incr", "exec"])
        #expect(seen[1].1 == 0b110)
        #expect(seen.allSatisfy { $0.0 == "auth" || $0.1 == 0 })
    }
}
