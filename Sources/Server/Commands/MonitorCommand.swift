import Engine

/// MONITOR: the connection becomes a monitor, sent a line for every command the server runs
/// from then on (`Shard+Monitor`, `MonitorFeed`), until it closes or sends RESET. It runs with
/// every shard held, so that all of them start observing at once.
enum MonitorCommand {
    static let spec = CommandSpec("monitor", arity: 1, flags: [.admin, .noScript, .loading, .stale], handler: monitor)

    static func monitor(_ c: CommandContext) {
        // Inside EXEC, as Redis refuses a client that must get one reply per command.
        if c.session.transaction != nil { return c.reply.error("ERR MONITOR isn't allowed for DENY BLOCKING client") }
        if c.session.isMonitor { return }  // Redis answers a second MONITOR with nothing
        let shard = ServerCommands.shard(c)
        guard let connection = shard.connections.all.first(where: { $0.session === c.session }) else {
            return c.reply.error("ERR MONITOR is only for clients connected to the server")
        }
        shard.startMonitoring(connection)
        c.reply.ok()
    }
}
