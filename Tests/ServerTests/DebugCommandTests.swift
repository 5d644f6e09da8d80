import Engine
import Testing

@testable import Server

/// DEBUG's pure parts: the protection check and where it falls among the executor's checks,
/// the RDB lengths DEBUG OBJECT reports, and the `enable-debug-command` directive. The replies
/// are compared with a real redis-server in Tests/EndToEnd/test_debug.py.
@Suite struct DebugCommandTests {
    static let refused = "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n"

    /// An engine with the server's table; its in-process session counts as local.
    private func engine(_ access: ProtectedCommandAccess) -> Engine {
        let e = Engine(table: ServerCommands.table())
        e.executor.debugCommandAccess = access
        return e
    }

    @Test func theTableResolvesOnlyDebugAsProtected() {
        let table = ServerCommands.table()
        let debug = table.command(named: "debug")!
        #expect(debug.spec.flags.contains(.protected))
        #expect(table.commands.filter { $0.spec.flags.contains(.protected) }.map(\.fullName) == ["debug"])
        Array("DEBUG".utf8).withByteView { name in
            #expect(table.lookupID(name) == debug.id)
        }
        // COMMAND INFO hides the flag, as Redis does.
        #expect(!CommandFlags.names.contains { $0.0 == .protected })
    }

    @Test func accessFollowsTheDirectiveAndTheClient() {
        let local = ClientSession(id: 1, now: 0, peerAddress: "127.0.0.1:1", isLocal: true)
        let remote = ClientSession(id: 2, now: 0, peerAddress: "10.0.0.1:1", isLocal: false)
        #expect(!ProtectedCommandAccess.no.allows(local))
        #expect(ProtectedCommandAccess.yes.allows(remote))
        #expect(ProtectedCommandAccess.local.allows(local) && !ProtectedCommandAccess.local.allows(remote))
        #expect(Socket.isLocalPeer("127.0.0.1:6379") && Socket.isLocalPeer("::1:6379"))
        #expect(!Socket.isLocalPeer("127.0.0.2:6379") && !Socket.isLocalPeer("10.0.0.1:6379"))
    }

    @Test func refusedAfterTheArityCheckAsARejectedCall() {
        let e = engine(.no)
        #expect(e.reply("DEBUG") == "-ERR wrong number of arguments for 'debug' command\r\n")
        #expect(e.reply("DEBUG", "HELP") == Self.refused)
        #expect(e.reply("debug", "protocol", "integer") == Self.refused)
        let id = e.executor.table.command(named: "debug")!.id
        #expect(e.executor.statistics.rejectedCalls[id] == 3)
        #expect(e.executor.statistics.calls[id] == 0 && e.executor.statistics.failedCalls[id] == 0)
        #expect(e.executor.statistics.errorReplies[Array("ERR".utf8)] == 3)
        #expect(e.executor.processed == 0)
    }

    @Test func localAdmitsALocalClient() {
        #expect(engine(.local).reply("DEBUG", "PROTOCOL", "integer") == ":12345\r\n")
        #expect(engine(.yes).reply("DEBUG", "PROTOCOL", "integer") == ":12345\r\n")
    }

    @Test func protectionComesBeforeAuthentication() {
        for (access, expected) in [(ProtectedCommandAccess.no, Self.refused), (.yes, "-NOAUTH Authentication required.\r\n")] {
            let e = engine(access)
            e.executor.defaultUser = DefaultUser(requirepass: Array("pw".utf8))
            e.session.isAuthenticated = false
            #expect(e.reply("DEBUG", "HELP") == expected)
        }
    }

    @Test func refusedInsideMultiDoomsTheTransaction() {
        let e = engine(.no)
        #expect(e.reply("MULTI") == "+OK\r\n")
        #expect(e.reply("DEBUG", "HELP") == Self.refused)
        #expect(e.reply("EXEC") == "-EXECABORT Transaction discarded because of previous errors.\r\n")
        let allowed = engine(.yes)
        _ = allowed.reply("MULTI")
        #expect(allowed.reply("DEBUG", "PROTOCOL", "integer") == "+QUEUED\r\n")
        #expect(allowed.reply("EXEC") == "*1\r\n:12345\r\n")
    }

    @Test func unknownSubcommandsAndArgumentCounts() {
        let e = engine(.yes)
        #expect(e.reply("DEBUG", "RELOAD") == "-ERR unknown subcommand or wrong number of arguments for 'RELOAD'. Try DEBUG HELP.\r\n")
        #expect(e.reply("DEBUG", "HELP", "x") == "-ERR unknown subcommand or wrong number of arguments for 'HELP'. Try DEBUG HELP.\r\n")
        #expect(e.reply("DEBUG", "PROTOCOL") == "-ERR unknown subcommand or wrong number of arguments for 'PROTOCOL'. Try DEBUG HELP.\r\n")
        #expect(e.reply("DEBUG", "HELP").hasPrefix("*106\r\n+DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+AOF-FLUSH-SLEEP <microsec>\r\n"))
    }

    @Test func protocolSamplesInBothProtocols() {
        let e = engine(.yes)
        #expect(e.reply("DEBUG", "PROTOCOL", "map") == "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n")
        #expect(e.reply("DEBUG", "PROTOCOL", "bignum") == "$37\r\n1234567999999999999999999999999999999\r\n")
        #expect(e.reply("DEBUG", "PROTOCOL", "push") == "-ERR RESP2 is not supported by this command\r\n")
        #expect(e.reply("DEBUG", "PROTOCOL", "verbatim") == "$25\r\nThis is a verbatim\nstring\r\n")
        e.session.protocolVersion = 3
        #expect(e.reply("DEBUG", "PROTOCOL", "map") == "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n")
        #expect(e.reply("DEBUG", "PROTOCOL", "bignum") == "(1234567999999999999999999999999999999\r\n")
        #expect(e.reply("DEBUG", "PROTOCOL", "double") == ",3.141\r\n")
        #expect(e.reply("DEBUG", "PROTOCOL", "verbatim") == "=29\r\ntxt:This is a verbatim\nstring\r\n")
        #expect(e.reply("DEBUG", "PROTOCOL", "attrib")
            == "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n")
    }

    @Test func serializedLengthsFollowRedisRDBEncoding() {
        func length(_ text: String) -> Int {
            Array(text.utf8).withByteView { DebugCommand.serializedLength(of: .bytes($0)) }
        }
        #expect(DebugCommand.serializedLength(of: .integer(5)) == 2)
        #expect(DebugCommand.serializedLength(of: .integer(-129)) == 3)
        #expect(DebugCommand.serializedLength(of: .integer(40_000)) == 5)
        #expect(DebugCommand.serializedLength(of: .integer(12_345_678_901)) == 12)
        #expect(length("hello") == 6)
        #expect(length("123") == 2)  // canonical integer text of at most 11 bytes
        #expect(length("007") == 4 && length("+1") == 3 && length("-0") == 3)
        #expect(length("") == 1)
        #expect(length(String(repeating: "a", count: 63)) == 64)
        #expect(length(String(repeating: "a", count: 64)) == 66)
        #expect(length(String(repeating: "a", count: 16384)) == 16389)
    }

    @Test func theDirectiveIsAnImmutableChoice() throws {
        let parameter = try #require(ConfigParameter.named("enable-debug-command"))
        #expect(!parameter.mutable)
        var config = ServerConfig()
        #expect(parameter.get(config) == "no")
        try parameter.set(&config, ["LOCAL"])
        #expect(config.enableDebugCommand == .local && parameter.get(config) == "local")
        #expect(throws: ConfigError.self) { try parameter.set(&config, ["maybe"]) }
    }
}
