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
