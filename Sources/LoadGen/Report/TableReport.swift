import Histogram

/// memtier's results table (Type, Ops/sec, Hits/sec, Misses/sec, Avg. Latency, one column per
/// --print-percentiles value, KB/sec), plus an Errors/sec column: a wrong or error reply is
/// counted and shown, never silently accepted. Followed by the open-loop verdict and, unless
/// --hide-histogram, the request latency distribution.
enum TableReport {
    static func render(_ result: RunResult, title: String) -> String {
        let plan = result.plan
        let keyValue = plan.isKeyValueWorkload && !plan.verifying
        var rows: [(String, RequestStats?)] = zip(plan.types.map(\.name), result.stats).map { ($0, $1) }
        if keyValue { rows.append(("Waits", nil)) }
        rows.append(("Totals", result.totals))
        let typeWidth = max(6, rows.map(\.0.count).max() ?? 6) + 1

        var header = Text.padRight("Type", typeWidth) + " " + Text.pad("Ops/sec", 12) + " "
        if keyValue || plan.verifying { header += Text.pad("Hits/sec", 12) + " " + Text.pad("Misses/sec", 12) + " " }
        header += Text.pad("Errors/sec", 12) + " " + Text.pad("Avg. Latency", 15) + " "
        for percentile in plan.config.percentiles { header += Text.pad(percentileLabel(percentile) + " Latency", 15) + " " }
        header += Text.pad("KB/sec", 12) + " "

        var text = "\n\n\(title)\n" + String(repeating: "=", count: header.count) + "\n" + header + "\n"
            + String(repeating: "-", count: header.count) + "\n"
        let seconds = result.durationSeconds
        for (name, stats) in rows {
            var line = Text.padRight(name, typeWidth) + " "
            guard let stats else {
                line += Text.pad(Text.fixed(0, 2), 12) + " "
                if keyValue { line += Text.pad("---", 12) + " " + Text.pad("---", 12) + " " }
                line += Text.pad("---", 12) + " " + Text.pad("---", 15) + " "
                for _ in plan.config.percentiles { line += Text.pad("---", 15) + " " }
                text += line + Text.pad("---", 12) + " \n"
                continue
            }
            let c = stats.counters
            let isSets = name == "Sets" && keyValue
            line += Text.pad(Text.fixed(Double(c.count) / seconds, 2), 12) + " "
            if keyValue || plan.verifying {
                line += isSets ? Text.pad("---", 12) + " " + Text.pad("---", 12) + " "
                    : Text.pad(Text.fixed(Double(c.hits) / seconds, 2), 12) + " " + Text.pad(Text.fixed(Double(c.misses) / seconds, 2), 12) + " "
            }
            line += Text.pad(Text.fixed(Double(c.errors) / seconds, 2), 12) + " "
            line += Text.pad(Text.fixed(averageMilliseconds(c), 5), 15) + " "
            for percentile in plan.config.percentiles {
                line += Text.pad(Text.fixed(percentileMilliseconds(stats.histogram, percentile), 5), 15) + " "
            }
            line += Text.pad(Text.fixed(Double(c.bytesSent + c.bytesReceived) / 1024 / seconds, 2), 12) + " "
            text += line + "\n"
        }
        if let outcome = result.openLoopOutcome {
            text += "\nOpen loop: requested \(Text.fixed(outcome.requested, 2)) ops/sec, completed \(Text.fixed(outcome.achieved, 2)) ops/sec; "
                + "latency measured from each request's intended send time.\n"
            if !outcome.keptUp {
                text += "WARNING: the server did not keep up with the requested rate: \(Text.fixed(outcome.achieved, 2)) of "
                    + "\(Text.fixed(outcome.requested, 2)) ops/sec; \(result.backlog) requests were overdue and unsent at the end, "
                    + "\(result.lateSends) waited for a full pipeline, up to \(Text.fixed(Double(result.maxSendLagNanos) / 1e6, 3)) ms past their due time.\n"
            }
        }
        if !plan.config.hideHistogram { text += histogram(result) }
        return text
    }

    static func averageMilliseconds(_ counters: RequestCounters) -> Double {
        counters.count > 0 ? Double(counters.latencyMicrosTotal) / Double(counters.count) / 1000 : 0
    }

    static func percentileMilliseconds(_ histogram: Histogram<UInt64>, _ percentile: Double) -> Double {
        histogram.totalCount > 0 ? Double(histogram.valueAtPercentile(percentile)) / 1000 : 0
    }

    /// "p50", "p99.9", "p99.99": as many decimals as the percentile has (up to three).
    static func percentileLabel(_ percentile: Double) -> String {
        var digits = 0
        var fraction = percentile - percentile.rounded(.down)
        while abs(fraction) > 0.001 && digits < 3 {
            fraction *= 10
            fraction -= fraction.rounded(.down)
            digits += 1
        }
        return "p" + Text.fixed(percentile, digits)
    }

    /// memtier's "Request Latency Distribution": per type, the latency at each percentile step.
    private static func histogram(_ result: RunResult) -> String {
        var text = "\n\nRequest Latency Distribution\n" + Text.padRight("Type", 6) + " " + Text.pad("<= msec   ", 12) + " "
            + Text.pad("Percent", 12) + "\n" + String(repeating: "-", count: 72) + "\n"
        for (type, stats) in zip(result.plan.types, result.stats) {
            for step in distribution(stats.histogram) {
                text += Text.padRight(type.fileName, 6) + " " + Text.pad(Text.fixed(step.msec, 3), 8) + " " + Text.pad(Text.fixed(step.percent, 3), 12) + "\n"
            }
            text += "---\n"
        }
        return text
    }

    /// The percentile steps memtier prints and writes to its JSON histogram arrays.
    static func distribution(_ histogram: Histogram<UInt64>) -> [(msec: Double, percent: Double)] {
        guard histogram.totalCount > 0 else { return [] }
        return histogram.percentiles(ticksPerHalfDistance: 5).map {
            (Double(histogram.highestEquivalentForValue($0.value)) / 1000, $0.percentileLevelIteratedTo)
        }
    }
}
