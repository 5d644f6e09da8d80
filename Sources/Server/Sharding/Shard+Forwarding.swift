import Engine
import RESP

/// Forwarding: a command whose keys all live on one shard of another thread is copied into
/// this turn's batch for that shard's host (`ShardGroup`), which runs the batch in its own
/// loop and sends it back with the replies. A connection with forwarded commands outstanding
/// may forward more to the same host (they run in order there) but runs nothing else until the
/// replies are back, so its replies stay in request order and its commands take effect in that
/// order.
extension Shard {
    /// Queues the command in `args` for shard `target`.
    func forward(_ args: Arguments, from connection: Connection, to target: Int) {
        let session = connection.session
        // CLIENT REPLY as `execute` applies it to a command that does not change the mode.
        let keepsReply = session.replyMode == .on
        if session.replyMode == .skipThis { session.replyMode = .on }
        let message: ShardMessage
        if let pending = outgoing[target] {
            message = pending
        } else {
            message = messagePool.popLast() ?? ShardMessage(.forward, sender: id)
            message.kind = .forward
            outgoing[target] = message
            outgoingTargets.append(target)
        }
        message.batch.append(args, from: connection, keepsReply: keepsReply)
        connection.forwarded += 1
        connection.forwardTarget = target
    }

    /// Posts this turn's batches; the event loop calls it at the end of every turn (their
    /// wake-ups leave with the turn's single `io_uring_enter`).
    func postForwardedBatches() {
        for target in outgoingTargets {
            let message = outgoing[target]!
            outgoing[target] = nil
            send(message, to: target, now: false)
        }
        outgoingTargets.removeAll(keepingCapacity: true)
    }

    /// Posts `message` to shard `target`, waking it if it sleeps in its event loop: with a
    /// message from this shard's ring (IORING_OP_MSG_RING), which leaves with the next
    /// `io_uring_enter` or, with `now`, at once; on epoll through its eventfd.
    func send(_ message: ShardMessage, to target: Int, now: Bool) {
        if group.shards[target].mailbox.post(message) { wakeLoop(of: target, now: now) }
    }

    /// Wakes shard `target`'s event loop: with a message from this shard's ring, which leaves
    /// with the next `io_uring_enter` or, with `now`, at once; on epoll through its eventfd.
    func wakeLoop(of target: Int, now: Bool) {
        if let uringLoop {
            uringLoop.wake(ringFD: group.shards[target].ringFD, shard: target, submitNow: now)
        } else {
            group.shards[target].mailbox.wakeThroughEventFD()
        }
    }

    /// On the owning shard's host: runs a forwarded batch and sends it back with the replies.
    func runForwarded(_ message: ShardMessage) {
        setNow(Clock.milliseconds())
        // Each key to its owner's store when this thread serves guests.
        let partitions = guests.isEmpty ? nil : group.partitions
        message.batch.runEach(prefetchingFrom: store) { entry, args, output in
            let reply = ReplyWriter(buffer: output, protocolVersion: entry.session.protocolVersion)
            executor.execute(CommandContext(
                args: args, reply: reply, store: store, session: entry.session, executor: executor, host: self,
                partitions: partitions))
        }
        message.kind = .replies
        send(message, to: message.sender, now: false)
    }

    /// On the forwarding shard: gives each reply to its connection (parked while a send is in
    /// flight, see `Connection.parkedOutput`), resumes connections with nothing outstanding,
    /// and pools the message.
    func deliverReplies(_ message: ShardMessage) {
        let replies = message.batch.replies!
        var start = 0
        for entry in message.batch.entries {
            let connection = entry.connection.takeRetainedValue()
            let reply = UnsafeRawBufferPointer(start: replies.storage + start, count: entry.replyEnd - start)
            start = entry.replyEnd
            guard connections.connection(slot: connection.slot, generation: connection.generation) === connection else {
                continue  // closed meanwhile
            }
            connection.forwarded -= 1
            if entry.keepsReply && reply.count > 0 {
                if connection.sendInFlight > 0 {
                    connection.parkReply(reply)
                } else {
                    connection.output.append(reply.baseAddress!, count: reply.count)
                }
            }
            if connection.forwarded == 0 && connection.sendInFlight == 0 && !connection.closing
                && connection.input.readableBytes > 0
            {
                process(connection)
            } else {
                markDirty(connection)
            }
            connection.closeIfPeerFinished()
        }
        message.batch.reset()
        messagePool.append(message)
    }
}
