import Engine
import RESP

/// CLIENT: the connection's identity (ID, SETNAME, GETNAME, INFO), the list of connections
/// (LIST, KILL), per-connection switches (REPLY, NO-EVICT), and PAUSE/UNPAUSE.
///
/// LIST, KILL, PAUSE and UNPAUSE run with every shard held (`CommandRoute.everyShard`) and see
/// every shard's connections or set every shard's pause; the others touch the caller's own
/// connection only.
enum ClientCommand {
    static var spec: CommandSpec {
        let base: CommandFlags = [.noScript, .loading, .stale]
        let admin = base.union(.admin)
        return CommandSpec(
            "client", arity: -2, flags: [],
            subcommands: [
                CommandSpec("id", arity: 2, flags: base, handler: id),
                CommandSpec("setname", arity: 3, flags: base, handler: setname),
                CommandSpec("getname", arity: 2, flags: base, handler: getname),
                CommandSpec("info", arity: 2, flags: base, handler: info),
                CommandSpec("list", arity: -2, flags: admin, handler: list),
                CommandSpec("kill", arity: -3, flags: admin, handler: kill),
                CommandSpec("reply", arity: 3, flags: base, handler: reply),
                CommandSpec("no-evict", arity: 3, flags: admin, handler: noEvict),
                CommandSpec("pause", arity: -3, flags: admin, handler: pause),
                CommandSpec("unpause", arity: 2, flags: admin, handler: unpause),
                CommandSpec("help", arity: 2, flags: [.loading, .stale], handler: help),
            ],
            handler: ServerCommands.container)
    }

    static func id(_ c: CommandContext) { c.reply.integer(c.session.id) }

    static func setname(_ c: CommandContext) {
        let name = c.args[2]
        if name.bytes.contains(where: { $0 < 33 || $0 > 126 }) {
            return c.reply.error("ERR Client names cannot contain spaces, newlines or special characters.")
        }
        c.session.name = name.array
        c.reply.ok()
    }

    static func getname(_ c: CommandContext) {
        if c.session.name.isEmpty { c.reply.null() } else { c.reply.bulk(c.session.name) }
    }

    static func info(_ c: CommandContext) {
        let shard = ServerCommands.shard(c)
        guard let connection = shard.connections.all.first(where: { $0.session.id == c.session.id }) else {
            return c.reply.null()
        }
        c.reply.verbatim(describe(connection, shard: shard) + "\n")
    }

    static func list(_ c: CommandContext) {
        let shard = ServerCommands.shard(c)
        var connections = everyConnection(shard).map(\.connection).sorted { $0.session.id < $1.session.id }
        var index = 2
        while index < c.args.count {
            let option = c.args[index]
            if option.equalsCaseInsensitive("type") && index + 1 < c.args.count {
                let type = c.args[index + 1]
                if type.equalsCaseInsensitive("normal") {
                    // every connection is a normal client
                } else if type.equalsCaseInsensitive("master") || type.equalsCaseInsensitive("replica")
                    || type.equalsCaseInsensitive("slave") || type.equalsCaseInsensitive("pubsub")
                {
                    connections = []
                } else {
                    return c.reply.error("ERR Unknown client type '\(type.string)'")
                }
                index += 2
            } else if option.equalsCaseInsensitive("id") && index + 1 < c.args.count {
                var ids: Set<Int64> = []
                for idIndex in (index + 1)..<c.args.count {
                    guard let id = RedisInteger.parse(c.args[idIndex]) else {
                        return c.reply.error("ERR Invalid client ID")
                    }
                    ids.insert(id)
                }
                connections = connections.filter { ids.contains($0.session.id) }
                index = c.args.count
            } else {
                return c.reply.error(CommandError.syntax)
            }
        }
        let text = connections.map { describe($0, shard: shard) + "\n" }.joined()
        c.reply.verbatim(text)
    }

    /// One line of CLIENT LIST, Redis 7.0's fields in Redis's order.
    static func describe(_ connection: Connection, shard: Shard) -> String {
        let session = connection.session
        let now = Clock.milliseconds()
        let name = String(decoding: session.name, as: UTF8.self)
        let command = session.lastCommandID >= 0 ? shard.executor.table.commands[session.lastCommandID].fullName : "NULL"
        var flags = ""  // in Redis's order
        if session.isMonitor { flags += "O" }
        if session.transaction != nil { flags += "x" }
        if connection.isHeldBack { flags += "b" }
        if session.watchFlag.isRaised { flags += "d" }
        if connection.closing { flags += "A" }
        if connection.isUnixSocket { flags += "U" }
        if session.noEvict { flags += "e" }
        if flags.isEmpty { flags = "N" }
        let qbuf = connection.input.readableBytes
        let outputBytes = connection.output.readableBytes
        let totalMemory = connection.input.capacity + connection.output.capacity
        return "id=\(session.id) addr=\(connection.peerAddress) laddr=\(connection.localAddress) fd=\(connection.fd) "
            + "name=\(name) age=\((now - session.createdAt) / 1000) idle=\((now - session.lastInteraction) / 1000) "
            + "flags=\(flags) db=\(session.databaseIndex) sub=0 psub=0 ssub=0 multi=\(session.transaction?.commands.count ?? -1) "
            + "qbuf=\(qbuf) qbuf-free=\(connection.input.capacity - connection.input.writerIndex) argv-mem=0 multi-mem=\(session.transaction?.memory ?? 0) "
            + "rbs=\(connection.output.capacity) rbp=\(connection.output.capacity) obl=\(outputBytes) oll=0 omem=0 "
            + "tot-mem=\(totalMemory) events=r\(outputBytes > 0 ? "w" : "") cmd=\(command) user=default redir=-1 "
            + "resp=\(session.protocolVersion)"
    }

    /// Every shard's connections, each with the shard that owns it.
    private static func everyConnection(_ shard: Shard) -> [(connection: Connection, owner: Shard)] {
        shard.group.shards.flatMap { owner in owner.connections.all.map { ($0, owner) } }
    }

    /// CLIENT KILL ip:port, or CLIENT KILL with ID/ADDR/LADDR/TYPE/USER/SKIPME filters.
    static func kill(_ c: CommandContext) {
        let connections = everyConnection(ServerCommands.shard(c))
        if c.args.count == 3 {
            let address = c.args[2].string
            guard let target = connections.first(where: { $0.connection.peerAddress == address && !$0.connection.closing })
            else {
                return c.reply.error("ERR No such client")
            }
            close(target.connection, owner: target.owner, caller: c)
            return c.reply.ok()
        }
        guard c.args.count % 2 == 0 else { return c.reply.error(CommandError.syntax) }
        var id: Int64? = nil
        var address: String? = nil
        var localAddress: String? = nil
        var user: String? = nil
        var typeMatchesNone = false
        var skipMe = true
        var index = 2
        while index < c.args.count {
            let option = c.args[index]
            let value = c.args[index + 1]
            if option.equalsCaseInsensitive("id") {
                guard let parsed = RedisInteger.parse(value), parsed > 0 else {
                    return c.reply.error("ERR client-id should be greater than 0")
                }
                id = parsed
            } else if option.equalsCaseInsensitive("type") {
                if value.equalsCaseInsensitive("normal") {
                    typeMatchesNone = false
                } else if value.equalsCaseInsensitive("master") || value.equalsCaseInsensitive("replica")
                    || value.equalsCaseInsensitive("slave") || value.equalsCaseInsensitive("pubsub")
                {
                    typeMatchesNone = true
                } else {
                    return c.reply.error("ERR Unknown client type '\(value.string)'")
                }
            } else if option.equalsCaseInsensitive("addr") {
                address = value.string
            } else if option.equalsCaseInsensitive("laddr") {
                localAddress = value.string
            } else if option.equalsCaseInsensitive("user") {
                user = value.string
            } else if option.equalsCaseInsensitive("skipme") {
                if value.equalsCaseInsensitive("yes") {
                    skipMe = true
                } else if value.equalsCaseInsensitive("no") {
                    skipMe = false
                } else {
                    return c.reply.error(CommandError.syntax)
                }
            } else {
                return c.reply.error(CommandError.syntax)
            }
            index += 2
        }
        if let user, user != "default" {
            return c.reply.error("ERR No such user '\(user)'")
        }
        var killed = 0
        for (connection, owner) in connections where !connection.closing && !typeMatchesNone {
            if let id, connection.session.id != id { continue }
            if let address, connection.peerAddress != address { continue }
            if let localAddress, connection.localAddress != localAddress { continue }
            if skipMe && connection.session.id == c.session.id { continue }
            close(connection, owner: owner, caller: c)
            killed += 1
        }
        c.reply.integer(killed)
    }

    /// Closes a killed connection: at once for others (queued on `owner`, the shard whose loop
    /// closes its socket), after this reply for the caller itself.
    private static func close(_ connection: Connection, owner: Shard, caller: CommandContext) {
        if connection.session.id == caller.session.id {
            caller.session.closeAfterReply = true
        } else {
            connection.beginClosing(flush: false)
            owner.markDirty(connection)
        }
    }

    static func reply(_ c: CommandContext) {
        let mode = c.args[2]
        if mode.equalsCaseInsensitive("on") {
            c.session.replyMode = .on
            c.reply.ok()
        } else if mode.equalsCaseInsensitive("off") {
            c.session.replyMode = .off
        } else if mode.equalsCaseInsensitive("skip") {
            if c.session.replyMode != .off { c.session.replyMode = .skipNext }
        } else {
            c.reply.error(CommandError.syntax)
        }
    }

    static func noEvict(_ c: CommandContext) {
        let mode = c.args[2]
        if mode.equalsCaseInsensitive("on") {
            c.session.noEvict = true
        } else if mode.equalsCaseInsensitive("off") {
            c.session.noEvict = false
        } else {
            return c.reply.error(CommandError.syntax)
        }
        c.reply.ok()
    }

    /// CLIENT PAUSE timeout [WRITE|ALL]: holds back every command (ALL, the default) or those
    /// that write, for `timeout` milliseconds; joined with a pause already in effect
    /// (`ClientPause.joined`).
    static func pause(_ c: CommandContext) {
        guard c.args.count <= 4 else {
            return c.reply.error(
                bytes: Array("ERR unknown subcommand or wrong number of arguments for '".utf8)
                    + CommandExecutor.cString(c.args[1], limit: 128) + Array("'. Try CLIENT HELP.".utf8))
        }
        // Redis looks at the mode before the timeout.
        var writesOnly = false
        if c.args.count == 4 {
            if c.args[3].equalsCaseInsensitive("write") {
                writesOnly = true
            } else if !c.args[3].equalsCaseInsensitive("all") {
                return c.reply.error("ERR CLIENT PAUSE mode must be WRITE or ALL")
            }
        }
        guard let timeout = RedisInteger.parse(c.args[2]) else {
            return c.reply.error("ERR timeout is not an integer or out of range")
        }
        guard timeout >= 0 else { return c.reply.error("ERR timeout is negative") }
        // As Redis: 0 ends at once, and an end past the clock's range wraps into the past.
        let now = Clock.milliseconds()
        let requested = ClientPause(until: timeout > 0 ? now &+ timeout : 0, writesOnly: writesOnly)
        for shard in ServerCommands.shard(c).group.shards {
            let current = shard.pause.flatMap { $0.isOver(now: now) ? nil : $0 }  // an ended pause leaves no mode behind
            shard.setPause(current.map { $0.joined(with: requested) } ?? requested)
        }
        c.reply.ok()
    }

    static func unpause(_ c: CommandContext) {
        for shard in ServerCommands.shard(c).group.shards { shard.setPause(nil) }
        c.reply.ok()
    }

    static func help(_ c: CommandContext) {
        ServerCommands.replyHelp(c, command: "CLIENT", lines: [
            "GETNAME",
            "    Return the name of the current connection.",
            "ID",
            "    Return the ID of the current connection.",
            "INFO",
            "    Return information about the current client connection.",
            "KILL <ip:port>",
            "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are:",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made from the specified address",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made to specified local address",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Kill connections by type.",
            "    * USER <username>",
            "      Kill connections authenticated by <username>.",
            "    * SKIPME (YES|NO)",
            "      Skip killing current connection (default: yes).",
            "LIST [options ...]",
            "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Return clients of specified type.",
            "UNPAUSE",
            "    Stop the current client pause, resuming traffic.",
            "PAUSE <timeout> [WRITE|ALL]",
            "    Suspend all, or just write, clients for <timeout> milliseconds.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            "NO-EVICT (ON|OFF)",
            "    Protect current client connection from eviction.",
        ])
    }
}
