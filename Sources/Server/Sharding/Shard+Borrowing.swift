import Engine

/// Borrowing: when the thread serving a command's keys sleeps in its event loop, this thread
/// takes that thread's data (`ShardMailbox.tryBorrow`), runs the command on it itself and gives
/// it back, instead of forwarding the command and waking the sleeper to run it.
///
/// A forward to a sleeping thread costs two wake-ups, there and back, each a context switch
/// on a CPU that may be busy with something else (the clients, on a small machine); a borrow
/// costs two atomic exchanges and the cache misses of reading data last touched on another
/// CPU. A thread that is running is never borrowed from: it will see forwarded commands before
/// it sleeps anyway, with no wake-up. A borrowed thread whose wait returns waits for the
/// borrower (`ShardMailbox.awake`), for one command or one multi-shard command's hold: the same
/// as a hold, which borrowing stands in for when the held thread sleeps.
///
/// A borrower runs commands as the owner's thread would: on the owner's store, with that
/// store's clock brought up to date. What it changes lands in the owner's data; its counters
/// (calls, SLOWLOG) land in the borrower's executor, as those of commands a host runs on a
/// guest's store do.
extension Shard {
    /// Runs `command`, whose keys all belong to shard `owner`, on this thread when `owner`'s
    /// host is asleep in its event loop; false (nothing run) when that host is running.
    func runBorrowing(_ command: Int, _ context: CommandContext, owner: Int) -> Bool {
        let host = group.host(of: owner)
        guard group.shards[host].mailbox.tryBorrow() else { return false }
        let ownerStore = group.shards[owner].store
        ownerStore.now = max(ownerStore.now, store.now)
        executor.run(command, context.on(ownerStore))
        giveBack(host)
        return true
    }

    /// Ends a borrow of `host`, waking its event loop if a message reached it meanwhile, or if
    /// `wake`.
    func giveBack(_ host: Int, wake: Bool = false) {
        if group.shards[host].mailbox.giveBack() || wake { wakeLoop(of: host, now: true) }
    }
}
