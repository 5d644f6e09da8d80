import Engine
import RESP

/// CLIENT PAUSE on a shard: commands the pause holds back wait, parsed, at the head of their
/// connection's query buffer (as a command waiting for forwarded replies does), and the
/// connection runs nothing else. When the pause ends — CLIENT UNPAUSE, or its time passing,
/// noticed at the end of a loop turn (the `hz` timer brings one) — the held-back connections
/// run again in the order they were held back, and what they forward leaves with that turn.
extension Shard {
    /// Whether the pause in effect holds back the command in `args`; if so the connection
    /// joins the held-back ones and shows it in CLIENT LIST (`cmd=`, flag `b`). Unknown
    /// commands, wrong arities and commands refused to the client (DEBUG not enabled for it,
    /// NOAUTH, a monitor's keyspace) are not held back: their errors come at once, as in Redis
    /// (whose 7.0 holds back QUIT like any command). A pause found over is dropped here (the
    /// held-back connections, if any, run at the end of the turn).
    @inline(never)
    func holdsBack(_ connection: Connection, _ args: Arguments) -> Bool {
        guard let pause else { return false }
        guard !pause.isOver(now: Clock.milliseconds()) else {
            self.pause = nil
            return false
        }
        let command: Int
        switch table.resolve(args) {
        case .command(let id): command = id
        case .protected(let id) where executor.allowsProtected(id, connection.session): command = id
        default: return false
        }
        guard executor.admits(command, connection.session),
              pause.holdsBack(command, table: table, session: connection.session, execID: executor.execID)
        else { return false }
        connection.session.lastCommandID = command
        if !connection.isHeldBack {
            connection.isHeldBack = true
            heldBack.append(connection)
        }
        return true
    }

    /// CLIENT PAUSE and UNPAUSE, on every shard while they are held. Ending a pause gives the
    /// loop work, so that the held-back connections run at its next turn.
    func setPause(_ pause: ClientPause?) {
        self.pause = pause
        if pause == nil, let first = heldBack.first { markDirty(first) }
    }

    /// At the end of a loop turn, before its forwarded batches are posted and its connections
    /// flushed: once the pause is over, runs what the held-back connections sent (each when
    /// nothing else it sent is still outstanding).
    func resumeHeldBackIfUnpaused() {
        guard !heldBack.isEmpty else { return }
        if let pause {
            guard pause.isOver(now: Clock.milliseconds()) else { return }
            self.pause = nil
        }
        let resumed = heldBack
        heldBack.removeAll()
        for connection in resumed {
            connection.isHeldBack = false
            guard connections.connection(slot: connection.slot, generation: connection.generation) === connection,
                  !connection.closing
            else { continue }
            if connection.forwarded == 0 && connection.sendInFlight == 0 && connection.input.readableBytes > 0 {
                process(connection)
            } else {
                markDirty(connection)
            }
        }
    }
}
