import CFerriteSys
import Engine
import Glibc
import Logging
import Synchronization

/// All the shards of the process, and what they share: the slot map, every shard's mailbox and
/// store (for the hold protocol), the routes of the commands, and the process-wide counters
/// (client ids, the connection count `maxclients` limits).
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
    /// 0..<count, the hold set of keyspace-wide commands.
    let allShardIDs: [Int]
    /// The CPU each shard is pinned to.
    let cpus: [Int32]
    let nextClientID = Atomic<Int64>(1)
    let connectionCount = Atomic<Int>(0)
    /// Shards whose event loop has ended (`Shard.serveHoldsUntilAllStopped`).
    let stoppedShards = Atomic<Int>(0)

    var count: Int { map.shardCount }

    private init(count: Int, cpus: [Int32], routes: [CommandRoute]) {
        map = SlotMap(shardCount: count)
        allShardIDs = Array(0..<count)
        self.cpus = cpus
        self.routes = routes
    }

    /// The CPUs of the process's affinity mask (shards default to one per CPU there).
    static func availableCPUs() -> [Int32] {
        var cpus = [Int32](repeating: 0, count: 1024)
        let found = cpus.withUnsafeMutableBufferPointer { ferrite_process_cpus($0.baseAddress, Int32($0.count)) }
        return found > 0 ? Array(cpus[0..<Int(found)]) : [0]
    }

    /// Starts `count` shard threads, each pinned to a CPU of the affinity mask (round-robin
    /// when there are more shards than CPUs), allocating from that CPU's NUMA node, creating its
    /// store and event loop there; runs them once all are ready and returns when all stopped.
    /// `makeLoop` builds a shard's event loop on its own thread; a failure stops the process.
    static func run(
        count: Int, server: ServerContext, table: CommandTable, logger: Logger,
        makeLoop: @escaping @Sendable (Shard) throws -> any ShardEventLoop
    ) {
        let available = availableCPUs()
        let group = ShardGroup(
            count: count, cpus: (0..<count).map { available[$0 % available.count] },
            routes: CommandRoute.table(for: table))
        let startup = ShardStartup(count: count)
        var threads: [pthread_t] = []
        for id in 0..<count {
            let work = ShardThreadWork {
                // The name ps, top, perf and the experiments' eBPF probes show for the thread.
                _ = ferrite_name_thread("shard-\(id)")
                let cpu = group.cpus[id]
                if ferrite_pin_thread(cpu) != 0 {
                    logger.warning("Shard \(id): could not pin to CPU \(cpu) (errno \(ferrite_errno()))")
                }
                let node = ferrite_numa_prefer_node_of(cpu)
                let shard = Shard(id: id, group: group, server: server, table: table, logger: logger)
                let loop: any ShardEventLoop
                do {
                    loop = try makeLoop(shard)
                } catch {
                    logger.critical("Shard \(id): could not start its event loop: \(error)")
                    exit(1)
                }
                logger.info("Shard \(id) on CPU \(cpu), NUMA node \(node >= 0 ? String(node) : "unavailable")")
                startup.ready(shard, id: id)
                startup.waitForStart()
                loop.run()
                shard.serveHoldsUntilAllStopped()
            }
            threads.append(ShardThreadWork.spawn(work))
        }
        group.shards = startup.waitForAll()
        group.partitions = StorePartitions(stores: group.shards.map(\.store))
        startup.start()
        for thread in threads { pthread_join(thread, nil) }
    }
}

/// A shard's event loop, whichever backend drives it.
protocol ShardEventLoop: AnyObject {
    func run()
}

/// The start-up barrier: shards report ready with their `Shard`, the group is completed, then
/// all are let go at once, so no shard posts to a mailbox the group does not list yet.
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

    func start() { for _ in 0..<shards.count { sem_post(startSignal) } }
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
