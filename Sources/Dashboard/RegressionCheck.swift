/// `ferrite-dashboard check`: is the newest commit of any experiment a regression? Every
/// workload's throughput and P99 series is run through the detector; a change point at the
/// newest commit in the bad direction (throughput down, P99 up) is a finding.
public struct RegressionCheck: Sendable {
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        public let experiment: String
        public let workload: String
        public let metric: Metric
        public let change: ChangePointDetector.ChangePoint

        public var description: String {
            "\(experiment) \(workload) \(metric.title): regression at \(change.commit): "
                + "\(formatPercent(change.relativeChange)) (confidence \(formatConfidence(change.confidence)))"
        }
    }

    public let library: ResultsLibrary
    public let detector: ChangePointDetector

    public init(library: ResultsLibrary, detector: ChangePointDetector = ChangePointDetector()) {
        self.library = library
        self.detector = detector
    }

    public func findings() -> [Finding] {
        var findings: [Finding] = []
        for experiment in library.experiments {
            let runs = library.runs(of: experiment)
            for workload in SeriesBuilder.workloads(of: runs) {
                for metric in Metric.allCases {
                    let series = SeriesBuilder.series(runs, experiment: experiment, workload: workload, metric: metric)
                    guard let newest = series.entries.last?.commit.short else { continue }
                    for change in series.changePoints(detector: detector) where change.commit == newest && series.isRegression(change) {
                        findings.append(Finding(experiment: experiment, workload: workload, metric: metric, change: change))
                    }
                }
            }
        }
        return findings
    }
}

private func formatPercent(_ value: Double) -> String {
    let tenths = Int((value * 1000).rounded())
    return (tenths >= 0 ? "+" : "-") + "\(abs(tenths) / 10).\(abs(tenths) % 10)%"
}

private func formatConfidence(_ value: Double) -> String {
    let permille = Int((value * 1000).rounded(.down))
    return "\(permille / 10).\(permille % 10)%"
}
