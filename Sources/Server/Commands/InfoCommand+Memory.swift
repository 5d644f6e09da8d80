import CFerriteSys
import Glibc

/// INFO memory: Redis 7.0's fields from what the process's malloc (glibc's, jemalloc or
/// mimalloc, each by its own statistics: `MemoryAllocator`), the kernel (/proc/self/statm) and
/// the keyspace's own slabs report, over the whole process: every shard's data and clients.
extension InfoCommand {
    static func memory(_ shard: Shard) -> [(String, String)] {
        let overview = MemoryOverview.current(shard)
        let usage = overview.usage
        let (peak, startup, overhead, clients) = (overview.peak, overview.startup, overview.overhead, overview.clients)
        func ratio(_ numerator: Int, _ denominator: Int) -> String {
            formatRatio(denominator > 0 ? Double(numerator) / Double(denominator) : 0)
        }
        func percent(_ numerator: Int, _ denominator: Int) -> String { ratio(numerator * 100, denominator) + "%" }
        return [
            ("used_memory", String(usage.used)),
            ("used_memory_human", humanBytes(usage.used)),
            ("used_memory_rss", String(usage.rss)),
            ("used_memory_rss_human", humanBytes(usage.rss)),
            ("used_memory_peak", String(peak)),
            ("used_memory_peak_human", humanBytes(peak)),
            ("used_memory_peak_perc", percent(usage.used, peak)),
            ("used_memory_overhead", String(overhead)),
            ("used_memory_startup", String(startup)),
            ("used_memory_dataset", String(usage.dataset)),
            ("used_memory_dataset_perc", percent(usage.dataset, usage.used - startup)),
            ("allocator_allocated", String(usage.allocated)),
            ("allocator_active", String(usage.active)),
            ("allocator_resident", String(usage.resident)),
            ("total_system_memory", String(usage.system)),
            ("total_system_memory_human", humanBytes(usage.system)),
            // No Lua, no functions: what Redis reports with none loaded, less its idle VMs.
            ("used_memory_lua", "0"), ("used_memory_vm_eval", "0"), ("used_memory_lua_human", "0B"),
            ("used_memory_scripts_eval", "0"), ("number_of_cached_scripts", "0"), ("number_of_functions", "0"),
            ("number_of_libraries", "0"), ("used_memory_vm_functions", "0"), ("used_memory_vm_total", "0"),
            ("used_memory_vm_total_human", "0B"), ("used_memory_functions", "0"), ("used_memory_scripts", "0"),
            ("used_memory_scripts_human", "0B"),
            ("maxmemory", "0"),
            ("maxmemory_human", "0B"),
            ("maxmemory_policy", "noeviction"),
            ("allocator_frag_ratio", ratio(usage.active, usage.allocated)),
            ("allocator_frag_bytes", String(usage.active - usage.allocated)),
            ("allocator_rss_ratio", ratio(usage.resident, usage.active)),
            ("allocator_rss_bytes", String(usage.resident - usage.active)),
            ("rss_overhead_ratio", ratio(usage.rss, usage.resident)),
            ("rss_overhead_bytes", String(usage.rss - usage.resident)),
            ("mem_fragmentation_ratio", ratio(usage.rss, usage.used)),
            ("mem_fragmentation_bytes", String(usage.rss - usage.used)),
            ("mem_not_counted_for_evict", "0"),
            ("mem_replication_backlog", "0"),
            ("mem_total_replication_buffers", "0"),
            ("mem_clients_slaves", "0"),
            ("mem_clients_normal", String(clients)),
            ("mem_cluster_links", "0"),
            ("mem_aof_buffer", "0"),
            ("mem_allocator", MemoryAllocator.runningDescription),
            ("active_defrag_running", "0"),
            ("lazyfree_pending_objects", "0"),
            ("lazyfreed_objects", "0"),
        ]
    }

    /// Two decimals, as Redis prints ratios and averages.
    static func formatRatio(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Redis's `bytesToHuman`: B, then K/M/G/T with two decimals.
    static func humanBytes(_ bytes: Int) -> String {
        let units: [(Double, String)] = [(1024, "K"), (1024 * 1024, "M"), (1024 * 1024 * 1024, "G"), (1024 * 1024 * 1024 * 1024, "T")]
        if bytes < 1024 { return "\(bytes)B" }
        var chosen = units[0]
        for unit in units where Double(bytes) >= unit.0 { chosen = unit }
        return formatRatio(Double(bytes) / chosen.0) + chosen.1
    }
}

/// What INFO memory, MEMORY STATS and MEMORY DOCTOR report, taken once: the process's figures
/// and the ones beside them (peak, start-up, client buffers). Read with every shard held.
struct MemoryOverview {
    let usage: MemoryUsage
    let peak: Int
    let startup: Int
    /// Bytes of the clients' query and reply buffers, and how many clients hold them.
    let clients: Int
    let clientCount: Int
    /// What is not the dataset: start-up, client buffers, allocator bookkeeping.
    var overhead: Int { max(usage.used - usage.dataset, 0) }

    static func current(_ shard: Shard) -> MemoryOverview {
        let shards = shard.group.shards
        let usage = MemoryUsage.current(shards)
        // The peak is the process's, so one shard keeps it: the first, whichever shard asks.
        let peakKeeper = shards[0]
        peakKeeper.memoryPeak = max(peakKeeper.memoryPeak, usage.used)
        let connections = shards.flatMap(\.connections.all)
        let clients = connections.reduce(0) { $0 + $1.input.capacity + $1.output.capacity }
        return MemoryOverview(usage: usage, peak: peakKeeper.memoryPeak, startup: shard.server.startupMemory, clients: clients,
                              clientCount: connections.count)
    }
}

/// The memory figures INFO memory reports. `used` is what the process has allocated: bytes in
/// use by its malloc plus the keyspace's record slabs, which it maps from the kernel itself;
/// `active` adds what malloc holds in pages it uses but has not handed out, `resident` what it
/// holds from the kernel.
struct MemoryUsage {
    var used: Int
    var allocated: Int
    var active: Int
    var resident: Int
    var rss: Int
    var dataset: Int
    var system: Int

    /// The process's figures; `shards` are all of them, whose stores hold the data and slabs.
    static func current(_ shards: [Shard]) -> MemoryUsage {
        // A heap per thread: the hosts' (their guests allocate on the same thread).
        let heap = MemoryAllocator.statistics(threadHeaps: shards.filter(\.isHost).map(\.allocatorHeap))
        let databases = shards.flatMap(\.store.databases)
        let dataset = databases.reduce(0) { $0 + $1.memoryUsage.totalBytes }
        let slabs = databases.reduce(0) { $0 + $1.memoryUsage.reservedRecordBytes }
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let system = Int(sysconf(Int32(_SC_PHYS_PAGES))) * pageSize
        let allocated = Int(heap.allocated) + slabs
        return MemoryUsage(used: allocated, allocated: allocated, active: Int(heap.active) + slabs, resident: Int(heap.resident) + slabs,
                           rss: residentPages() * pageSize, dataset: dataset, system: system)
    }

    /// The process's resident pages, the second figure of /proc/self/statm.
    private static func residentPages() -> Int {
        guard let file = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(file) }
        var size = 0
        var resident = 0
        withUnsafeMutablePointer(to: &size) { size in
            withUnsafeMutablePointer(to: &resident) { resident in
                _ = withVaList([size, resident]) { vfscanf(file, "%ld %ld", $0) }
            }
        }
        return resident
    }
}
