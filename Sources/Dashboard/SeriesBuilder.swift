/// What a chart shows of a workload: throughput or tail latency.
public enum Metric: String, CaseIterable, Sendable {
    case throughput
    case p99

    public var title: String { self == .throughput ? "Throughput" : "P99 latency" }
    public var unit: String { self == .throughput ? "ops/s" : "ms" }
    /// Whether a rise is an improvement (throughput) or a regression (latency).
    public var higherIsBetter: Bool { self == .throughput }

    public func value(of sample: ResultRecord.Sample) -> Double {
        self == .throughput ? sample.opsPerSec : sample.p99Ms
    }

    /// The detector this metric's series are judged with. P99 changes under 10 % are not
    /// flagged: here the P99 ratio of Ferrite to Redis wanders between stretches of one build's
    /// recording (medians of 15 rounds of GET P1: 0.77–0.93; a slower machine lifts Redis's
    /// tail more than Ferrite's, so the ratio does not cancel drift as it does for
    /// throughput), and every false alarm on recorded P99 noise was such a wander, of 6–8 %
    /// (`RecordedNoiseTests`).
    public func detector(from base: ChangePointDetector) -> ChangePointDetector {
        guard self == .p99 else { return base }
        var detector = base
        detector.minimumChange = max(base.minimumChange, 0.10)
        return detector
    }
}

/// One workload's metric over the commits of an experiment: per commit the samples of the
/// server under test and of each reference server, pooled over that commit's runs.
public struct CommitSeries: Sendable {
    public struct Entry: Sendable {
        public let commit: ResultRecord.Commit
        public let runIDs: [String]
        public let subject: [Double]
        /// Samples by reference server name.
        public let references: [String: [Double]]
        /// Subject over first reference, round by round within each run: what drift on the
        /// machine moves least, since both were measured side by side.
        public let ratios: [Double]

        public var subjectMedian: Double? { subject.isEmpty ? nil : Statistics.median(subject) }
        public func referenceMedian(_ name: String) -> Double? {
            references[name].flatMap { $0.isEmpty ? nil : Statistics.median($0) }
        }
    }

    public let experiment: String
    public let workload: String
    public let metric: Metric
    public let subjectName: String
    public let referenceNames: [String]
    public let entries: [Entry]

    /// Change points of the series: on the ratios when every commit has them, else on the
    /// subject's own samples.
    public func changePoints(detector: ChangePointDetector = ChangePointDetector()) -> [ChangePointDetector.ChangePoint] {
        let useRatios = entries.allSatisfy { !$0.ratios.isEmpty }
        let points = entries.map { ChangePointDetector.Point(commit: $0.commit.short, samples: useRatios ? $0.ratios : $0.subject) }
        return metric.detector(from: detector).changePoints(in: points.filter { !$0.samples.isEmpty })
    }

    /// Whether a change point is a regression for this metric.
    public func isRegression(_ change: ChangePointDetector.ChangePoint) -> Bool {
        metric.higherIsBetter ? change.relativeChange < 0 : change.relativeChange > 0
    }
}

/// Builds the series the dashboard draws from a library of runs.
public enum SeriesBuilder {
    /// Workload names of an experiment, in the order its newest run lists them.
    public static func workloads(of runs: [ResultsLibrary.Run]) -> [String] {
        var names = runs.last?.record.workloads.map(\.name) ?? []
        for run in runs { for workload in run.record.workloads where !names.contains(workload.name) { names.append(workload.name) } }
        return names
    }

    public static func series(_ runs: [ResultsLibrary.Run], experiment: String, workload: String, metric: Metric) -> CommitSeries {
        var order: [String] = []
        var grouped: [String: [ResultsLibrary.Run]] = [:]
        for run in runs {
            let id = run.record.commit.id
            if grouped[id] == nil { order.append(id) }
            grouped[id, default: []].append(run)
        }
        let subjectName = runs.last?.record.subject?.name ?? "ferrite"
        var referenceNames: [String] = []
        for run in runs { for server in run.record.servers where server.reference && !referenceNames.contains(server.name) { referenceNames.append(server.name) } }
        let entries = order.map { id -> CommitSeries.Entry in
            let commitRuns = grouped[id]!
            var subject: [Double] = []
            var references: [String: [Double]] = [:]
            var ratios: [Double] = []
            for run in commitRuns {
                let samples = run.record.samples.filter { $0.workload == workload }
                let mine = samples.filter { $0.server == subjectName }
                subject += mine.map(metric.value)
                for name in referenceNames { references[name, default: []] += samples.filter { $0.server == name }.map(metric.value) }
                if let first = run.record.reference?.name {
                    for sample in mine {
                        if let partner = samples.first(where: { $0.server == first && $0.round == sample.round }), metric.value(of: partner) > 0 {
                            ratios.append(metric.value(of: sample) / metric.value(of: partner))
                        }
                    }
                }
            }
            return .init(commit: commitRuns.last!.record.commit, runIDs: commitRuns.map(\.id), subject: subject, references: references, ratios: ratios)
        }
        return CommitSeries(experiment: experiment, workload: workload, metric: metric, subjectName: subjectName,
                            referenceNames: referenceNames, entries: entries)
    }
}

/// The arithmetic every page shares.
public enum Statistics {
    public static func median(_ values: [Double]) -> Double {
        precondition(!values.isEmpty, "median of nothing")
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
