import CFerriteSys
import Engine
import Glibc
import RESP

/// INFO [section ...]: Redis's report format ("# Section" headers, `field:value` lines, a blank
/// line between sections) with Redis's field names, for the sections Ferrite has.
enum InfoCommand {
    /// Sections in Redis's order; `default` lists all but commandstats.
    static let sections = ["server", "clients", "memory", "stats", "replication", "cpu", "commandstats", "keyspace"]
    static let defaultSections: Set<String> = ["server", "clients", "memory", "stats", "replication", "cpu", "keyspace"]

    static func info(_ c: CommandContext) {
        var wanted: Set<String> = []
        if c.args.count == 1 {
            wanted = defaultSections
        }
        for index in 1..<c.args.count {
            let name = c.args[index].string.lowercased()
            switch name {
            case "default": wanted.formUnion(defaultSections)
            case "all", "everything": wanted.formUnion(sections)
            default: wanted.insert(name)
            }
        }
        let shard = ServerCommands.shard(c)
        var text = ""
        for section in sections where wanted.contains(section) {
            if !text.isEmpty { text += "\r\n" }
            text += render(section, shard: shard)
        }
        c.reply.verbatim(text)
    }

    static func render(_ section: String, shard: Shard) -> String {
        let lines: [(String, String)]
        let title: String
        switch section {
        case "server": (title, lines) = ("Server", server(shard))
        case "clients": (title, lines) = ("Clients", clients(shard))
        case "memory": (title, lines) = ("Memory", memory(shard))
        case "stats": (title, lines) = ("Stats", stats(shard))
        case "replication": (title, lines) = ("Replication", [("role", "master"), ("connected_slaves", "0")])
        case "cpu": (title, lines) = ("CPU", cpu())
        case "commandstats": (title, lines) = ("Commandstats", commandStats(shard))
        default: (title, lines) = ("Keyspace", keyspace(shard))
        }
        return "# \(title)\r\n" + lines.map { "\($0.0):\($0.1)\r\n" }.joined()
    }

    static func server(_ shard: Shard) -> [(String, String)] {
        let server = shard.server
        let now = Clock.microseconds()
        let uptime = (now / 1000 - server.startedAt) / 1000
        var names = utsname()
        uname(&names)
        func field<T>(_ value: inout T) -> String {
            withUnsafeBytes(of: &value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        let os = "\(field(&names.sysname)) \(field(&names.release)) \(field(&names.machine))"
        return [
            ("redis_version", ServerIdentity.redisVersion),
            ("ferrite_version", ServerIdentity.ferriteVersion),
            ("redis_git_sha1", "00000000"),
            ("redis_git_dirty", "0"),
            ("redis_mode", "standalone"),
            ("os", os),
            ("arch_bits", "64"),
            ("multiplexing_api", server.backend == .ioUring ? "io_uring" : "epoll"),
            ("process_id", String(getpid())),
            ("process_supervised", "no"),
            ("run_id", server.runID),
            ("tcp_port", String(server.tcpPort)),
            ("server_time_usec", String(now)),
            ("uptime_in_seconds", String(uptime)),
            ("uptime_in_days", String(uptime / 86400)),
            ("hz", String(server.config.hz)),
            ("configured_hz", String(server.config.hz)),
            ("executable", server.executablePath),
            ("config_file", server.config.configFile),
            ("shards", "1"),
        ]
    }

    static func clients(_ shard: Shard) -> [(String, String)] {
        let connections = shard.connections.all
        return [
            ("connected_clients", String(connections.count)),
            ("cluster_connections", "0"),
            ("maxclients", String(shard.server.config.maxclients)),
            ("client_recent_max_input_buffer", String(connections.map { $0.input.readableBytes }.max() ?? 0)),
            ("client_recent_max_output_buffer", String(connections.map { $0.output.readableBytes }.max() ?? 0)),
            ("blocked_clients", "0"),
            ("tracking_clients", "0"),
            ("clients_in_timeout_table", "0"),
        ]
    }

    /// `used_memory` is what the process has allocated: bytes in use by its malloc (glibc's,
    /// jemalloc or mimalloc, each by its own statistics) plus the keyspace's record slabs,
    /// which it maps from the kernel itself.
    static func memory(_ shard: Shard) -> [(String, String)] {
        let usage = MemoryUsage.current(shard)
        shard.memoryPeak = max(shard.memoryPeak, usage.used)
        let fragmentation = usage.used > 0 ? Double(usage.rss) / Double(usage.used) : 0
        let allocator = MemoryAllocator.statistics()
        let (allocated, active, resident) = (Int(allocator.allocated), Int(allocator.active), Int(allocator.resident))
        return [
            ("used_memory", String(usage.used)),
            ("used_memory_human", humanBytes(usage.used)),
            ("used_memory_rss", String(usage.rss)),
            ("used_memory_rss_human", humanBytes(usage.rss)),
            ("used_memory_peak", String(shard.memoryPeak)),
            ("used_memory_peak_human", humanBytes(shard.memoryPeak)),
            ("used_memory_dataset", String(usage.dataset)),
            ("allocator_allocated", String(allocated)),
            ("allocator_active", String(active)),
            ("allocator_resident", String(resident)),
            ("total_system_memory", String(usage.system)),
            ("total_system_memory_human", humanBytes(usage.system)),
            ("maxmemory", "0"),
            ("maxmemory_human", "0B"),
            ("maxmemory_policy", "noeviction"),
            ("allocator_frag_ratio", formatRatio(allocated > 0 ? Double(active) / Double(allocated) : 0)),
            ("allocator_frag_bytes", String(active - allocated)),
            ("allocator_rss_ratio", formatRatio(active > 0 ? Double(resident) / Double(active) : 0)),
            ("allocator_rss_bytes", String(resident - active)),
            ("rss_overhead_ratio", formatRatio(resident > 0 ? Double(usage.rss) / Double(resident) : 0)),
            ("rss_overhead_bytes", String(usage.rss - resident)),
            ("mem_fragmentation_ratio", formatRatio(fragmentation)),
            ("mem_fragmentation_bytes", String(usage.rss - usage.used)),
            ("mem_allocator", MemoryAllocator.runningDescription),
        ]
    }

    static func stats(_ shard: Shard) -> [(String, String)] {
        let metrics = shard.metrics
        let statistics = shard.executor.statistics
        let errors = zip(statistics.failedCalls, statistics.rejectedCalls).reduce(0) { $0 + $1.0 + $1.1 }
        return [
            ("total_connections_received", String(metrics.totalConnectionsReceived)),
            ("total_commands_processed", String(shard.executor.processed)),
            ("instantaneous_ops_per_sec", String(metrics.instantaneousOpsPerSecond)),
            ("total_net_input_bytes", String(metrics.netInputBytes)),
            ("total_net_output_bytes", String(metrics.netOutputBytes)),
            ("rejected_connections", String(metrics.rejectedConnections)),
            ("expired_keys", String(shard.store.expiredKeys)),
            ("evicted_keys", "0"),
            ("keyspace_hits", String(shard.store.stats.keyspaceHits)),
            ("keyspace_misses", String(shard.store.stats.keyspaceMisses)),
            ("total_error_replies", String(errors)),
        ]
    }

    static func cpu() -> [(String, String)] {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> String {
            let micros = Int(time.tv_usec)
            let fraction = String(micros)
            return "\(time.tv_sec)." + String(repeating: "0", count: 6 - fraction.count) + fraction
        }
        return [("used_cpu_sys", seconds(usage.ru_stime)), ("used_cpu_user", seconds(usage.ru_utime))]
    }

    static func commandStats(_ shard: Shard) -> [(String, String)] {
        let statistics = shard.executor.statistics
        var lines: [(String, String)] = []
        for command in shard.executor.table.commands {
            let id = command.id
            let calls = statistics.calls[id]
            guard calls > 0 || statistics.rejectedCalls[id] > 0 || statistics.failedCalls[id] > 0 else { continue }
            let usec = statistics.microseconds(of: id)
            let perCall = calls > 0 ? Double(usec) / Double(calls) : 0
            lines.append((
                "cmdstat_\(command.fullName)",
                "calls=\(calls),usec=\(usec),usec_per_call=\(formatRatio(perCall)),rejected_calls=\(statistics.rejectedCalls[id]),failed_calls=\(statistics.failedCalls[id])"
            ))
        }
        return lines
    }

    /// `db0:keys=1,expires=0,avg_ttl=0` for every non-empty database; avg_ttl is active
    /// expiry's running estimate (`Keyspace.averageTTL`), as in Redis.
    static func keyspace(_ shard: Shard) -> [(String, String)] {
        shard.store.databases.enumerated().compactMap { index, database in
            database.count > 0 ? ("db\(index)", "keys=\(database.count),expires=\(database.expiresCount),avg_ttl=\(database.averageTTL)") : nil
        }
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

/// The memory figures INFO memory reports.
struct MemoryUsage {
    var used: Int
    var rss: Int
    var dataset: Int
    var system: Int

    static func current(_ shard: Shard) -> MemoryUsage {
        let heap = MemoryAllocator.statistics()
        let dataset = shard.store.databases.reduce(0) { $0 + $1.memoryUsage.totalBytes }
        let slabs = shard.store.databases.reduce(0) { $0 + $1.memoryUsage.reservedRecordBytes }
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let rss = residentPages() * pageSize
        let system = Int(sysconf(Int32(_SC_PHYS_PAGES))) * pageSize
        return MemoryUsage(used: Int(heap.allocated) + slabs, rss: rss, dataset: dataset, system: system)
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
