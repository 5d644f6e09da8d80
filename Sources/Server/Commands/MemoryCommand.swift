import CFerriteSys
import Engine
import Glibc
import RESP

/// MEMORY USAGE|STATS|DOCTOR|MALLOC-STATS|PURGE|HELP, with Redis 7.0's replies, errors and
/// field names over Ferrite's own figures: a key costs its record block, index slot and expiry
/// entry (`Keyspace.memoryUsage(of:)`); the rest are INFO memory's (`MemoryOverview`). USAGE runs
/// on the key's shard; the others with every shard held, since they report the whole process.
enum MemoryCommand {
    static var spec: CommandSpec {
        CommandSpec(
            "memory", arity: -2, flags: [],
            subcommands: [
                CommandSpec("doctor", arity: 2, flags: [], handler: doctor),
                CommandSpec("malloc-stats", arity: 2, flags: [], handler: mallocStats),
                CommandSpec("purge", arity: 2, flags: [], handler: purge),
                CommandSpec("stats", arity: 2, flags: [], handler: stats),
                CommandSpec("usage", arity: -3, flags: [.readonly], keys: (2, 2, 1), handler: usage),
                CommandSpec("help", arity: 2, flags: [.loading, .stale], handler: help),
            ],
            handler: ServerCommands.container)
    }

    /// MEMORY USAGE key [SAMPLES count]: the options are checked before the key is looked up.
    /// Ferrite's values are strings, so there is nothing to sample and the count only has to
    /// be valid.
    static func usage(_ c: CommandContext) {
        var index = 3
        while index < c.args.count {
            guard c.args[index].equalsCaseInsensitive("samples"), index + 1 < c.args.count else {
                return c.reply.error(CommandError.syntax)
            }
            guard let samples = RedisInteger.parse(c.args[index + 1]) else { return c.reply.error(CommandError.notInteger) }
            guard samples >= 0 else { return c.reply.error(CommandError.syntax) }
            index += 2
        }
        guard let bytes = c.db.memoryUsage(of: c.args[2]) else { return c.reply.null() }
        c.reply.integer(bytes)
    }

    /// Redis's `getMemoryOverheadData` ratios, computed in single precision as Redis does.
    private static func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        Double(Float(numerator) / Float(denominator))
    }

    static func stats(_ c: CommandContext) {
        let shard = ServerCommands.shard(c)
        let overview = MemoryOverview.current(shard)
        let usage = overview.usage
        let databases = InfoCommand.nonEmptyDatabases(shard).map { index, parts in
            let memory = parts.map(\.memoryUsage)
            return (index: index, main: memory.reduce(0) { $0 + $1.indexBytes }, expires: memory.reduce(0) { $0 + $1.expirySetBytes },
                    keys: parts.reduce(0) { $0 + $1.count })
        }
        let keys = databases.reduce(0) { $0 + $1.keys }
        let netUsage = usage.used > overview.startup ? usage.used - overview.startup : 1
        let reply = c.reply
        reply.mapHeader(27 + databases.count)
        let integers: [(StaticString, Int)] = [
            ("peak.allocated", overview.peak), ("total.allocated", usage.used), ("startup.allocated", overview.startup),
            ("replication.backlog", 0), ("clients.slaves", 0), ("clients.normal", overview.clients),
            ("cluster.links", 0), ("aof.buffer", 0), ("lua.caches", 0), ("functions.caches", 0),
        ]
        for (name, value) in integers {
            reply.bulk(name)
            reply.integer(value)
        }
        for database in databases {
            reply.bulk("db.\(database.index)")
            reply.mapHeader(3)
            reply.bulk("overhead.hashtable.main"); reply.integer(database.main)
            reply.bulk("overhead.hashtable.expires"); reply.integer(database.expires)
            reply.bulk("overhead.hashtable.slot-to-keys"); reply.integer(0)
        }
        reply.bulk("overhead.total"); reply.integer(overview.overhead)
        reply.bulk("keys.count"); reply.integer(keys)
        reply.bulk("keys.bytes-per-key"); reply.integer(keys > 0 ? netUsage / keys : 0)
        reply.bulk("dataset.bytes"); reply.integer(usage.dataset)
        reply.bulk("dataset.percentage"); reply.double(ratio(usage.dataset * 100, netUsage))
        reply.bulk("peak.percentage"); reply.double(ratio(usage.used * 100, overview.peak))
        reply.bulk("allocator.allocated"); reply.integer(usage.allocated)
        reply.bulk("allocator.active"); reply.integer(usage.active)
        reply.bulk("allocator.resident"); reply.integer(usage.resident)
        reply.bulk("allocator-fragmentation.ratio"); reply.double(ratio(usage.active, usage.allocated))
        reply.bulk("allocator-fragmentation.bytes"); reply.integer(usage.active - usage.allocated)
        reply.bulk("allocator-rss.ratio"); reply.double(ratio(usage.resident, usage.active))
        reply.bulk("allocator-rss.bytes"); reply.integer(usage.resident - usage.active)
        reply.bulk("rss-overhead.ratio"); reply.double(ratio(usage.rss, usage.resident))
        reply.bulk("rss-overhead.bytes"); reply.integer(usage.rss - usage.resident)
        reply.bulk("fragmentation"); reply.double(ratio(usage.rss, usage.used))
        reply.bulk("fragmentation.bytes"); reply.integer(usage.rss - usage.used)
    }

    /// Redis's `getMemoryDoctorReport`, with its thresholds and words, over Ferrite's figures.
    /// Ferrite has no replicas and no scripts, so those two findings never appear.
    static func doctor(_ c: CommandContext) {
        let shard = ServerCommands.shard(c)
        let overview = MemoryOverview.current(shard)
        let usage = overview.usage
        let megabytes10 = 10 << 20
        guard usage.used >= 5 * 1024 * 1024 else { return c.reply.verbatim(DoctorReport.empty) }
        var findings: [String] = []
        if ratio(overview.peak, usage.used) > 1.5 { findings.append(DoctorReport.bigPeak) }
        if ratio(usage.rss, usage.used) > 1.4 && usage.rss - usage.used > megabytes10 {
            findings.append(DoctorReport.highFragmentation(allocator: MemoryAllocator.runningDescription))
        }
        if ratio(usage.active, usage.allocated) > 1.1 && usage.active - usage.allocated > megabytes10 {
            findings.append(DoctorReport.highAllocatorFragmentation)
        }
        if ratio(usage.resident, usage.active) > 1.1 && usage.resident - usage.active > megabytes10 {
            findings.append(DoctorReport.highAllocatorRSS)
        }
        if ratio(usage.rss, usage.resident) > 1.1 && usage.rss - usage.resident > megabytes10 {
            findings.append(DoctorReport.highProcessRSS)
        }
        if overview.clientCount > 0 && overview.clients / overview.clientCount > 200 * 1024 {
            findings.append(DoctorReport.bigClientBuffers)
        }
        guard !findings.isEmpty else { return c.reply.verbatim(DoctorReport.healthy) }
        c.reply.verbatim(DoctorReport.header + findings.joined() + DoctorReport.footer)
    }

    /// jemalloc's or mimalloc's own report; Redis's sentence when the allocator (glibc's) has none.
    static func mallocStats(_ c: CommandContext) {
        var report: [UInt8] = []
        let written = withUnsafeMutablePointer(to: &report) { report in
            ferrite_allocator_report({ context, text in
                guard let context, let text else { return }
                let report = context.assumingMemoryBound(to: [UInt8].self)
                report.pointee.append(contentsOf: UnsafeRawBufferPointer(start: text, count: strlen(text)))
            }, report)
        }
        if written == 0 { return c.reply.bulk("Stats not supported for the current allocator") }
        c.reply.verbatim(String(decoding: report, as: UTF8.self))
    }

    static func purge(_ c: CommandContext) {
        if ferrite_allocator_purge() == 0 { c.reply.ok() } else { c.reply.error("ERR Error purging dirty pages") }
    }

    static func help(_ c: CommandContext) {
        ServerCommands.replyHelp(c, command: "MEMORY", lines: [
            "DOCTOR",
            "    Return memory problems reports.",
            "MALLOC-STATS",
            "    Return internal statistics report from the memory allocator.",
            "PURGE",
            "    Attempt to purge dirty pages for reclamation by the allocator.",
            "STATS",
            "    Return information about the memory usage of the server.",
            "USAGE <key> [SAMPLES <count>]",
            "    Return memory in bytes used by <key> and its value. Nested values are",
            "    sampled up to <count> times (default: 5, 0 means sample all).",
        ])
    }
}
