import Engine

/// MONITOR on a shard. MONITOR runs with every shard held; the first monitor gives every
/// shard's executor an observer, which turns each command the shard runs into a line for
/// `MonitorFeed`. The shards serving monitors append the lines to those connections' output:
/// the running thread's own at the end of its turn, another's when it handles the message the
/// feed asked for. A shard drops its observer at the end of a turn once no monitor is left.
extension Shard {
    /// MONITOR for `connection` (a connection of this shard), with every shard held.
    func startMonitoring(_ connection: Connection) {
        connection.session.isMonitor = true
        if !monitors.contains(where: { $0 === connection }) {
            monitors.append(connection)
            group.monitorFeed.added(on: id)
        }
        for shard in group.shards where shard.executor.commandObserver == nil {
            let host = group.shards[group.host(of: shard.id)]
            shard.executor.commandObserver = { [unowned host] command, context, redacted in
                host.feedMonitors(command, context, redacted: redacted)
            }
        }
    }

    /// A monitor stops: it closed, or RESET made it a plain client again (noticed here when
    /// lines are delivered, or when it closes).
    func stopMonitoring(_ connection: Connection) {
        guard let index = monitors.firstIndex(where: { $0 === connection }) else { return }
        monitors.remove(at: index)
        group.monitorFeed.removed(on: id)
    }

    /// The observer's work, on this (host) shard's thread: the line for a command that ran,
    /// unless Redis keeps it from monitors (administrative commands, and those flagged
    /// skip_monitor), queued for every shard with monitors.
    func feedMonitors(_ command: Int, _ context: CommandContext, redacted: UInt64) {
        guard executor.table.commands[command].spec.flags.isDisjoint(with: [.admin, .skipMonitor]) else { return }
        let session = context.session
        let line = MonitorFeed.line(
            context.args, redacted: redacted, database: session.databaseIndex, client: session,
            unixSocket: server.config.unixSocket)
        for target in group.monitorFeed.publish(line) {
            if target == id {
                monitorLinesDue = true
            } else {
                send(ShardMessage(.monitorLines, sender: id), to: target, now: false)
            }
        }
    }

    /// Appends the lines queued for this shard to each of its monitors' output.
    func deliverMonitorLines() {
        monitorLinesDue = false
        let lines = group.monitorFeed.take(for: id)
        for connection in monitors where !connection.session.isMonitor || connection.closing {
            stopMonitoring(connection)
        }
        guard !lines.isEmpty else { return }
        lines.withUnsafeBytes { bytes in
            for connection in monitors {
                if connection.sendInFlight > 0 {
                    connection.parkReply(bytes)
                } else {
                    connection.output.append(bytes.baseAddress!, count: bytes.count)
                }
                markDirty(connection)
            }
        }
    }

    /// End of a loop turn: the lines this thread queued for its own monitors go out with this
    /// turn's flush, and the observers of this thread's shards go once no monitor is left
    /// anywhere (a MONITOR meanwhile would have held this thread, so it cannot be missed).
    @inline(__always)
    func finishMonitorTurn() {
        guard monitorLinesDue || executor.commandObserver != nil else { return }
        if monitorLinesDue { deliverMonitorLines() }
        guard group.monitorFeed.isIdle else { return }
        executor.commandObserver = nil
        for guest in guests { guest.executor.commandObserver = nil }
    }
}
