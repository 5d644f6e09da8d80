import Engine
import Glibc

/// The hold protocol: how a command spanning shards runs atomically.
///
/// The shard a command arrived on (the coordinator) asks each shard the command touches, in
/// ascending shard order, to stop; each answers with a grant and then blocks until released.
/// With all of them held, the coordinator runs the command on their data (`StorePartitions`)
/// and releases them. This is strict two-phase locking at shard granularity: every spanning
/// command is serialised against every other one touching a common shard, in one global
/// order, and shards it does not touch never stop. Taking holds in shard order rules out
/// deadlock; a coordinator is its own lock (whether or not it touches its own data), taken at
/// its place in that order — before then it keeps answering other coordinators' holds while it
/// waits (it is between commands, so its data may change hands), after it answers none until
/// it has released everything.
///
/// A shard asleep in its event loop is not sent a hold: the coordinator borrows it instead
/// (`Shard+Borrowing`), which holds it just the same without waking it.
///
/// Holds go to hosts (`ShardGroup`): a host's thread is the only one touching its guests'
/// data, so holding it holds them, and a command touching only this thread's shards takes no
/// hold at all. Only hosts coordinate, since only they run connections.
extension Shard {
    /// Runs `body` with `shards` (ascending, no repeats) held.
    func withShardsHeld(_ shards: [Int], _ body: () -> Void) {
        acquireHolds(shards)
        body()
        releaseHolds(shards)
    }

    /// Takes the hosts of `shards` (ascending, no repeats) in order. This shard takes itself at
    /// its own place in that order even when the command leaves its data alone: a coordinator
    /// held by another cannot go on to release what it holds, so its own thread is a lock it
    /// needs.
    /// This turn's forwarded batches go out first so they do not wait for this command (no
    /// order is owed between them: they come from other connections, since a connection with
    /// commands forwarded runs nothing else).
    func acquireHolds(_ shards: [Int]) {
        postForwardedBatches()
        for target in group.hostsToHold(shards) {
            if target >= id { holdsItself = true }
            if target == id { continue }
            if group.shards[target].mailbox.tryBorrow() {
                borrowedForHold[target] = true
                continue
            }
            send(ShardMessage(.hold, sender: id), to: target, now: true)
            mailbox.waitForGrant(serving: !holdsItself) { takeMail() }
        }
    }

    func releaseHolds(_ shards: [Int]) {
        for target in group.hostsToHold(shards) where target != id {
            if borrowedForHold[target] {
                borrowedForHold[target] = false
                // A held shard goes on with its turn when released; a borrowed one sleeps on,
                // so it is woken if the command gave its loop work.
                giveBack(target, wake: group.shards[target].hasLoopWork)
            } else {
                group.shards[target].mailbox.releaseHold()
            }
        }
        holdsItself = false
    }

    /// After its event loop has ended (SHUTDOWN, SIGTERM): keeps granting other shards' holds
    /// until every host's loop has ended. A shard still finishing its last turn may be
    /// waiting for this one's grant — a cross-shard MSET that started before it saw the stop —
    /// and would otherwise wait forever, leaving the process hung on exit. A shard whose loop
    /// has ended asks for no holds, so once all have, none is waiting.
    func serveHoldsUntilAllStopped() {
        group.stoppedHosts.add(1, ordering: .sequentiallyConsistent)
        while group.stoppedHosts.load(ordering: .sequentiallyConsistent) < group.hostCount {
            takeMail()
            usleep(100)
        }
    }

    /// Handles what the mailbox holds; the event loop calls it once per turn. Holds are
    /// answered as soon as they are seen; other messages are handled in arrival order, and
    /// messages arriving meanwhile (a delivered reply may resume a connection whose next
    /// command waits for a grant) join the queue, so a hold is never stuck behind them.
    func serviceMailbox() {
        takeMail()
        while !deferredMessages.isEmpty {
            handle(deferredMessages.removeFirst())
        }
    }

    /// Whether the loop must not sleep: messages are waiting to be handled.
    var hasPendingMessages: Bool { !deferredMessages.isEmpty || mailbox.hasMessages }

    /// Empties the mailbox: answers the holds, queues the rest. Also what a coordinator does
    /// while it waits for a grant and does not hold itself yet (else two coordinators could
    /// wait for each other).
    private func takeMail() {
        guard mailbox.hasMessages else { return }
        for message in mailbox.takeAll() {
            if message.kind == .hold {
                serveHold(for: message.sender)
            } else {
                deferredMessages.append(message)
            }
        }
    }

    private func handle(_ message: ShardMessage) {
        switch message.kind {
        case .hold: serveHold(for: message.sender)  // not queued by `takeMail`; here for completeness
        case .forward: runForwarded(message)
        case .replies: deliverReplies(message)
        case .adopt: adopt(message.socket)
        case .monitorLines: deliverMonitorLines()
        }
    }

    /// Grants `coordinator` this shard and blocks until it releases it. Wake-ups this turn
    /// queued for other shards leave first: the coordinator may be about to wait for one of
    /// those shards, which would otherwise sleep until its next timer.
    private func serveHold(for coordinator: Int) {
        uringLoop?.submitQueued()
        group.shards[coordinator].mailbox.grant()
        mailbox.waitForRelease()
    }
}
