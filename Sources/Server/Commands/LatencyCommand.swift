import Engine
import RESP

/// LATENCY LATEST|HISTORY|RESET|GRAPH|DOCTOR|HISTOGRAM|HELP: Redis's latency monitor and
/// per-command latency histograms. Every subcommand but HELP runs with every shard held
/// (`CommandRoute.everyShard`) and reads the shards' parts together: `LatencyMonitor.merged`
/// for the events, one histogram per command added up over the shards.
enum LatencyCommand {
    static var spec: CommandSpec {
        let flags: CommandFlags = [.admin, .noScript, .loading, .stale]
        return CommandSpec(
            "latency", arity: -2, flags: [],
            subcommands: [
                CommandSpec("latest", arity: 2, flags: flags, handler: latest),
                CommandSpec("history", arity: 3, flags: flags, handler: history),
                CommandSpec("reset", arity: -2, flags: flags, handler: reset),
                CommandSpec("graph", arity: 3, flags: flags, handler: graph),
                CommandSpec("doctor", arity: 2, flags: flags, handler: doctor),
                CommandSpec("histogram", arity: -2, flags: flags, handler: histogram),
                CommandSpec("help", arity: 2, flags: [.loading, .stale], handler: help),
            ],
            handler: ServerCommands.container)
    }

    static func events(_ c: CommandContext) -> [(name: String, series: LatencyMonitor.Series)] {
        LatencyMonitor.merged(ServerCommands.shard(c).group.shards.map(\.executor.latencyMonitor))
    }

    /// An event by its exact name (HISTORY and GRAPH look events up case-sensitively).
    static func event(_ c: CommandContext, named name: String) -> LatencyMonitor.Series? {
        events(c).first { $0.name == name }?.series
    }

    /// LATENCY LATEST: per event, its name, its newest sample's time and latency, and the worst.
    static func latest(_ c: CommandContext) {
        let all = events(c)
        c.reply.arrayHeader(all.count)
        for (name, series) in all {
            let newest = series.samples.last
            c.reply.arrayHeader(4)
            c.reply.bulk(name)
            c.reply.integer(newest?.time ?? 0)
            c.reply.integer(newest?.milliseconds ?? 0)
            c.reply.integer(series.highest)
        }
    }

    /// LATENCY HISTORY event: its samples, oldest first, as [time, latency] pairs.
    static func history(_ c: CommandContext) {
        let samples = event(c, named: c.args[2].string)?.samples ?? []
        c.reply.arrayHeader(samples.count)
        for sample in samples {
            c.reply.arrayHeader(2)
            c.reply.integer(sample.time)
            c.reply.integer(sample.milliseconds)
        }
    }

    /// LATENCY RESET [event ...]: how many events were forgotten; names match in any case.
    static func reset(_ c: CommandContext) {
        let monitors = ServerCommands.shard(c).group.shards.map(\.executor.latencyMonitor)
        var forgotten = 0
        func forget(_ matches: @escaping (String) -> Bool) {
            forgotten += monitors.reduce(into: Set<String>()) { $0.formUnion($1.reset(matching: matches)) }.count
        }
        if c.args.count == 2 {
            forget { _ in true }
        } else {
            for index in 2..<c.args.count {
                let name = c.args[index].string.lowercased()
                forget { $0.lowercased() == name }
            }
        }
        c.reply.integer(forgotten)
    }

    /// LATENCY GRAPH event: Redis's ASCII sparkline of the event's samples.
    static func graph(_ c: CommandContext) {
        let name = c.args[2].string
        guard let series = event(c, named: name) else {
            return c.reply.error(bytes: Array("ERR No samples available for event '".utf8) + c.args[2].array + [UInt8(ascii: "'")])
        }
        c.reply.verbatim(LatencyGraph.render(event: name, series: series, now: c.now / 1000))
    }

    static func doctor(_ c: CommandContext) {
        let shard = ServerCommands.shard(c)
        c.reply.verbatim(LatencyDoctorReport(events: events(c), config: shard.server.config).text)
    }

    /// LATENCY HISTOGRAM [command ...]: for each command with a histogram (all of them, or the
    /// ones named, a container standing for its subcommands), its calls and cumulative counts.
    static func histogram(_ c: CommandContext) {
        let shard = ServerCommands.shard(c)
        let table = shard.table
        var ids: [Int] = []
        if c.args.count == 2 {
            ids = table.commands.map(\.id)
        } else {
            for index in 2..<c.args.count {
                guard let command = table.command(named: c.args[index].string) else { continue }
                ids.append(command.id)
                ids += command.spec.subcommands.compactMap { table.command(named: "\(command.fullName)|\($0.name)")?.id }
            }
        }
        let reported = ids.compactMap { id in histogram(shard.group.shards, of: id).map { (table.commands[id].fullName, $0) } }
        c.reply.mapHeader(reported.count)
        for (name, histogram) in reported {
            c.reply.bulk(name)
            c.reply.mapHeader(2)
            c.reply.bulk("calls")
            c.reply.integer(histogram.totalCount)
            c.reply.bulk("histogram_usec")
            let buckets = histogram.cumulativeBuckets()
            c.reply.mapHeader(buckets.count)
            for bucket in buckets {
                c.reply.integer(bucket.microseconds)
                c.reply.integer(bucket.count)
            }
        }
    }

    /// Command `id`'s histogram over every shard; nil if no shard has one.
    static func histogram(_ shards: [Shard], of id: Int) -> LatencyHistogram? {
        let parts = shards.compactMap { $0.executor.latencyHistograms.histogram(of: id) }
        guard var total = parts.first else { return nil }
        for part in parts.dropFirst() { total.add(part) }
        return total
    }

    static func help(_ c: CommandContext) {
        ServerCommands.replyHelp(c, command: "LATENCY", lines: [
            "DOCTOR",
            "    Return a human readable latency analysis report.",
            "GRAPH <event>",
            "    Return an ASCII latency graph for the <event> class.",
            "HISTORY <event>",
            "    Return time-latency samples for the <event> class.",
            "LATEST",
            "    Return the latest latency samples for all events.",
            "RESET [<event> ...]",
            "    Reset latency data of one or more <event> classes.",
            "    (default: reset all data for all event classes)",
            "HISTOGRAM [COMMAND ...]",
            "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
            "    If no commands are specified then all histograms are replied.",
        ])
    }
}
