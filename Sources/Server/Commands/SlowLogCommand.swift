import Engine
import RESP

/// SLOWLOG GET|LEN|RESET|HELP. GET, LEN and RESET run with every shard held: the log is the
/// shards' parts together (`SlowLog`), newest first, as Redis's one list.
enum SlowLogCommand {
    static var spec: CommandSpec {
        let flags: CommandFlags = [.admin, .loading, .stale]
        return CommandSpec(
            "slowlog", arity: -2, flags: [],
            subcommands: [
                CommandSpec("get", arity: -2, flags: flags, handler: get),
                CommandSpec("len", arity: 2, flags: flags, handler: len),
                CommandSpec("reset", arity: 2, flags: flags, handler: reset),
                CommandSpec("help", arity: 2, flags: [.loading, .stale], handler: help),
            ],
            handler: ServerCommands.container)
    }

    /// Every shard's entries still in the log, newest first.
    static func entries(_ c: CommandContext) -> [SlowLog.Entry] {
        ServerCommands.shard(c).group.shards.flatMap { $0.executor.slowLog.current }.sorted { $0.id > $1.id }
    }

    /// SLOWLOG GET [count]: the newest `count` entries (10; -1 for all).
    static func get(_ c: CommandContext) {
        guard c.args.count <= 3 else {
            return c.reply.error(
                bytes: Array("ERR unknown subcommand or wrong number of arguments for '".utf8)
                    + CommandExecutor.cString(c.args[1], limit: 128) + Array("'. Try SLOWLOG HELP.".utf8))
        }
        var count = 10
        if c.args.count == 3 {
            guard let requested = RedisInteger.parse(c.args[2]), requested >= -1 else {
                return c.reply.error("ERR count should be greater than or equal to -1")
            }
            count = requested == -1 ? Int.max : Int(requested)
        }
        let shown = entries(c).prefix(count)
        c.reply.arrayHeader(shown.count)
        for entry in shown {
            c.reply.arrayHeader(6)
            c.reply.integer(entry.id)
            c.reply.integer(entry.time)
            c.reply.integer(entry.microseconds)
            c.reply.arrayHeader(entry.arguments.count)
            for argument in entry.arguments { c.reply.bulk(argument) }
            c.reply.bulk(entry.peer)
            c.reply.bulk(entry.clientName)
        }
    }

    static func len(_ c: CommandContext) {
        c.reply.integer(Int64(ServerCommands.shard(c).group.shards.reduce(0) { $0 + $1.executor.slowLog.current.count }))
    }

    static func reset(_ c: CommandContext) {
        ServerCommands.shard(c).group.slowLogSequence.forgetAll()
        c.reply.ok()
    }

    static func help(_ c: CommandContext) {
        ServerCommands.replyHelp(c, command: "SLOWLOG", lines: [
            "GET [<count>]",
            "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
            "    Entries are made of:",
            "    id, timestamp, time in microseconds, arguments array, client IP and port,",
            "    client name",
            "LEN",
            "    Return the length of the slowlog.",
            "RESET",
            "    Reset the slowlog.",
        ])
    }
}
