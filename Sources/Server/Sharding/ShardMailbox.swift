import CFerriteSys
import Glibc
import Synchronization

/// What one shard asks of another: a hold, a batch of forwarded commands (going to the shard
/// that owns their keys, or coming back with the replies), a connection to adopt, or MONITOR
/// lines to deliver.
///
/// Crosses threads through a `ShardMailbox` (whose push and take are the release and acquire
/// that publish it) and is touched by one thread at a time. Batch messages are pooled by the
/// shard that sends them, so forwarding allocates nothing once the pool is warm.
final class ShardMessage: @unchecked Sendable {
    enum Kind {
        /// Stop, and let shard `coordinator` use this shard's data until it releases it.
        case hold
        /// Run `batch`'s commands (this shard owns their keys) and send the message back.
        case forward
        /// `batch` comes back with the replies.
        case replies
        /// Serve `socket`, a connection the sender accepted (`accept-mode handoff`, or the Unix socket).
        case adopt
        /// Hand the lines `MonitorFeed` queued for this shard to its monitors.
        case monitorLines
    }

    var kind: Kind
    /// The shard that sent the hold, or that forwarded the batch.
    let sender: Int
    var batch = ForwardBatch()
    /// The accepted socket an `adopt` message hands over.
    var socket: Int32 = -1
    /// The next older message while queued (the mailbox's intrusive stack).
    fileprivate var older: UnsafeMutableRawPointer?

    init(_ kind: Kind, sender: Int) {
        self.kind = kind
        self.sender = sender
    }
}

/// A shard's inbox and doorbell: a lock-free multi-producer queue other shards post messages
/// to, and the wake-up of the shard's thread wherever it sleeps — in its event loop's kernel
/// wait (the poster wakes it: IORING_OP_MSG_RING from the poster's own ring, or the eventfd the
/// loop watches), in a wait for a hold it asked for (a semaphore), or held by another shard (a
/// second semaphore, posted by the release).
///
/// It is also how another thread *borrows* the shard while it sleeps in its event loop: a
/// shard asleep there is between turns, touching none of its data, so another thread may run
/// commands on that data meanwhile instead of waking it to run them (`Shard+Borrowing`).
///
/// `state` tells a poster how to wake the owner, and a borrower whether it may borrow:
/// - running: it will look at the queue before sleeping;
/// - asleep in its event loop: a poster wakes it, a borrower may take it;
/// - waiting for a grant: a poster posts the doorbell semaphore;
/// - lent: borrowed while asleep. A poster only notes that a wake-up is owed, which the borrower
///   delivers when it gives the shard back; an owner whose wait returns meanwhile notes that it
///   waits, and the borrower posts the third semaphore when it gives the shard back.
/// The owner publishes its state and then re-checks the queue; a poster publishes its message
/// and then changes the state: with sequentially consistent order one of the two always sees
/// the other, so no wake-up is lost, and a running shard is woken with no system call at all.
/// Every change of hands (borrow, give back, reclaim) is a sequentially consistent exchange of
/// `state`, which orders one thread's use of the data before the next one's.
final class ShardMailbox: @unchecked Sendable {
    private let head = Atomic<UnsafeMutableRawPointer?>(nil)
    private let state = Atomic<Int>(0)
    private let grants = Atomic<Int>(0)
    /// Watched by the owner's event loop; written when the owner sleeps there.
    let eventFD: Int32
    private let doorbell = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
    private let release = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
    private let returned = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)

    private enum State {
        static let running = 0
        static let sleepingInLoop = 1
        static let waitingForGrant = 2
        /// Borrowed while asleep in the event loop.
        static let lent = 3
        /// Lent, and a message came: the borrower wakes the owner's loop when it gives it back.
        static let lentWithWakeOwed = 4
        /// Lent, and the owner's wait returned: it waits for `returned`.
        static let lentWithOwnerWaiting = 5
    }

    init() throws(SystemCallError) {
        eventFD = try systemCall("eventfd") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
        sem_init(doorbell, 0, 0)
        sem_init(release, 0, 0)
        sem_init(returned, 0, 0)
    }

    deinit {
        _ = takeAll()
        sem_destroy(doorbell)
        sem_destroy(release)
        sem_destroy(returned)
        doorbell.deallocate()
        release.deallocate()
        returned.deallocate()
        close(eventFD)
    }

    // MARK: Posting (any thread)

    /// Queues `message`; true when the owner sleeps in its event loop and the poster must wake
    /// it (`Shard.send`).
    func post(_ message: ShardMessage) -> Bool {
        let node = Unmanaged.passRetained(message).toOpaque()
        var expected = head.load(ordering: .relaxed)
        while true {
            message.older = expected
            let (exchanged, current) = head.compareExchange(
                expected: expected, desired: node, ordering: .sequentiallyConsistent)
            if exchanged { break }
            expected = current
        }
        return ring()
    }

    /// Tells a coordinator waiting on this mailbox that the shard it asked for is now held.
    func grant() {
        grants.add(1, ordering: .sequentiallyConsistent)
        if ring() { wakeThroughEventFD() }  // not expected: a coordinator waits for its grant
    }

    /// Lets the owner, held by a coordinator, run again.
    func releaseHold() { sem_post(release) }

    /// Wakes a waiting owner; true when it sleeps in its event loop, which the caller wakes.
    private func ring() -> Bool {
        let change = changeState(guessing: state.load(ordering: .sequentiallyConsistent)) { current in
            switch current {
            case State.sleepingInLoop, State.waitingForGrant: State.running
            case State.lent: State.lentWithWakeOwed
            default: nil  // running, or lent with the owner's wake-up already arranged
            }
        }
        guard let (from, _) = change else { return false }
        if from == State.waitingForGrant { sem_post(doorbell) }
        return from == State.sleepingInLoop
    }

    /// Moves `state` to `next(current)` atomically, retrying while others change it meanwhile,
    /// starting from the guess that it is `guess`; the states it moved from and to, or nil when
    /// `next` leaves the state as it is.
    private func changeState(guessing guess: Int, _ next: (Int) -> Int?) -> (from: Int, to: Int)? {
        var current = guess
        while let desired = next(current) {
            let (exchanged, seen) = state.compareExchange(
                expected: current, desired: desired, ordering: .sequentiallyConsistent)
            if exchanged { return (current, desired) }
            current = seen
        }
        return nil
    }

    // MARK: Borrowing (another shard's thread)

    /// Takes the owner's data for this thread when the owner sleeps in its event loop; false
    /// otherwise. After a true, nothing else touches that data until `giveBack`.
    func tryBorrow() -> Bool {
        state.compareExchange(
            expected: State.sleepingInLoop, desired: State.lent, ordering: .sequentiallyConsistent
        ).exchanged
    }

    /// Ends a borrow; true when a message came meanwhile and the caller must wake the owner's
    /// event loop (as a poster would have).
    func giveBack() -> Bool {
        // Only the borrower leaves the lent states, so this always changes the state.
        let change = changeState(guessing: State.lent) { $0 == State.lent ? State.sleepingInLoop : State.running }
        let from = change!.from
        if from == State.lentWithOwnerWaiting { sem_post(returned) }
        return from == State.lentWithWakeOwed
    }

    /// Wakes the owner's event loop through the eventfd it watches.
    func wakeThroughEventFD() {
        _ = eventfd_write(eventFD, 1)
    }

    // MARK: Receiving (the owner's thread only)

    var hasMessages: Bool { head.load(ordering: .sequentiallyConsistent) != nil }

    /// Every queued message, oldest first.
    func takeAll() -> [ShardMessage] {
        var node = head.exchange(nil, ordering: .sequentiallyConsistent)
        var messages: [ShardMessage] = []
        while let current = node {
            let message = Unmanaged<ShardMessage>.fromOpaque(current).takeRetainedValue()
            node = message.older
            message.older = nil
            messages.append(message)
        }
        return messages.reversed()
    }

    /// Before the event loop's kernel wait: false when a message is already here (then the
    /// loop must not sleep). After a true, `awake()` once the wait returns. From then until
    /// `awake()` returns, the owner must not touch its data: another thread may borrow it.
    func prepareToSleep() -> Bool {
        state.store(State.sleepingInLoop, ordering: .sequentiallyConsistent)
        if hasMessages {
            awake()
            return false
        }
        return true
    }

    /// After the event loop's kernel wait: takes the shard back, waiting for a borrower to give
    /// it back if one has it.
    func awake() {
        let change = changeState(guessing: State.sleepingInLoop) { current in
            switch current {
            case State.sleepingInLoop: State.running
            case State.lent, State.lentWithWakeOwed: State.lentWithOwnerWaiting
            default: nil  // running: a poster woke it
            }
        }
        if change?.to == State.lentWithOwnerWaiting { Self.wait(for: returned) }
    }

    /// Empties the eventfd after the event loop saw it readable.
    func clearEventFD() {
        var value: eventfd_t = 0
        _ = eventfd_read(eventFD, &value)
    }

    /// How long a shard spins for a grant or a release before it sleeps: a hold lasts
    /// microseconds when the other shard is running, much less than a futex sleep and wake-up.
    /// Shards that hold each other never share a CPU (`ShardGroup`: one thread per CPU), so
    /// the one waited for can run meanwhile.
    private static let spinLimit = 400

    /// Blocks until the grant this shard asked for arrives. While `serving`, messages that
    /// arrive meanwhile are handed to `serve` (holds must be answered, or two coordinators
    /// could wait for each other).
    func waitForGrant(serving: Bool, serve: () -> Void) {
        var spins = 0
        while true {
            if grants.load(ordering: .sequentiallyConsistent) > 0 {
                grants.subtract(1, ordering: .sequentiallyConsistent)
                return
            }
            if serving && hasMessages {
                serve()
                continue
            }
            if spins < Self.spinLimit {
                spins += 1
                ferrite_cpu_relax()
                continue
            }
            state.store(State.waitingForGrant, ordering: .sequentiallyConsistent)
            if grants.load(ordering: .sequentiallyConsistent) > 0 || (serving && hasMessages) {
                state.store(State.running, ordering: .sequentiallyConsistent)
                continue
            }
            while sem_wait(doorbell) != 0 && ferrite_errno() == EINTR {}
            state.store(State.running, ordering: .sequentiallyConsistent)
        }
    }

    /// Blocks while a coordinator holds this shard.
    func waitForRelease() { Self.wait(for: release) }

    /// Takes one post of `semaphore`, spinning first: what is waited for (a release, a
    /// borrower's return) comes within microseconds from a thread running on another CPU.
    private static func wait(for semaphore: UnsafeMutablePointer<sem_t>) {
        for _ in 0..<spinLimit {
            if sem_trywait(semaphore) == 0 { return }
            ferrite_cpu_relax()
        }
        while sem_wait(semaphore) != 0 && ferrite_errno() == EINTR {}
    }
}
