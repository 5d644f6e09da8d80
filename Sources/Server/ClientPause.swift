import Engine

/// CLIENT PAUSE in effect: until when (Unix milliseconds; over once the clock passes it) and
/// whether only commands that write are held back (WRITE) or every command (ALL).
///
/// Every shard keeps a copy, written only while CLIENT PAUSE or UNPAUSE holds every shard, so
/// the per-command check reads a field of its own shard. A command held back stays parsed at
/// the head of its connection's query buffer; the connection runs nothing else until the
/// pause ends (`Shard+Pause`).
struct ClientPause: Equatable {
    var until: Int64
    var writesOnly: Bool

    /// A second CLIENT PAUSE while one is in effect, as Redis's `pauseClients`: the stricter
    /// mode and the later end win.
    func joined(with other: ClientPause) -> ClientPause {
        ClientPause(until: max(until, other.until), writesOnly: writesOnly && other.writesOnly)
    }

    func isOver(now: Int64) -> Bool { now > until }

    /// Whether the pause holds back `command`: Redis's check in `processCommand`, made after a
    /// command is known to exist and to have a valid arity, before MULTI queues it. WRITE holds
    /// back commands flagged `write` or `may_replicate`, and an EXEC whose queue has one.
    func holdsBack(_ command: Int, table: CommandTable, session: ClientSession, execID: Int?) -> Bool {
        guard writesOnly else { return true }
        if Self.writes(table.commands[command]) { return true }
        guard command == execID, let transaction = session.transaction else { return false }
        return transaction.commands.contains { Self.writes(table.commands[$0.id]) }
    }

    private static func writes(_ command: CommandTable.Command) -> Bool {
        command.spec.flags.contains(.write) || command.spec.flags.contains(.mayReplicate)
    }
}
