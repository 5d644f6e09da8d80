import CFerriteSys
import Engine
import Glibc
import RESP

/// INFO [section ...]: Redis's report format ("# Section" headers, `field:value` lines, a blank
/// line between sections), with Redis 7.0's sections, field names and field order.
///
/// A field of a feature Ferrite does not have (replication, Lua, AOF rewrites, forks…) prints
/// what Redis prints when that feature is idle; a figure Ferrite does not measure yet is left
/// out rather than invented (Tests/EndToEnd/test_server_commands.py lists them).
///
/// INFO reports the whole server: it runs with every shard held (`CommandRoute.everyShard`),
/// so each section adds up all shards' connections, counters and data.
enum InfoCommand {
    /// Sections in Redis's order, and whether `INFO` / `INFO default` includes them (`all` and
    /// `everything` include every one).
    static let sections: [(name: String, title: String, isDefault: Bool)] = [
        ("server", "Server", true), ("clients", "Clients", true), ("memory", "Memory", true),
        ("persistence", "Persistence", true), ("stats", "Stats", true), ("replication", "Replication", true),
        ("cpu", "CPU", true), ("modules", "Modules", true), ("commandstats", "Commandstats", false), ("errorstats", "Errorstats", true),
        ("latencystats", "Latencystats", false), ("cluster", "Cluster", true),
        ("keyspace", "Keyspace", true),
    ]

    static func info(_ c: CommandContext) {
        var wanted: Set<String> = []
        if c.args.count == 1 { wanted.insert("default") }
        for index in 1..<c.args.count { wanted.insert(c.args[index].string.lowercased()) }
        let everything = wanted.contains("all") || wanted.contains("everything")
        let defaults = wanted.contains("default")
        let shard = ServerCommands.shard(c)
        var text = ""
        for section in sections
        where everything || (defaults && section.isDefault) || wanted.contains(section.name) {
            if !text.isEmpty { text += "\r\n" }
            text += "# \(section.title)\r\n" + render(section.name, shard: shard).map { "\($0.0):\($0.1)\r\n" }.joined()
        }
        c.reply.verbatim(text)
    }

    static func render(_ section: String, shard: Shard) -> [(String, String)] {
        switch section {
        case "server": return server(shard)
        case "clients": return clients(shard)
        case "memory": return memory(shard)
        case "persistence": return persistence(shard)
        case "stats": return stats(shard)
        case "replication": return replication(shard)
        case "cpu": return cpu()
        case "modules": return []
        case "commandstats": return commandStats(shard)
        case "errorstats": return errorStats(shard)
        case "latencystats": return latencyStats(shard)
        case "cluster": return [("cluster_enabled", "0")]
        default: return keyspace(shard)
        }
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
            ("redis_git_sha1", "00000000"),
            ("redis_git_dirty", "0"),
            ("redis_build_id", "0"),
            ("redis_mode", "standalone"),
            ("os", os),
            ("arch_bits", "64"),
            ("monotonic_clock", "POSIX clock_gettime"),
            ("multiplexing_api", server.backend == .ioUring ? "io_uring" : "epoll"),
            ("atomicvar_api", "c11-builtin"),
            ("gcc_version", "0.0.0"),  // what Redis prints when not built by GCC
            ("process_id", String(getpid())),
            ("process_supervised", "no"),
            ("run_id", server.runID),
            ("tcp_port", String(server.tcpPort)),
            ("server_time_usec", String(now)),
            ("uptime_in_seconds", String(uptime)),
            ("uptime_in_days", String(uptime / 86400)),
            ("hz", String(server.config.hz)),
            ("configured_hz", String(server.config.hz)),
            ("lru_clock", String((now / 1_000_000) & ((1 << 24) - 1))),  // Redis's LRU_CLOCK, 1 s resolution
            ("executable", server.executablePath),
            ("config_file", server.config.configFile),
            ("io_threads_active", "0"),
        ]
    }

    static func clients(_ shard: Shard) -> [(String, String)] {
        let connections = shard.group.shards.flatMap(\.connections.all)
        return [
            ("connected_clients", String(connections.count)),
            ("cluster_connections", "0"),
            ("maxclients", String(shard.server.config.maxclients)),
            ("client_recent_max_input_buffer", String(connections.map { $0.input.readableBytes }.max() ?? 0)),
            ("client_recent_max_output_buffer", String(connections.map { $0.output.readableBytes }.max() ?? 0)),
            ("blocked_clients", String(connections.filter(\.isHeldBack).count)),  // by CLIENT PAUSE: no blocking commands yet
            ("tracking_clients", "0"),
            ("clients_in_timeout_table", "0"),
        ]
    }

    static func stats(_ shard: Shard) -> [(String, String)] {
        let shards = shard.group.shards
        func total(_ value: (Shard) -> Int64) -> String { String(shards.reduce(0) { $0 + value($1) }) }
        return [
            ("total_connections_received", total { $0.metrics.totalConnectionsReceived }),
            ("total_commands_processed", total { $0.executor.processed }),
            ("instantaneous_ops_per_sec", total { $0.metrics.instantaneousOpsPerSecond }),
            ("total_net_input_bytes", total { $0.metrics.netInputBytes }),
            ("total_net_output_bytes", total { $0.metrics.netOutputBytes }),
            ("total_net_repl_input_bytes", "0"),
            ("total_net_repl_output_bytes", "0"),
            ("instantaneous_input_repl_kbps", "0.00"),
            ("instantaneous_output_repl_kbps", "0.00"),
            ("rejected_connections", total { $0.metrics.rejectedConnections }),
            ("sync_full", "0"),
            ("sync_partial_ok", "0"),
            ("sync_partial_err", "0"),
            ("expired_keys", total { $0.store.expiredKeys }),
            ("evicted_keys", "0"),
            ("evicted_clients", "0"),
            ("total_eviction_exceeded_time", "0"),
            ("current_eviction_exceeded_time", "0"),
            ("keyspace_hits", total { $0.store.stats.keyspaceHits }),
            ("keyspace_misses", total { $0.store.stats.keyspaceMisses }),
            ("pubsub_channels", "0"),
            ("pubsub_patterns", "0"),
            ("pubsubshard_channels", "0"),
            ("latest_fork_usec", "0"),
            ("total_forks", "0"),
            ("migrate_cached_sockets", "0"),
            ("slave_expires_tracked_keys", "0"),
            ("active_defrag_hits", "0"),
            ("active_defrag_misses", "0"),
            ("active_defrag_key_hits", "0"),
            ("active_defrag_key_misses", "0"),
            ("total_active_defrag_time", "0"),
            ("current_active_defrag_time", "0"),
            ("tracking_total_keys", "0"),
            ("tracking_total_items", "0"),
            ("tracking_total_prefixes", "0"),
            ("unexpected_error_replies", "0"),
            ("total_error_replies", total { $0.executor.statistics.errorReplies.values.reduce(0, +) }),
            ("dump_payload_sanitizations", "0"),
            ("io_threaded_reads_processed", "0"),
            ("io_threaded_writes_processed", "0"),
        ]
    }

    /// No snapshots and no append-only file yet: what an idle Redis with both off reports, the
    /// last save being the start (as LASTSAVE says). `rdb_changes_since_last_save` is left out:
    /// Redis counts changes per command in its own ways, which Ferrite does not follow yet.
    static func persistence(_ shard: Shard) -> [(String, String)] {
        [
            ("loading", "0"), ("async_loading", "0"), ("current_cow_peak", "0"), ("current_cow_size", "0"),
            ("current_cow_size_age", "0"), ("current_fork_perc", "0.00"), ("current_save_keys_processed", "0"),
            ("current_save_keys_total", "0"), ("rdb_bgsave_in_progress", "0"),
            ("rdb_last_save_time", String(shard.server.lastSave)), ("rdb_last_bgsave_status", "ok"),
            ("rdb_last_bgsave_time_sec", "-1"), ("rdb_current_bgsave_time_sec", "-1"), ("rdb_saves", "0"),
            ("rdb_last_cow_size", "0"), ("rdb_last_load_keys_expired", "0"), ("rdb_last_load_keys_loaded", "0"),
            ("aof_enabled", "0"), ("aof_rewrite_in_progress", "0"), ("aof_rewrite_scheduled", "0"),
            ("aof_last_rewrite_time_sec", "-1"), ("aof_current_rewrite_time_sec", "-1"),
            ("aof_last_bgrewrite_status", "ok"), ("aof_rewrites", "0"), ("aof_rewrites_consecutive_failures", "0"),
            ("aof_last_write_status", "ok"), ("aof_last_cow_size", "0"), ("module_fork_in_progress", "0"),
            ("module_fork_last_cow_size", "0"),
        ]
    }

    /// A master without replicas; the replication id is the run id (Ferrite has no replication,
    /// so nothing else would ever tell them apart).
    static func replication(_ shard: Shard) -> [(String, String)] {
        [
            ("role", "master"), ("connected_slaves", "0"), ("master_failover_state", "no-failover"),
            ("master_replid", shard.server.runID), ("master_replid2", String(repeating: "0", count: 40)),
            ("master_repl_offset", "0"), ("second_repl_offset", "-1"), ("repl_backlog_active", "0"),
            ("repl_backlog_size", "1048576"), ("repl_backlog_first_byte_offset", "0"), ("repl_backlog_histlen", "0"),
        ]
    }

    /// Seconds of CPU of the process, its children and the shard thread (Redis's main thread).
    static func cpu() -> [(String, String)] {
        func seconds(_ time: timeval) -> String {
            let fraction = String(Int(time.tv_usec))
            return "\(time.tv_sec)." + String(repeating: "0", count: 6 - fraction.count) + fraction
        }
        var process = rusage()
        var children = rusage()
        var thread = rusage()
        getrusage(RUSAGE_SELF.rawValue, &process)
        getrusage(RUSAGE_CHILDREN.rawValue, &children)
        getrusage(1, &thread)  // RUSAGE_THREAD, which Glibc's module hides behind _GNU_SOURCE
        return [
            ("used_cpu_sys", seconds(process.ru_stime)), ("used_cpu_user", seconds(process.ru_utime)),
            ("used_cpu_sys_children", seconds(children.ru_stime)), ("used_cpu_user_children", seconds(children.ru_utime)),
            ("used_cpu_sys_main_thread", seconds(thread.ru_stime)), ("used_cpu_user_main_thread", seconds(thread.ru_utime)),
        ]
    }

    static func commandStats(_ shard: Shard) -> [(String, String)] {
        let statistics = commandStatistics(shard.group.shards)
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

    /// `errorstat_ERR:count=2` for every error code replied since start-up or RESETSTAT, in
    /// byte order (Redis keeps them in a radix tree).
    static func errorStats(_ shard: Shard) -> [(String, String)] {
        commandStatistics(shard.group.shards).errorReplies.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map {
            ("errorstat_" + String(decoding: $0.key, as: UTF8.self), "count=\($0.value)")
        }
    }

    /// `latency_percentiles_usec_get:p50=1.003,p99=…` for every command with a histogram, at the
    /// `latency-tracking-info-percentiles`; nothing while `latency-tracking` is off.
    static func latencyStats(_ shard: Shard) -> [(String, String)] {
        let config = shard.server.config
        guard config.latencyTracking else { return [] }
        return shard.table.commands.compactMap { command in
            LatencyCommand.histogram(shard.group.shards, of: command.id).map { histogram in
                let figures = config.latencyTrackingInfoPercentiles.map { percentile in
                    "p\(LatencyText.percentile(percentile))=" + LatencyText.microseconds(nanoseconds: histogram.value(atPercentile: percentile))
                }
                return ("latency_percentiles_usec_" + command.fullName, figures.joined(separator: ","))
            }
        }
    }

    /// Every shard's command counters added up, command by command (each shard's executor
    /// counts the commands it ran).
    static func commandStatistics(_ shards: [Shard]) -> CommandStatistics {
        var merged = shards[0].executor.statistics
        for shard in shards.dropFirst() {
            let statistics = shard.executor.statistics
            for id in merged.calls.indices {
                merged.calls[id] += statistics.calls[id]
                merged.cycles[id] &+= statistics.cycles[id]
                merged.rejectedCalls[id] += statistics.rejectedCalls[id]
                merged.failedCalls[id] += statistics.failedCalls[id]
            }
            merged.errorReplies.merge(statistics.errorReplies, uniquingKeysWith: +)
        }
        return merged
    }

    /// `db0:keys=1,expires=0,avg_ttl=0` for every database non-empty on some shard, its
    /// figures added up over the shards; avg_ttl from active expiry's running estimates
    /// (`Keyspace.averageTTL`), as in Redis.
    static func keyspace(_ shard: Shard) -> [(String, String)] {
        nonEmptyDatabases(shard).map { index, parts in
            let keys = parts.reduce(0) { $0 + $1.count }
            let expires = parts.reduce(0) { $0 + $1.expiresCount }
            return ("db\(index)", "keys=\(keys),expires=\(expires),avg_ttl=\(averageTTL(parts, expires: expires))")
        }
    }

    /// The databases holding keys, each as its part on every shard: what INFO keyspace and
    /// MEMORY STATS list (the caller holds every shard).
    static func nonEmptyDatabases(_ shard: Shard) -> [(index: Int, parts: [Keyspace])] {
        let stores = shard.group.shards.map(\.store)
        return (0..<shard.store.databaseCount).compactMap { index in
            let parts = stores.map { $0.databases[index] }
            return parts.contains { $0.count > 0 } ? (index, parts) : nil
        }
    }

    /// One database's avg_ttl over its shards: each shard's estimate, which samples its keys
    /// with a TTL, weighted by how many it has; a shard whose cycle has not estimated yet (0,
    /// as Redis prints before its first estimate) does not count. With no TTL left anywhere
    /// the estimates are stale ones active expiry has not cleared yet; weighting by key count
    /// then keeps a single shard's figure exactly what Redis prints. `parts` holds at least
    /// one key.
    static func averageTTL(_ parts: [Keyspace], expires: Int) -> Int64 {
        let weight: (Keyspace) -> Int = expires > 0 ? { $0.averageTTL == 0 ? 0 : $0.expiresCount } : { $0.count }
        var weighted: Int128 = 0
        var weights: Int128 = 0
        for part in parts {
            weighted += Int128(part.averageTTL) * Int128(weight(part))
            weights += Int128(weight(part))
        }
        guard weights > 0 else { return 0 }
        return Int64(weighted / weights)
    }
}
