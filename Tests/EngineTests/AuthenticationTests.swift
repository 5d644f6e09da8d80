import Engine
import Testing

/// AUTH, HELLO AUTH and the NOAUTH gate, with replies as redis-server 7.0 sends them (the same
/// sequences are compared with a real server in Tests/EndToEnd/test_auth.py).
@Suite struct AuthenticationTests {
    static let noAuth = "-NOAUTH Authentication required.\r\n"
    static let wrongPass = "-WRONGPASS invalid username-password pair or user is disabled.\r\n"

    /// An engine whose default user has `password`, and a client that has not authenticated.
    private func locked(_ password: String = "pw") -> Engine {
        let e = Engine()
        e.executor.defaultUser = DefaultUser(requirepass: Array(password.utf8))
        e.session.isAuthenticated = false
        return e
    }

    @Test func theDefaultUserChecksNameAndPassword() {
        let user = DefaultUser(requirepass: Array("pw".utf8))
        #expect(user.requiresPassword)
        #expect(Array("default".utf8).withByteView { name in Array("pw".utf8).withByteView { user.accepts(username: name, password: $0) } })
        #expect(!Array("Default".utf8).withByteView { name in Array("pw".utf8).withByteView { user.accepts(username: name, password: $0) } })
        #expect(!Array("pw ".utf8).withByteView { user.accepts(password: $0) })
        #expect(!Array("".utf8).withByteView { user.accepts(password: $0) })
        let open = DefaultUser(requirepass: [])
        #expect(!open.requiresPassword)
        #expect(Array("anything".utf8).withByteView { open.accepts(password: $0) })
    }

    @Test func onlyNoAuthCommandsRunBeforeAuthenticating() {
        let e = locked()
        #expect(e.reply("GET", "k") == Self.noAuth)
        #expect(e.reply("PING") == Self.noAuth)
        #expect(e.reply("NOPE") == "-ERR unknown command 'NOPE', with args beginning with: \r\n")
        #expect(e.reply("GET") == "-ERR wrong number of arguments for 'get' command\r\n")
        #expect(e.reply("EXEC") == "-EXECABORT Transaction discarded because of: NOAUTH Authentication required.\r\n")
        #expect(e.reply("AUTH", "a", "b", "c") == "-ERR syntax error\r\n")
        #expect(e.reply("AUTH", "wrong") == Self.wrongPass)
        #expect(e.reply("AUTH", "someone", "pw") == Self.wrongPass)
        #expect(!e.session.isAuthenticated)
        #expect(e.reply("AUTH", "pw") == "+OK\r\n")
        #expect(e.reply("GET", "k") == "$-1\r\n")
        #expect(e.reply("AUTH", "wrong") == Self.wrongPass)
        #expect(e.session.isAuthenticated)  // a failed AUTH takes nothing away
    }

    @Test func refusalsCountAsRejectedCalls() {
        let e = locked()
        _ = e.reply("GET", "k")
        _ = e.reply("EXEC")
        let get = e.executor.table.commands.first { $0.fullName == "get" }!.id
        let exec = e.executor.execID!
        #expect(e.executor.statistics.rejectedCalls[get] == 1 && e.executor.statistics.calls[get] == 0)
        #expect(e.executor.statistics.rejectedCalls[exec] == 1)
        #expect(e.executor.statistics.errorReplies[Array("NOAUTH".utf8)] == 1)
        #expect(e.executor.statistics.errorReplies[Array("EXECABORT".utf8)] == 1)
    }

    @Test func helloAuthenticatesAsItReadsItsOptions() {
        let e = locked()
        let helloNoAuth = "-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n"
        #expect(e.reply("HELLO", "3", "SETNAME", "early") == helloNoAuth)
        #expect(e.session.name == Array("early".utf8) && e.session.protocolVersion == 2)
        #expect(e.reply("HELLO", "3", "AUTH", "default", "wrong") == Self.wrongPass)
        #expect(e.reply("HELLO", "3", "AUTH", "default", "pw", "SETNAME", "bad name")
            == "-ERR Client names cannot contain spaces, newlines or special characters.\r\n")
        #expect(e.session.isAuthenticated && e.session.protocolVersion == 2)
        #expect(e.reply("HELLO", "3").hasPrefix("%7\r\n"))
    }

    @Test func resetForgetsTheAuthentication() {
        let e = locked()
        #expect(e.reply("AUTH", "default", "pw") == "+OK\r\n")
        #expect(e.reply("RESET") == "+RESET\r\n")
        #expect(e.reply("GET", "k") == Self.noAuth)
        e.executor.defaultUser = DefaultUser(requirepass: [])
        // No password any more: the client runs commands, and RESET leaves it authenticated.
        #expect(e.reply("GET", "k") == "$-1\r\n")
        #expect(e.reply("RESET") == "+RESET\r\n")
        #expect(e.session.isAuthenticated)
    }

    @Test func authWithoutAPasswordConfigured() {
        let e = Engine()
        #expect(e.reply("AUTH", "x") == "-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n")
        #expect(e.reply("AUTH", "default", "x") == "+OK\r\n")
        #expect(e.reply("AUTH", "other", "x") == Self.wrongPass)
    }
}
