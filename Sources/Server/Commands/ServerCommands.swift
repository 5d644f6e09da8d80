import Engine

/// Commands that need the server process rather than one shard's data: INFO, CONFIG, CLIENT,
/// COMMAND, SLOWLOG, LATENCY, MEMORY, MONITOR, DEBUG, SHUTDOWN, TIME, LASTSAVE, ROLE. Their handlers reach the server through the context's host.
enum ServerCommands {
    static var specs: [CommandSpec] {
        [
            CommandSpec("info", arity: -1, flags: [.loading, .stale], handler: InfoCommand.info),
            ConfigCommand.spec,
            ClientCommand.spec,
            CommandCommand.spec,
            SlowLogCommand.spec,
            LatencyCommand.spec,
            MemoryCommand.spec,
            MonitorCommand.spec,
            DebugCommand.spec,
            CommandSpec(
                "shutdown", arity: -1, flags: [.admin, .noScript, .loading, .stale, .noMulti, .allowBusy],
                handler: ServerControlCommands.shutdown),
            CommandSpec("time", arity: 1, flags: [.loading, .stale, .fast], handler: ServerControlCommands.time),
            CommandSpec(
                "lastsave", arity: 1, flags: [.loading, .stale, .fast], handler: ServerControlCommands.lastsave),
            CommandSpec("role", arity: 1, flags: [.noScript, .loading, .stale, .fast], handler: ServerControlCommands.role),
        ]
    }

    /// The server's one command table: the engine's families and these.
    static func table() -> CommandTable {
        CommandTable(EngineCommands.all + specs)
    }

    /// The shard running the command. Server commands only run inside a server, whose shard is
    /// always the host.
    static func shard(_ c: CommandContext) -> Shard {
        c.host as! Shard
    }

    /// Handler of a container command itself: never runs, because the executor dispatches
    /// to a subcommand or rejects the call by arity first.
    static func container(_ c: CommandContext) {
        c.reply.error("ERR missing subcommand")
    }

    /// Writes help lines as Redis's `addReplyHelp` does: a header, the lines, and HELP.
    static func replyHelp(_ c: CommandContext, command: String, lines: [String]) {
        let all = ["\(command) <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"] + lines
            + ["HELP", "    Prints this help."]
        c.reply.arrayHeader(all.count)
        for line in all { c.reply.simple(line) }
    }
}
