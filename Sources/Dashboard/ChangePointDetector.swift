/// Finds the commits where a noisy benchmark series changed level: throughput or P99 of one
/// workload, one point per commit, each point the samples (rounds) of that commit's run.
///
/// Method: a sliding rank-sum test. For every boundary between two commits, the samples of up
/// to `window` commits before it are compared with those of up to `window` commits from it on
/// (`RankSumTest`); a boundary is a candidate when the difference is significant and the
/// medians differ by at least `minimumChange`. A real step makes the boundaries next to it
/// significant too, so among candidates closer than `window` commits only the strongest stays.
///
/// Why this and not E-divisive means: benchmark noise here has heavy tails (a run that shares
/// the machine with a build loses 30 %), ranks ignore how far an outlier lies, and the test
/// gives its own p-value where E-divisive needs hundreds of permutations per split to get
/// one. The windows keep old history from hiding a recent step.
///
/// The significance levels are far below the nominal false-alarm rate because the samples of
/// one run are not independent (drift within a run moves them together), which the rank test
/// assumes: `RecordedNoiseTests` measures false alarms on this machine's recorded noise, and
/// these levels keep them under 1 % of step-free series.
public struct ChangePointDetector: Sendable {
    /// Commits on each side of a boundary that are compared.
    public var window: Int
    /// Largest p-value that counts as a change.
    public var significance: Double
    /// The same for the newest boundaries, whose side after has fewer than `minimumHistory`
    /// commits: fewer samples, so less evidence is possible (with 5 rounds against 30 samples
    /// the smallest p is 0.00045), while only these few tests ask about the newest commit.
    public var tailSignificance: Double
    /// Smallest relative difference of medians that counts, so that a tiny but consistent
    /// shift (one that no one would act on) is not flagged.
    public var minimumChange: Double
    /// Fewest commits the side before a boundary needs.
    public var minimumHistory: Int

    public init(
        window: Int = 6, significance: Double = 0.00005, tailSignificance: Double = 0.0005, minimumChange: Double = 0.02,
        minimumHistory: Int = 3
    ) {
        self.window = window
        self.significance = significance
        self.tailSignificance = tailSignificance
        self.minimumChange = minimumChange
        self.minimumHistory = minimumHistory
    }

    /// One commit's measurement of the series.
    public struct Point: Sendable {
        public let commit: String
        public let samples: [Double]
        public init(commit: String, samples: [Double]) {
            self.commit = commit
            self.samples = samples
        }
    }

    /// A detected change: the first commit of the new level.
    public struct ChangePoint: Sendable, Equatable {
        public let index: Int
        public let commit: String
        /// Median of the samples after over median before, minus one (-0.05: 5 % lower).
        public let relativeChange: Double
        public let pValue: Double
        /// 1 - p-value.
        public var confidence: Double { 1 - pValue }
    }

    public func changePoints(in series: [Point]) -> [ChangePoint] {
        var candidates: [(point: ChangePoint, strength: Double)] = []
        for boundary in series.indices.dropFirst() {
            guard let (point, strength) = test(series, at: boundary) else { continue }
            candidates.append((point, strength))
        }
        var kept: [ChangePoint] = []
        for candidate in candidates.sorted(by: { $0.strength > $1.strength }) {
            if kept.allSatisfy({ abs($0.index - candidate.point.index) >= window }) { kept.append(candidate.point) }
        }
        return kept.sorted { $0.index < $1.index }
    }

    /// The change at `boundary` if significant, with its |z| as strength.
    private func test(_ series: [Point], at boundary: Int) -> (ChangePoint, Double)? {
        let before = series[max(0, boundary - window)..<boundary]
        let after = series[boundary..<min(series.count, boundary + window)]
        guard before.count >= minimumHistory else { return nil }
        let left = before.flatMap(\.samples)
        let right = after.flatMap(\.samples)
        guard !left.isEmpty && !right.isEmpty else { return nil }
        let result = RankSumTest.compare(left, right)
        let change = Statistics.median(right) / Statistics.median(left) - 1
        let threshold = after.count < minimumHistory ? tailSignificance : significance
        guard result.pValue <= threshold && abs(change) >= minimumChange else { return nil }
        return (ChangePoint(index: boundary, commit: series[boundary].commit, relativeChange: change, pValue: result.pValue), abs(result.z))
    }
}
