import Foundation

/// The front page: for every experiment and workload, throughput and P99 by commit — the
/// server under test as a line, each reference server (Redis, Valkey) as a dashed line,
/// commits where the detector found a change marked, every point linking to its run — and a
/// table of the commits with links to compare each with the one before and with the newest.
struct OverviewPage {
    let library: ResultsLibrary
    let detector: ChangePointDetector

    func render() -> String {
        var body = "<h1>Benchmarks by commit</h1>"
        if library.runs.isEmpty { body += "<p class=\"empty\">No results yet: run <code>make bench</code>.</p>" }
        for experiment in library.experiments {
            let runs = library.runs(of: experiment)
            body += "<section class=\"experiment\" id=\"\(Html.escape(experiment))\"><h2>\(Html.escape(experiment))</h2>"
            if let description = runs.last?.record.experiment.description { body += "<p class=\"muted\">\(Html.escape(description))</p>" }
            for workload in SeriesBuilder.workloads(of: runs) {
                body += "<h3>\(Html.escape(workload))</h3><div class=\"charts\">"
                for metric in Metric.allCases {
                    let series = SeriesBuilder.series(runs, experiment: experiment, workload: workload, metric: metric)
                    body += Self.chart(series, detector: detector, root: "")
                }
                body += "</div>"
            }
            body += commitTable(experiment: experiment, runs: runs)
            body += "</section>"
        }
        return PageLayout.document(title: "Overview", root: "", body: body)
    }

    /// One metric's chart; `root` prefixes the links to run pages.
    static func chart(_ series: CommitSeries, detector: ChangePointDetector, root: String) -> String {
        let entries = series.entries
        func point(_ index: Int, _ value: Double?, server: String) -> SVGChart.Point? {
            guard let value else { return nil }
            let entry = entries[index]
            return .init(x: Double(index), y: value, link: entry.runIDs.last.map { root + DashboardSite.runPath($0) },
                         title: "\(entry.commit.short) \(server): \(SVGChart.compact(value)) \(series.metric.unit)")
        }
        var lines = [SVGChart.Line(name: series.subjectName, cssClass: "series-0",
                                   points: entries.indices.compactMap { point($0, entries[$0].subjectMedian, server: series.subjectName) })]
        for (offset, name) in series.referenceNames.enumerated() {
            lines.append(.init(name: name, cssClass: "series-\(offset % 3 + 1)",
                               points: entries.indices.compactMap { point($0, entries[$0].referenceMedian(name), server: name) }, dashed: true))
        }
        let markers = series.changePoints(detector: detector).compactMap { change -> SVGChart.Marker? in
            guard let index = entries.firstIndex(where: { $0.commit.short == change.commit }) else { return nil }
            return .init(x: Double(index), label: String(format: "%+.1f%%", change.relativeChange * 100),
                         cssClass: series.isRegression(change) ? "regression" : "improvement")
        }
        let chart = SVGChart(
            title: "\(series.workload) · \(series.metric.title) (median)", xTitle: "commit",
            yTitle: "\(series.metric.title) (\(series.metric.unit))", lines: lines,
            xTicks: entries.indices.map { (Double($0), entries[$0].commit.short) }, markers: markers)
        return chart.render()
    }

    private func commitTable(experiment: String, runs: [ResultsLibrary.Run]) -> String {
        var commits: [ResultRecord.Commit] = []
        for run in runs where !commits.contains(where: { $0.id == run.record.commit.id }) { commits.append(run.record.commit) }
        guard let newest = commits.last else { return "" }
        var table = "<table class=\"commits\"><tr><th class=\"text\">commit</th><th class=\"text\">time</th><th class=\"text\">subject</th><th class=\"text\">compare</th></tr>"
        for (index, commit) in commits.enumerated().reversed() {
            var links: [String] = []
            if index > 0 {
                links.append("<a href=\"\(DashboardSite.comparePath(experiment: experiment, commits[index - 1].short, commit.short))\">with previous</a>")
            }
            if commit.id != newest.id {
                links.append("<a href=\"\(DashboardSite.comparePath(experiment: experiment, commit.short, newest.short))\">with newest</a>")
            }
            table += "<tr><td class=\"text\"><code>\(Html.escape(commit.short))</code>\(commit.dirty ? " <span class=\"muted\">(dirty)</span>" : "")</td>"
            table += "<td class=\"text\">\(Html.escape(DashboardSite.format(commit.time)))</td>"
            table += "<td class=\"text\">\(Html.escape(commit.subject ?? ""))</td><td class=\"text\">\(links.joined(separator: " · "))</td></tr>"
        }
        return table + "</table>"
    }
}
