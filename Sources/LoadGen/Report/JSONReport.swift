import Histogram

/// `--json-out-file` in memtier's shape: "configuration", "run information", then one section
/// per reported run ("ALL STATS", or "RUN #n RESULTS", "BEST RUN RESULTS", …) holding
/// "Runtime" and one object per request type (Sets, Gets, Waits, Totals, or one per
/// --command) with memtier's keys (Count, Ops/sec, Hits/sec, Misses/sec, latencies, KB/sec,
/// Time-Serie, Percentile Latencies). ferrite-bench adds "Errors", "Errors/sec" per type and a
/// "Load" object saying which load mode ran (closed-loop, rate-limited, open-loop) and, in open
/// loop, the rate asked for and whether the server kept up.
enum JSONReport {
    static func configuration(_ config: BenchmarkConfig, into json: inout JSONWriter) {
        json.beginObject("configuration")
        switch config.endpoint {
        case .tcp(let host, let port):
            json.string("server", host)
            json.integer("port", port)
            json.string("unix socket", "")
        case .unix(let path):
            json.string("server", "")
            json.integer("port", 0)
            json.string("unix socket", path)
        }
        json.string("protocol", config.protocolVersion.rawValue)
        json.integer("run_count", config.runCount)
        var requests = 0
        var testTime = 0
        switch config.runLength {
        case .requestsPerConnection(let count): requests = count
        case .allKeys: requests = config.keyCount
        case .seconds(let seconds): testTime = Int(seconds)
        }
        json.integer("requests", requests)
        if case .rateLimited(let perConnection) = config.loadMode { json.integer("rate_limit", Int(perConnection)) } else { json.integer("rate_limit", 0) }
        json.integer("clients", config.connectionsPerThread)
        json.integer("threads", config.threads)
        json.integer("test_time", testTime)
        json.string("ratio", "\(config.ratio.sets):\(config.ratio.gets)")
        json.integer("pipeline", config.pipeline)
        switch config.dataSizes {
        case .fixed(let size):
            json.integer("data_size", size)
            json.string("data_size_range", "0:0")
        case .range(let low, let high, _):
            json.integer("data_size", 0)
            json.string("data_size_range", "\(low):\(high)")
        }
        if case .range(_, _, true) = config.dataSizes { json.string("data_size_pattern", "S") } else { json.string("data_size_pattern", "R") }
        json.string("data_verify", config.verify ? "true" : "false")
        json.string("verify_only", config.verifyOnly ? "true" : "false")
        json.string("key_prefix", config.keyPrefix)
        json.integer("key_minimum", config.keyMinimum)
        json.integer("key_maximum", config.keyMaximum)
        json.string("key_pattern", "\(config.setKeyPattern.letter):\(config.getKeyPattern.letter)")
        json.number("key_stddev", config.keyDistribution.gaussianStddev ?? 0, decimals: 6)
        json.number("key_median", config.keyDistribution.gaussianMedian ?? 0, decimals: 6)
        json.number("key_zipf_exp", config.keyDistribution.zipfExponent, decimals: 6)
        json.string("authenticate", config.authentication == nil ? "" : "****")
        json.integer("select-db", config.selectDB ?? 0)
        json.string("load_mode", config.loadMode.name)
        if case .openLoop(let rate, let arrival) = config.loadMode {
            json.number("rate", rate, decimals: 2)
            json.string("arrival", arrival.rawValue)
        }
        json.string("io_backend", config.ioBackend.rawValue)
        json.end()

        json.beginObject("run information")
        json.integer("Threads", config.threads)
        json.integer("Connections per thread", config.connectionsPerThread)
        switch config.runLength {
        case .seconds(let seconds): json.integer("Seconds", Int(seconds))
        case .requestsPerConnection(let count): json.integer("Requests per client", count)
        case .allKeys: json.integer("Requests per client", config.keyCount / max(config.totalConnections, 1))
        }
        json.integer("Format version", 2)
        json.end()
    }

    static func run(_ result: RunResult, title: String, into json: inout JSONWriter) {
        let plan = result.plan
        json.beginObject(title)
        json.beginObject("Runtime")
        json.integer("Start time", Int(result.startWallMilliseconds))
        json.integer("Finish time", Int(result.finishWallMilliseconds))
        json.integer("Total duration", Int(result.durationNanos / 1_000_000))
        json.string("Time unit", "MILLISECONDS")
        json.string("Interrupted", "false")
        json.end()
        json.beginObject("Load")
        json.string("Mode", plan.verifying ? "verify" : plan.config.loadMode.name)
        json.string("I/O backend", result.backend.rawValue)
        if let outcome = result.openLoopOutcome {
            json.string("Arrival", {
                if case .openLoop(_, let arrival) = plan.config.loadMode { return arrival.rawValue }
                return ""
            }())
            json.number("Requested Ops/sec", outcome.requested, decimals: 2)
            json.number("Achieved Ops/sec", outcome.achieved, decimals: 2)
            json.string("Kept Up", outcome.keptUp ? "true" : "false")
            json.number("Max Send Lag", Double(result.maxSendLagNanos) / 1e6, decimals: 3)
            json.integer("Held Back", result.lateSends)
            json.integer("Backlog", result.backlog)
        }
        json.end()
        if plan.verifying {
            json.beginObject("Verification")
            json.integer("Checked", result.verification.checked)
            json.integer("Matched", result.verification.matched)
            json.integer("Mismatched", result.verification.mismatched)
            json.integer("Missing", result.verification.missing)
            json.end()
        }
        for (type, stats) in zip(plan.types, result.stats) {
            typeStats(type.name, stats, result, hitsAndMisses: type.name != "Sets", into: &json)
        }
        if plan.isKeyValueWorkload && !plan.verifying { typeStats("Waits", RequestStats(), result, hitsAndMisses: false, into: &json) }
        typeStats("Totals", result.totals, result, hitsAndMisses: true, into: &json)
        if !plan.config.hideHistogram {
            for (type, stats) in zip(plan.types, result.stats) {
                json.beginArray(type.fileName)
                for step in TableReport.distribution(stats.histogram) {
                    json.beginObject()
                    json.number("<=msec", step.msec, decimals: 3)
                    json.number("percent", step.percent, decimals: 3)
                    json.end()
                }
                json.end(array: true)
            }
        }
        json.end()
    }

    /// memtier's per-type object (its `result_print_to_json`).
    private static func typeStats(_ name: String, _ stats: RequestStats, _ result: RunResult, hitsAndMisses: Bool, into json: inout JSONWriter) {
        let seconds = result.durationSeconds
        let c = stats.counters
        let percentiles = result.plan.config.percentiles
        json.beginObject(name)
        json.integer("Count", c.count)
        json.number("Ops/sec", Double(c.count) / seconds, decimals: 2)
        json.number("Hits/sec", hitsAndMisses ? Double(c.hits) / seconds : 0, decimals: 2)
        json.number("Misses/sec", hitsAndMisses ? Double(c.misses) / seconds : 0, decimals: 2)
        json.number("Connection Errors/sec", 0, decimals: 2)
        json.integer("Connection Errors", 0)
        json.integer("Errors", c.errors)
        json.number("Errors/sec", Double(c.errors) / seconds, decimals: 2)
        let average = TableReport.averageMilliseconds(c)
        json.number("Latency", average, decimals: 3)
        json.number("Average Latency", average, decimals: 3)
        json.integer("Accumulated Latency", Int(c.latencyMicrosTotal / 1000))
        json.number("Min Latency", c.count > 0 ? Double(stats.histogram.min) / 1000 : 0, decimals: 3)
        json.number("Max Latency", c.count > 0 ? Double(stats.histogram.max) / 1000 : 0, decimals: 3)
        let kilobytes = Double(c.bytesSent + c.bytesReceived) / 1024 / seconds
        json.number("KB/sec", kilobytes, decimals: 2)
        json.number("KB/sec RX/TX", kilobytes, decimals: 2)
        json.number("KB/sec RX", Double(c.bytesReceived) / 1024 / seconds, decimals: 2)
        json.number("KB/sec TX", Double(c.bytesSent) / 1024 / seconds, decimals: 2)
        json.beginObject("Time-Serie")
        // Every type lists every second of the run, as memtier's do (empty seconds too).
        let secondCount = result.stats.map(\.seconds.count).max() ?? 0
        for second in 0..<secondCount {
            let sample = second < stats.seconds.count ? stats.seconds[second] : nil
            let s = sample?.counters ?? RequestCounters()
            json.beginObject(String(second))
            json.integer("Bytes RX", s.bytesReceived)
            json.integer("Bytes TX", s.bytesSent)
            json.integer("Count", s.count)
            if let sample, s.count > 0 {
                json.number("Average Latency", Double(s.latencyMicrosTotal) / Double(s.count) / 1000, decimals: 3)
                json.integer("Accumulated Latency", Int(s.latencyMicrosTotal / 1000))
                json.number("Min Latency", Double(s.latencyMicrosMinimum) / 1000, decimals: 3)
                json.number("Max Latency", Double(s.latencyMicrosMaximum) / 1000, decimals: 3)
                for percentile in percentiles {
                    json.number(key(percentile), TableReport.percentileMilliseconds(sample.histogram, percentile), decimals: 3)
                }
            }
            json.end()
        }
        json.end()
        json.beginObject("Percentile Latencies")
        for percentile in percentiles {
            json.number(key(percentile), TableReport.percentileMilliseconds(stats.histogram, percentile), decimals: 3)
        }
        json.end()
        json.end()
    }

    /// memtier's percentile key: "p50.00", "p99.90", "p99.99" (two decimals).
    static func key(_ percentile: Double) -> String { "p" + Text.fixed(percentile, 2) }
}
