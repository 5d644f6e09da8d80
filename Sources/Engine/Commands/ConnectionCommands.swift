import RESP

/// Connection commands that need only the client's session: PING ECHO QUIT SELECT AUTH HELLO
/// RESET.
/// (CLIENT lives in the server, which knows the other connections.)
public enum ConnectionCommands {
    public static let specs: [CommandSpec] = [
        CommandSpec("ping", arity: -1, flags: [.fast], handler: ping),
        CommandSpec("echo", arity: 2, flags: [.loading, .stale, .fast], handler: echo),
        CommandSpec("quit", arity: -1, flags: [.allowBusy, .noAuth, .noScript, .loading, .stale, .fast], handler: quit),
        CommandSpec("select", arity: 2, flags: [.loading, .stale, .fast], handler: select),
        CommandSpec("auth", arity: -2, flags: [.noScript, .loading, .stale, .fast, .noAuth, .allowBusy], handler: auth),
        CommandSpec(
            "hello", arity: -1, flags: [.noScript, .loading, .stale, .fast, .noAuth, .allowBusy], handler: hello),
        CommandSpec("reset", arity: 1, flags: [.noScript, .loading, .stale, .fast, .noAuth, .allowBusy], handler: reset),
    ]

    static func ping(_ c: CommandContext) {
        if c.args.count > 2 {
            return c.reply.error("ERR wrong number of arguments for 'ping' command")
        }
        if c.args.count == 2 { c.reply.bulk(c.args[1]) } else { c.reply.simple("PONG") }
    }

    static func echo(_ c: CommandContext) { c.reply.bulk(c.args[1]) }

    static func quit(_ c: CommandContext) {
        c.session.closeAfterReply = true
        c.reply.ok()
    }

    /// Redis's `getIntFromObjectOrReply`: not an integer and out of 32 bits are two errors.
    static func select(_ c: CommandContext) {
        guard let index = DatabaseCommands.parseInt32(c, c.args[1], invalid: nil) else { return }
        guard index >= 0 && index < c.store.databaseCount else {
            return c.reply.error(CommandError.dbIndexOutOfRange)
        }
        c.session.databaseIndex = index
        c.reply.ok()
    }

    /// AUTH [username] password: authenticates as `default`, the only user (Redis's
    /// `authCommand`). The one-argument form is refused when no password is configured; the
    /// credentials never reach SLOWLOG.
    static func auth(_ c: CommandContext) {
        guard c.args.count <= 3 else { return c.reply.error(CommandError.syntax) }
        c.redactArgument(1)
        let user = c.executor.defaultUser
        let accepted: Bool
        if c.args.count == 2 {
            guard user.requiresPassword else {
                return c.reply.error("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
            }
            accepted = user.accepts(password: c.args[1])
        } else {
            c.redactArgument(2)
            accepted = user.accepts(username: c.args[1], password: c.args[2])
        }
        guard accepted else { return c.reply.error(wrongPassword) }
        c.session.isAuthenticated = true
        c.reply.ok()
    }

    static let wrongPassword: StaticString = "WRONGPASS invalid username-password pair or user is disabled."

    /// RESET: the connection as a new one has it (Redis's `clearClientConnectionState`): no
    /// transaction and no watched keys, database 0, RESP2, no name, replies on, no longer a
    /// monitor, and authenticated only if no password is required. CLIENT NO-EVICT
    /// stays, as in Redis 7.0. It runs at once inside MULTI and, on a sharded server, with the
    /// watched keys' shards held, as UNWATCH does.
    static func reset(_ c: CommandContext) {
        c.session.transaction = nil
        TransactionCommands.unwatchAll(c)
        c.withSession { session in
            session.databaseIndex = 0
            session.protocolVersion = 2
            session.name = []
            session.replyMode = .on
            session.isAuthenticated = !c.executor.defaultUser.requiresPassword
            session.isMonitor = false
        }
        c.reply.simple("RESET")
    }

    static func hello(_ c: CommandContext) {
        var version = c.session.protocolVersion
        var index = 1
        if c.args.count >= 2 {
            // Any 64-bit integer parses; only 2 and 3 are protocols (Redis's `helloCommand`).
            guard let requested = RedisInteger.parse(c.args[1]) else {
                return c.reply.error("ERR Protocol version is not an integer or out of range")
            }
            guard requested == 2 || requested == 3 else {
                return c.reply.error("NOPROTO unsupported protocol version")
            }
            version = Int(requested)
            index = 2
        }
        // Options take effect as they are read, as in Redis: a later bad option leaves an
        // earlier AUTH or SETNAME done.
        while index < c.args.count {
            let option = c.args[index]
            let more = c.args.count - index - 1
            if option.equalsCaseInsensitive("auth") && more >= 2 {
                c.redactArgument(index + 1)
                c.redactArgument(index + 2)
                guard c.executor.defaultUser.accepts(username: c.args[index + 1], password: c.args[index + 2]) else {
                    return c.reply.error(wrongPassword)
                }
                c.session.isAuthenticated = true
                index += 3
            } else if option.equalsCaseInsensitive("setname") && more >= 1 {
                let name = c.args[index + 1]
                if name.bytes.contains(where: { $0 < 33 || $0 > 126 }) {
                    return c.reply.error("ERR Client names cannot contain spaces, newlines or special characters.")
                }
                c.session.name = name.array
                index += 2
            } else {
                var message = Array("ERR Syntax error in HELLO option '".utf8)
                message += CommandExecutor.cString(option, limit: 128) + [UInt8(ascii: "'")]
                return c.reply.error(bytes: message)
            }
        }
        // Redis asks the flag alone: a client that never authenticated gets this even after
        // the password is removed (when its other commands run again).
        guard c.session.isAuthenticated else {
            return c.reply.error("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
        }
        c.session.protocolVersion = version
        let reply = ReplyWriter(buffer: c.reply.buffer, protocolVersion: version)
        reply.mapHeader(7)
        reply.bulk("server"); reply.bulk("redis")
        reply.bulk("version"); reply.bulk(ServerIdentity.redisVersion)
        reply.bulk("proto"); reply.integer(version)
        reply.bulk("id"); reply.integer(c.session.id)
        reply.bulk("mode"); reply.bulk("standalone")
        reply.bulk("role"); reply.bulk("master")
        reply.bulk("modules"); reply.arrayHeader(0)
    }
}

/// What Ferrite says it is. It reports the Redis version whose behaviour it implements, so
/// clients that gate features on the version enable the right ones.
public enum ServerIdentity {
    public static let redisVersion = "7.0.15"
    public static let ferriteVersion = "0.1.0"
}
