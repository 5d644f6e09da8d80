import CFerriteSys
import Engine
import Glibc
import Logging
import RESP
import Synchronization

/// A shard: one thread's worth of the server — its data, its connections and its event loop.
///
/// ```
/// loop turn (EventLoop):
///   wait for completions (accept / receive / send) or the next timer
///   receive → connection.input → process(connection): parse → execute → reply into output
///   end of turn: drainDirty() → at most one send (or the close) per connection, none while
///                its pipeline waits for replies forwarded from another shard
///   timers: cron() every 1000/hz ms → active expiry, instantaneous metrics
/// ```
/// Everything here is owned by the shard's thread: no locks. Other shards reach it only
/// through its mailbox, or while holding it (`Shard+Holding`). A guest shard (more shards than
/// CPUs, `ShardGroup`) has no thread, loop or connections: its host runs commands on its data,
/// its timers and its expiry.
final class Shard: CommandHost {
    let id: Int
    let group: ShardGroup
    let server: ServerContext
    let store: DataStore
    let executor: CommandExecutor
    /// The executor's command table, held here as well so that routing reads it without a
    /// retain and a release per request (reaching it through `executor` costs them).
    let table: CommandTable
    var connections = ConnectionTable()
    /// Connections with replies to send or a close to finish, collected during a turn.
    private var dirty: [Connection] = []
    private var draining: [Connection] = []
    var metrics = ShardMetrics()
    /// Highest `used_memory` seen by INFO (used_memory_peak).
    var memoryPeak = 0
    let logger: Logger
    /// The shards this one's thread serves besides itself (`ShardGroup`).
    let guests: [Shard]
    /// The stores this thread serves, its own and its guests', by shard id; nil for the shards
    /// of other threads. Once a key's owner is known, one look here tells whether this thread
    /// runs its command and on which store.
    let storesHere: [DataStore?]
    /// Whether this shard has a thread of its own (else it is a guest of another's).
    var isHost: Bool { group.host(of: id) == id }
    /// Active-expiry microseconds left in this cron period for this thread's stores, and the
    /// stores whose last slice ran out of time (more expired keys are likely, so the loop
    /// should come back soon), next first.
    private var expiryBudget = 0
    private var storesToExpire: [DataStore] = []
    var expiryPending: Bool { !storesToExpire.isEmpty }
    /// Redis's `active_expire_enabled`: DEBUG SET-ACTIVE-EXPIRE sets it on every shard (all
    /// held); while false, expired keys go only when a command touches them.
    var activeExpiryEnabled = true
    /// Set by SHUTDOWN; the loop exits at the end of its turn.
    var stopRequested = false
    /// CLIENT PAUSE in effect, and the connections whose command it holds back, in the order
    /// they were held back (`Shard+Pause`).
    var pause: ClientPause?
    var heldBack: [Connection] = []
    /// This shard's MONITOR connections, and whether `MonitorFeed` holds lines for them that
    /// this thread queued itself (`Shard+Monitor`).
    var monitors: [Connection] = []
    var monitorLinesDue = false
    /// Where other shards reach this one.
    let mailbox: ShardMailbox
    /// Messages taken from the mailbox and not handled yet (holds are answered at once).
    var deferredMessages: [ShardMessage] = []
    /// Whether this shard, as a coordinator, has reached its own place in the hold order:
    /// from then until it releases, it answers no holds (its data is in use).
    var holdsItself = false
    /// Every shard is held for the rest of a pipeline (`Shard+Routing`).
    var holdsAllForPipeline = false
    /// This turn's batch of forwarded commands for each shard, and the shards that have one.
    var outgoing: [ShardMessage?]
    var outgoingTargets: [Int] = []
    /// The hosts this shard, as a coordinator, borrowed instead of holding (`Shard+Borrowing`).
    var borrowedForHold: [Bool]
    /// Batch messages back from their trip, ready for reuse.
    var messagePool: [ShardMessage] = []
    /// The io_uring loop driving this shard, whose ring carries wake-ups to other shards, and
    /// that ring's fd (their target); nil and -1 on epoll. Set by the loop before shards run.
    unowned(unsafe) var uringLoop: UringEventLoop?
    var ringFD: Int32 = -1
    /// How the loop starts serving a socket another shard accepted and handed over
    /// (`accept-mode handoff`, or the Unix socket). Set by the loop before shards run.
    var adopt: (Int32) -> Void = { _ in }
    /// The shard the next handed-off connection goes to.
    private var nextHandOff = 0
    /// This thread's mimalloc heap (nil on other allocators), for INFO memory.
    let allocatorHeap = ferrite_mimalloc_thread_heap()

    init(id: Int, group: ShardGroup, server: ServerContext, table: CommandTable, logger: Logger, guests: [Shard] = []) {
        self.id = id
        self.group = group
        self.server = server
        outgoing = Array(repeating: nil, count: group.count)
        borrowedForHold = Array(repeating: false, count: group.count)
        do {
            mailbox = try ShardMailbox()
        } catch {
            logger.critical("Shard \(id): \(error)")
            exit(1)
        }
        self.store = DataStore(databaseCount: server.config.databases, now: Clock.milliseconds())
        store.maximumStringLength = Int64(server.config.protoMaxBulkLen)
        self.guests = guests
        var storesHere = [DataStore?](repeating: nil, count: group.count)
        storesHere[id] = store
        for guest in guests { storesHere[guest.id] = guest.store }
        self.storesHere = storesHere
        self.executor = CommandExecutor(table: table, slowLog: SlowLog(sequence: group.slowLogSequence))
        group.slowLogSequence.setMaximumLength(Int64(server.config.slowlogMaxLen))
        self.table = table
        self.logger = logger
        applyCommandSettings(server.config)
    }

    // MARK: Connections

    /// A socket one of this shard's listeners accepted: served here — or, when the listener
    /// `handOff`s, by the shards in turn (the others through their mailbox and `adopt`). The
    /// connection when this shard serves it.
    func accepted(fd: Int32, handOff: Bool) -> Connection? {
        guard handOff && group.hostCount > 1 else { return accept(fd: fd) }
        let target = nextHandOff
        nextHandOff = (target + 1) % group.hostCount
        if target == id { return accept(fd: fd) }
        let message = ShardMessage(.adopt, sender: id)
        message.socket = fd
        send(message, to: target, now: false)
        return nil
    }

    /// Registers an accepted socket; nil when over `maxclients` (the socket gets Redis's error
    /// and is closed).
    func accept(fd: Int32) -> Connection? {
        metrics.totalConnectionsReceived += 1
        if group.connectionCount.load(ordering: .relaxed) >= server.config.maxclients {
            metrics.rejectedConnections += 1
            let message = "-ERR max number of clients reached\r\n"
            _ = message.withCString { write(fd, $0, strlen($0)) }
            close(fd)
            return nil
        }
        let (peer, local, isUnixSocket) = Socket.endpoints(of: fd)
        let requiresPassword = executor.defaultUser.requiresPassword
        if server.config.protectedMode && !requiresPassword && !isUnixSocket && !Socket.isLoopback(peer) {
            // With no password set, protected mode admits local clients only (Redis 7).
            metrics.rejectedConnections += 1
            _ = Self.protectedModeMessage.withCString { write(fd, $0, strlen($0)) }
            close(fd)
            return nil
        }
        if !isUnixSocket { Socket.configureAccepted(fd, keepalive: server.config.tcpKeepalive) }
        let (slot, generation) = connections.reserve()
        let connection = Connection(
            fd: fd, slot: slot, generation: generation,
            id: group.nextClientID.add(1, ordering: .relaxed).oldValue, now: Clock.milliseconds(),
            maxBulkLength: server.config.protoMaxBulkLen,
            peer: peer, local: local, isUnixSocket: isUnixSocket)
        connection.session.isAuthenticated = !requiresPassword
        connections.insert(connection)
        group.connectionCount.add(1, ordering: .relaxed)
        return connection
    }

    static let protectedModeMessage = "-DENIED Ferrite is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. To accept clients from other hosts, either disable protected mode with 'CONFIG SET protected-mode no' from the loopback interface (making sure the server is not reachable from the internet), or set 'protected-mode no' in the configuration file or with '--protected-mode no' and restart.\r\n"

    /// Forgets a connection whose socket the loop has closed, and the keys it watched — unless
    /// the server is exiting (the other shards may have stopped answering holds).
    func didClose(_ connection: Connection, serverExiting: Bool = false) {
        connections.remove(connection)
        group.connectionCount.subtract(1, ordering: .relaxed)
        if !monitors.isEmpty { stopMonitoring(connection) }
        if !serverExiting { forgetWatches(of: connection.session) }
    }

    /// Queues `connection` for the end-of-turn flush.
    func markDirty(_ connection: Connection) {
        if !connection.isDirty {
            connection.isDirty = true
            dirty.append(connection)
        }
    }

    /// Whether the loop has work it has not started: connections another thread marked dirty
    /// (CLIENT KILL) or a stop (SHUTDOWN), left while this shard was held or borrowed. A loop
    /// goes to sleep with neither, since each turn ends by draining the dirty connections.
    var hasLoopWork: Bool { !dirty.isEmpty || stopRequested }

    /// Calls `body` for each connection marked dirty during this turn, emptying the list, except
    /// those whose replies may wait for their pipeline's forwarded tail (`flushCanWait`: the
    /// delivery of those replies marks them dirty again). The two lists swap roles each turn,
    /// so draining allocates nothing; a connection `body` marks dirty again goes on the fresh
    /// list for the next turn.
    func drainDirty(_ body: (Connection) -> Void) {
        swap(&dirty, &draining)
        for connection in draining {
            connection.isDirty = false
            if connection.flushCanWait { continue }
            body(connection)
        }
        draining.removeAll(keepingCapacity: true)
    }

    // MARK: Timers

    /// Sets the time commands on this thread's stores see.
    func setNow(_ now: Int64) {
        store.now = now
        if !guests.isEmpty {
            for guest in guests { guest.store.now = now }
        }
    }

    /// Redis's `serverCron`: runs `hz` times per second.
    func cron() {
        let now = Clock.milliseconds()
        setNow(now)
        metrics.sampleInstantaneous(now: now, commands: executor.processed)
        // Redis's slow cycle may take 25% of a cron period; here that budget, one for the
        // thread's stores together, is spent in slices of at most 1 ms at the end of loop
        // turns, so no request waits behind it.
        expiryBudget = 250_000 / server.config.hz
        storesToExpire.removeAll(keepingCapacity: true)
        if activeExpiryEnabled {
            storesToExpire.append(store)
            for guest in guests { storesToExpire.append(guest.store) }
            runExpirySlice()
        }
        if server.config.timeout > 0 { closeIdleClients(now: now) }
    }

    /// One slice of active expiry (≤ 1 ms) on the next store with some left, run by the event
    /// loop at the end of a turn while `expiryPending`. Each keyspace call also advances a
    /// running index resize.
    func runExpirySlice() {
        guard let next = storesToExpire.first else { return }
        guard expiryBudget > 0 else {
            storesToExpire.removeAll(keepingCapacity: true)
            return
        }
        let slice = min(1000, expiryBudget)
        let started = Clock.microseconds()
        // Round-robin over the databases from where the last cycle stopped, as Redis's
        // `current_db`: a database with a backlog of expired keys cannot starve the others.
        next.activeExpireCycle(now: Clock.milliseconds(), budgetMicroseconds: slice)
        let spent = Int(Clock.microseconds() - started)
        expiryBudget -= spent
        storesToExpire.removeFirst()
        // Out of time with keys left: its turn comes again after the thread's other stores.
        if spent >= slice && expiryBudget > 0 { storesToExpire.append(next) }
    }

    private func closeIdleClients(now: Int64) {
        let limit = Int64(server.config.timeout) * 1000
        for connection in connections.all where !connection.closing && now - connection.session.lastInteraction > limit {
            connection.beginClosing(flush: false)
            markDirty(connection)
        }
    }
}

/// Counters INFO reports for a shard.
struct ShardMetrics {
    var totalConnectionsReceived: Int64 = 0
    var rejectedConnections: Int64 = 0
    var netInputBytes: Int64 = 0
    var netOutputBytes: Int64 = 0
    /// Ring of (time, commands) samples for `instantaneous_ops_per_sec`.
    private var samples: [(Int64, Int64)] = []
    private(set) var instantaneousOpsPerSecond: Int64 = 0
    private var lastSample: Int64 = 0

    mutating func sampleInstantaneous(now: Int64, commands: Int64) {
        guard now - lastSample >= 100 else { return }
        lastSample = now
        samples.append((now, commands))
        if samples.count > 16 { samples.removeFirst() }
        if let first = samples.first, let last = samples.last, last.0 > first.0 {
            instantaneousOpsPerSecond = (last.1 - first.1) * 1000 / (last.0 - first.0)
        }
    }
}

/// Wall-clock time for the shard; read once per batch, never per key.
enum Clock {
    static func milliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    static func microseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
    }
}

extension Shard {
    /// What the executor copies from the configuration: at start, and after CONFIG SET.
    func applyCommandSettings(_ config: ServerConfig) {
        executor.setSlowThresholds(
            slowLogMicroseconds: Int64(config.slowlogLogSlowerThan), latencyMonitorMilliseconds: Int64(config.latencyMonitorThreshold))
        executor.tracksLatency = config.latencyTracking
        executor.defaultUser = DefaultUser(requirepass: Array(config.requirepass.utf8))
        executor.debugCommandAccess = config.enableDebugCommand
    }

    /// CONFIG RESETSTAT: zero the counters INFO reports.
    func resetStatistics() {
        executor.resetStatistics()
        store.stats = EngineStats()
        for database in store.databases { database.resetStatistics() }
        metrics = ShardMetrics()
    }
}
