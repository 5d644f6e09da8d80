import Foundation

/// Two commits of one experiment side by side: per workload and metric the medians, their
/// ratio, and whether the difference is significant (rank-sum test over the two commits'
/// samples), with the reference server's own change beside it, so that a difference that
/// the reference shows too reads as the machine, not the code.
struct ComparePage {
    let library: ResultsLibrary
    let experiment: String
    let base: String
    let other: String

    /// Nil when the experiment has no runs of either commit.
    func render() -> String? {
        let runs = library.runs(of: experiment)
        guard runs.contains(where: { $0.record.commit.short == base }), runs.contains(where: { $0.record.commit.short == other }) else { return nil }
        var body = "<h1>\(Html.escape(experiment)): <code>\(Html.escape(base))</code> → <code>\(Html.escape(other))</code></h1>"
        body += "<p class=\"muted\">Ratio: the second commit's median over the first's. p: two-sided rank-sum test over both commits' samples; a difference counts at p &lt; 0.05.</p>"
        body += "<table class=\"compare\"><tr><th class=\"text\">workload</th><th class=\"text\">metric</th><th class=\"text\">server</th><th>\(Html.escape(base))</th><th>\(Html.escape(other))</th><th>ratio</th><th>p</th><th class=\"text\">verdict</th></tr>"
        for workload in SeriesBuilder.workloads(of: runs) {
            for metric in Metric.allCases {
                let series = SeriesBuilder.series(runs, experiment: experiment, workload: workload, metric: metric)
                guard let first = series.entries.first(where: { $0.commit.short == base }),
                      let second = series.entries.first(where: { $0.commit.short == other }) else { continue }
                let rows = [(series.subjectName, first.subject, second.subject)]
                    + series.referenceNames.map { ($0, first.references[$0] ?? [], second.references[$0] ?? []) }
                for (server, a, b) in rows where !a.isEmpty && !b.isEmpty {
                    let comparison = Self.compare(a, b, metric: metric)
                    body += "<tr><td class=\"text\">\(Html.escape(workload))</td><td class=\"text\">\(metric.title) (\(metric.unit))</td>"
                    body += "<td class=\"text\">\(Html.escape(server))</td><td>\(SVGChart.compact(comparison.medianA))</td><td>\(SVGChart.compact(comparison.medianB))</td>"
                    body += "<td>\(String(format: "%.3f", comparison.ratio))</td><td>\(String(format: "%.3g", comparison.pValue))</td>"
                    body += "<td class=\"text \(comparison.verdict)\">\(comparison.verdict)</td></tr>"
                }
            }
        }
        body += "</table><p><a href=\"../../index.html\">All experiments</a></p>"
        return PageLayout.document(title: "\(experiment) \(base) vs \(other)", root: "../../", body: body)
    }

    struct Comparison: Equatable {
        let medianA: Double
        let medianB: Double
        let ratio: Double
        let pValue: Double
        /// "regression", "improvement" or "no significant change".
        let verdict: String
    }

    static func compare(_ a: [Double], _ b: [Double], metric: Metric) -> Comparison {
        let medianA = Statistics.median(a), medianB = Statistics.median(b)
        let test = RankSumTest.compare(a, b)
        let ratio = medianB / medianA
        let verdict = test.pValue >= 0.05 ? "no significant change" : ((ratio > 1) == metric.higherIsBetter ? "improvement" : "regression")
        return Comparison(medianA: medianA, medianB: medianB, ratio: ratio, pValue: test.pValue, verdict: verdict)
    }
}
