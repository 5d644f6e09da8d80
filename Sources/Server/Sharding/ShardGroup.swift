import CFerriteSys
import Engine
import Glibc
import Logging
import Synchronization

/// All the shards of the process, and what they share: the slot map, every shard's mailbox and
/// store (for the hold protocol), the routes of the commands, and the process-wide counters
/// (client ids, the connection count `maxclients` limits, SLOWLOG's ids).
///
/// A thread per shard, but never two shard threads on one CPU: with more shards than CPUs,
/// the shards a CPU would get share one thread, that of the lowest of them (their *host*),
/// which runs the event loop and serves the others' data (its *guests*) as its own. Threads
/// sharing a CPU would pay a context switch for every hop between them; shards sharing a
/// thread pay a function call. A guest keeps its slots and its store, so the data is split
/// exactly as without hosting; connections, forwarded commands and holds go to hosts only.
///
/// Built by `run` before any shard runs and immutable afterwards (the counters are atomic),
/// so shards on their threads read it without synchronisation.
final class ShardGroup: @unchecked Sendable {
    let map: SlotMap
    let routes: [CommandRoute]
    /// The shards, by id; filled while they start, read-only once they run.
    private(set) var shards: [Shard] = []
    /// Every shard's store, for commands that span shards.
    private(set) var partitions: StorePartitions! = nil
    /// 0..<count, the shards keyspace-wide commands touch.
    let allShardIDs: [Int]
    /// How many shards have a thread of their own: shards 0..<hostCount.
    let hostCount: Int
    /// 0..<hostCount, the hold set of keyspace-wide commands.
    let allHostIDs: [Int]
    /// The CPU each shard is pinned to (a guest: its host's).
    let cpus: [Int32]
    let nextClientID = Atomic<Int64>(1)
    /// SLOWLOG's ids, floor and length, shared by every shard's part of the log.
    let slowLogSequence = SlowLogSequence()
    let connectionCount = Atomic<Int>(0)
    /// MONITOR's lines on their way to the shards that serve monitors.
    let monitorFeed: MonitorFeed
    /// Hosts whose event loop has ended (`Shard.serveHoldsUntilAllStopped`).
    let stoppedHosts = Atomic<Int>(0)

    var count: Int { map.shardCount }

    private init(count: Int, available: [Int32], routes: [CommandRoute]) {
        map = SlotMap(shardCount: count)
        allShardIDs = Array(0..<count)
        hostCount = Self.hostCount(shards: count, cpus: available.count)
        allHostIDs = Array(0..<hostCount)
        cpus = (0..<count).map { available[$0 % available.count] }
        self.routes = routes
        monitorFeed = MonitorFeed(shardCount: count)
    }

    /// How many of `shards` shards get a thread, with `cpus` CPUs to run on.
    static func hostCount(shards: Int, cpus: Int) -> Int { min(shards, cpus) }

    /// The shard whose thread serves `shard`: itself, or its host.
    @inline(__always)
    func host(of shard: Int) -> Int { shard % hostCount }

    /// The hosts to hold for a command touching `shards`, both ascending with no repeats:
    /// holding a host stops its thread, and so all its guests.
    func hostsToHold(_ shards: [Int]) -> [Int] {
        if hostCount == count { return shards }
        if shards.count == count { return allHostIDs }
        return Array(Set(shards.map(host(of:)))).sorted()
    }

    /// The CPUs of the process's affinity mask (shards default to one per CPU there).
    static func availableCPUs() -> [Int32] {
        var cpus = [Int32](repeating: 0, count: 1024)
        let found = cpus.withUnsafeMutableBufferPointer { ferrite_process_cpus($0.baseAddress, Int32($0.count)) }
        return found > 0 ? Array(cpus[0..<Int(found)]) : [0]
    }

    /// Starts a thread for each host shard (one per CPU of the affinity mask, at most `count`),
    /// pinned to its CPU and allocating from that CPU's NUMA node, creating there its store, its
    /// guests' stores and its event loop; runs them once all are ready and returns when all
    /// stopped. `makeLoop` builds a host's event loop on its thread; a failure stops the process.
    static func run(
        count: Int, server: ServerContext, table: CommandTable, logger: Logger,
        makeLoop: @escaping @Sendable (Shard) throws -> any ShardEventLoop
    ) {
        let group = ShardGroup(count: count, available: availableCPUs(), routes: CommandRoute.table(for: table))
        let startup = ShardStartup(count: count)
        var threads: [pthread_t] = []
        for id in group.allHostIDs {
            let work = ShardThreadWork {
                // The name ps, top, perf and the experiments' eBPF probes show for the thread.
                _ = ferrite_name_thread("shard-\(id)")
                let cpu = group.cpus[id]
                if ferrite_pin_thread(cpu) != 0 {
                    logger.warning("Shard \(id): could not pin to CPU \(cpu) (errno \(ferrite_errno()))")
                }
                let node = ferrite_numa_prefer_node_of(cpu)
                let guests = stride(from: id + group.hostCount, to: count, by: group.hostCount).map {
                    Shard(id: $0, group: group, server: server, table: table, logger: logger)
                }
                let shard = Shard(id: id, group: group, server: server, table: table, logger: logger, guests: guests)
                let loop: any ShardEventLoop
                do {
                    loop = try makeLoop(shard)
                } catch {
                    logger.critical("Shard \(id): could not start its event loop: \(error)")
                    exit(1)
                }
                let nodeName = node >= 0 ? String(node) : "unavailable"
                logger.info("Shard \(id) on CPU \(cpu), NUMA node \(nodeName)")
                for guest in shard.guests {
                    logger.info("Shard \(guest.id) on CPU \(cpu), NUMA node \(nodeName), served by shard \(id)'s thread")
                }
                for ready in [shard] + shard.guests { startup.ready(ready, id: ready.id) }
                startup.waitForStart()
                loop.run()
                shard.serveHoldsUntilAllStopped()
            }
            threads.append(ShardThreadWork.spawn(work))
        }
        group.shards = startup.waitForAll()
        group.partitions = StorePartitions(stores: group.shards.map(\.store))
        startup.start(threads: threads.count)
        for thread in threads { pthread_join(thread, nil) }
    }
}

/// A shard's event loop, whichever backend drives it.
protocol ShardEventLoop: AnyObject {
    func run()
}

/// The start-up barrier: shards report ready with their `Shard`, the group is completed, then
/// all threads are let go at once, so no shard posts to a mailbox the group does not list yet.
///
/// Safety: each shard thread writes only its own element of `shards`, before posting
/// `readySignal`; the main thread reads them after taking every post (the semaphore orders
/// the writes before the reads).
private final class ShardStartup: @unchecked Sendable {
    private let shards: UnsafeMutableBufferPointer<Shard?>
    private let readySignal = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
    private let startSignal = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)

    init(count: Int) {
        shards = .allocate(capacity: count)
        shards.initialize(repeating: nil)
        sem_init(readySignal, 0, 0)
        sem_init(startSignal, 0, 0)
    }

    deinit {
        shards.deinitialize()
        shards.deallocate()
        sem_destroy(readySignal)
        sem_destroy(startSignal)
        readySignal.deallocate()
        startSignal.deallocate()
    }

    func ready(_ shard: Shard, id: Int) {
        shards[id] = shard
        sem_post(readySignal)
    }

    func waitForAll() -> [Shard] {
        for _ in 0..<shards.count { while sem_wait(readySignal) != 0 {} }
        return shards.map { $0! }
    }

    /// Lets the `threads` waiting threads go.
    func start(threads: Int) { for _ in 0..<threads { sem_post(startSignal) } }
    func waitForStart() { while sem_wait(startSignal) != 0 {} }
}

/// A closure run on a new POSIX thread (joinable, unlike Foundation's `Thread`).
private final class ShardThreadWork: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }

    static func spawn(_ work: ShardThreadWork) -> pthread_t {
        var thread = pthread_t()
        let argument = Unmanaged.passRetained(work).toOpaque()
        let result = pthread_create(&thread, nil, { raw in
            let work = Unmanaged<ShardThreadWork>.fromOpaque(raw!).takeRetainedValue()
            work.body()
            return nil
        }, argument)
        precondition(result == 0, "pthread_create: \(result)")
        return thread
    }
}
