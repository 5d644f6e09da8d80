import Foundation

/// One recorded run: where and how it ran (commit, environment, each server's version and
/// command), and per workload the latency distribution of every server and round as an HDR
/// percentile plot (percentiles on a log scale: 90 %, 99 %, 99.9 % … equally spaced), with
/// the table of its raw samples.
struct RunPage {
    let run: ResultsLibrary.Run

    func render() -> String {
        let record = run.record
        let root = DashboardSite.root(ofDepth: DashboardSite.runPath(run.id).split(separator: "/").count - 1)
        var body = "<h1>\(Html.escape(record.experiment.name)) at <code>\(Html.escape(record.commit.short))</code></h1>"
        body += "<p class=\"muted\">\(Html.escape(record.commit.subject ?? "")) — committed \(Html.escape(DashboardSite.format(record.commit.time))), "
        body += "run started \(Html.escape(DashboardSite.format(record.started)))\(record.commit.dirty ? ", <strong>dirty tree</strong>" : "")</p>"
        body += "<h2>Environment</h2><table class=\"environment\">"
        let environment = record.environment
        for (name, value) in [("commit", record.commit.id), ("CPU", environment.cpuModel), ("cores", String(environment.cores)),
                              ("kernel", environment.kernel), ("Swift", environment.swift), ("host", environment.host ?? ""),
                              ("experiment file", "\(record.experiment.file) (sha256 \(record.experiment.sha256.prefix(12)))"),
                              ("probes", record.probes.map { $0.available ? "recorded" : "unavailable: \($0.reason ?? "")" } ?? "not requested")] {
            body += "<tr><th class=\"text\">\(name)</th><td class=\"text\">\(Html.escape(value))</td></tr>"
        }
        body += "</table><h2>Servers</h2><table class=\"servers\"><tr><th class=\"text\">server</th><th class=\"text\">version</th><th class=\"text\">command</th></tr>"
        for server in record.servers {
            body += "<tr><td class=\"text\">\(Html.escape(server.name))\(server.reference ? " <span class=\"muted\">(reference)</span>" : "")</td>"
            body += "<td class=\"text\">\(Html.escape(server.version))</td><td class=\"text\"><code>\(Html.escape(server.command))</code></td></tr>"
        }
        body += "</table>"
        for workload in record.workloads {
            let samples = record.samples.filter { $0.workload == workload.name }
            body += "<h2>\(Html.escape(workload.name)) <span class=\"muted\">(\(Html.escape(workload.mode))-loop: <code>\(Html.escape(workload.arguments.joined(separator: " ")))</code>)</span></h2>"
            body += "<div class=\"charts\">\(percentileChart(workload.name, samples, servers: record.servers.map(\.name)))</div>"
            body += sampleTable(samples)
            body += probeTable(samples, servers: record.servers.map(\.name))
        }
        body += "<p><a href=\"\(root)index.html\">All experiments</a></p>"
        return PageLayout.document(title: "\(record.experiment.name) \(record.commit.short)", root: root, body: body)
    }

    /// Latency by percentile, x = log10(1 / (1 - p)): 90 % at 1, 99 % at 2, 99.9 % at 3; per
    /// server the median over its rounds at each percentile the histograms report.
    private func percentileChart(_ workload: String, _ samples: [ResultRecord.Sample], servers: [String]) -> String {
        var lines: [SVGChart.Line] = []
        var deepest = 2.0
        for (offset, server) in servers.enumerated() {
            let rounds = samples.filter { $0.server == server }.compactMap(\.latencyDistribution)
            var byPercentile: [Double: [Double]] = [:]
            for distribution in rounds {
                for pair in distribution where pair.count == 2 && pair[0] < 100 { byPercentile[pair[0], default: []].append(pair[1]) }
            }
            let points = byPercentile.keys.sorted().map { percentile -> SVGChart.Point in
                let x = log10(100 / (100 - percentile))
                deepest = max(deepest, x)
                let latency = Statistics.median(byPercentile[percentile]!)
                return .init(x: x, y: latency, link: nil,
                             title: "\(server): p\(Self.percentLabel(percentile)) \(SVGChart.compact(latency)) ms (median of \(rounds.count) rounds)")
            }
            lines.append(.init(name: server, cssClass: "series-\(offset % 4)", points: points, dashed: offset > 0))
        }
        let ticks = [(log10(2.0), "50%"), (1.0, "90%"), (2.0, "99%"), (3.0, "99.9%"), (4.0, "99.99%"), (5.0, "99.999%"), (6.0, "99.9999%")]
            .filter { $0.0 <= deepest.rounded(.up) }
        let chart = SVGChart(title: "\(workload) · latency by percentile (median of rounds)", xTitle: "percentile (log scale)",
                             yTitle: "latency (ms)", lines: lines, xTicks: ticks)
        return chart.render()
    }

    /// The eBPF probes' view of each server thread over the rounds (empty when none ran):
    /// system calls per request and the commonest calls, run-queue waits per thousand
    /// requests, their mean and the longest.
    private func probeTable(_ samples: [ResultRecord.Sample], servers: [String]) -> String {
        var rows = ""
        for server in servers {
            let probed = samples.filter { $0.server == server && $0.probes != nil }
            var threads: [String] = []
            for sample in probed { for thread in sample.probes! where !threads.contains(thread.thread) { threads.append(thread.thread) } }
            for name in threads {
                let rounds = probed.compactMap { sample in sample.probes!.first { $0.thread == name }.map { (sample, $0) } }
                let operations = Double(max(1, rounds.reduce(0) { $0 + ($1.0.operations ?? 0) }))
                let syscalls = rounds.reduce(0) { $0 + $1.1.syscalls }
                var byName: [String: Int] = [:]
                for (_, thread) in rounds { for call in thread.syscallsByName { byName[call.name, default: 0] += call.count } }
                let common = byName.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3)
                    .map { "\($0.key) \(String(format: "%.3f", Double($0.value) / operations))" }.joined(separator: ", ")
                let waits = rounds.reduce(0) { $0 + $1.1.runQueueWaits }
                let waited = rounds.reduce(0.0) { $0 + $1.1.runQueueWaitMicros }
                let longest = rounds.map(\.1.runQueueMaxWaitMicros).max() ?? 0
                let cells = [String(format: "%.3f", Double(syscalls) / operations), String(format: "%.2f", Double(waits) * 1000 / operations),
                             String(format: "%.1f", waits > 0 ? waited / Double(waits) : 0), String(format: "%.0f", longest),
                             String(rounds.reduce(0) { $0 + $1.1.preemptions })]
                rows += "<tr><td class=\"text\">\(Html.escape(server))</td><td class=\"text\">\(Html.escape(name))</td><td>\(rounds.count)</td>"
                    + cells.map { "<td>\($0)</td>" }.joined() + "<td class=\"text\">\(Html.escape(common))</td></tr>"
            }
        }
        guard !rows.isEmpty else { return "" }
        return "<h3>Thread probes (eBPF)</h3>" + waitChart(samples, servers: servers) + "<table class=\"probes\"><tr><th class=\"text\">server</th><th class=\"text\">thread</th><th>rounds</th>"
            + "<th>syscalls/request</th><th>run-queue waits per 1000 requests</th><th>mean wait µs</th><th>longest wait µs</th>"
            + "<th>preemptions</th><th class=\"text\">commonest calls per request</th></tr>" + rows + "</table>"
    }

    /// How long each server's threads waited for a CPU: per log2 bucket of wait time, the
    /// share of their waits over all rounds (one line per server, so the legend stays
    /// readable; the table under it has each thread). Empty when no thread waited.
    private func waitChart(_ samples: [ResultRecord.Sample], servers: [String]) -> String {
        var lines: [SVGChart.Line] = []
        var highest = 1
        for (offset, server) in servers.enumerated() {
            var counts: [Int] = []
            for sample in samples where sample.server == server {
                for thread in sample.probes ?? [] {
                    if counts.isEmpty { counts = Array(repeating: 0, count: thread.runQueueWaitBuckets.count) }
                    counts = zip(counts, thread.runQueueWaitBuckets).map { $0 + $1 }
                }
            }
            let total = Double(counts.reduce(0, +))
            guard total > 0 else { continue }
            highest = max(highest, counts.lastIndex { $0 > 0 } ?? 0)
            let points = counts.enumerated().map { bucket, count in
                SVGChart.Point(x: Double(bucket), y: Double(count) * 100 / total, link: nil,
                               title: "\(server): \(String(format: "%.1f", Double(count) * 100 / total)) % of waits in the \(Self.waitLabel(bucket)) bucket")
            }
            lines.append(.init(name: server, cssClass: "series-\(offset % 4)", points: points, dashed: offset > 0))
        }
        guard !lines.isEmpty else { return "" }
        for index in lines.indices { lines[index].points = Array(lines[index].points.prefix(highest + 1)) }
        let ticks = stride(from: 0, through: highest, by: highest > 12 ? 2 : 1).map { (Double($0), Self.waitLabel($0)) }
        let chart = SVGChart(title: "Run-queue waits by length (all threads and rounds)", xTitle: "wait (log2 buckets)",
                             yTitle: "share of waits (%)", lines: lines, xTicks: ticks)
        return "<div class=\"charts\">\(chart.render())</div>"
    }

    /// Bucket 0 holds waits under 2 µs, bucket i those from 2^i µs.
    static func waitLabel(_ bucket: Int) -> String {
        guard bucket > 0 else { return "<2µs" }
        let micros = 1 << bucket
        return micros >= 1024 ? "\(micros / 1024)ms" : "\(micros)µs"
    }

    static func percentLabel(_ percentile: Double) -> String {
        percentile == percentile.rounded() ? String(Int(percentile)) : String(percentile)
    }

    private func sampleTable(_ samples: [ResultRecord.Sample]) -> String {
        var table = "<table class=\"samples\"><tr><th class=\"text\">server</th><th>round</th><th>ops/s</th><th>p50 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>server CPU s</th><th>ops/CPU-s</th><th>RSS</th><th>bytes/key</th></tr>"
        for sample in samples {
            let cells = [String(format: "%.0f", sample.opsPerSec), String(format: "%.3f", sample.p50Ms), String(format: "%.3f", sample.p99Ms),
                         String(format: "%.3f", sample.p999Ms), sample.serverCpuSeconds.map { String(format: "%.2f", $0) } ?? "",
                         sample.opsPerCpuSecond.map { String(format: "%.0f", $0) } ?? "", sample.rssBytes.map(String.init) ?? "",
                         sample.bytesPerKey.map { String(format: "%.1f", $0) } ?? ""]
            table += "<tr><td class=\"text\">\(Html.escape(sample.server))</td><td>\(sample.round)</td>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>"
        }
        return table + "</table>"
    }
}
