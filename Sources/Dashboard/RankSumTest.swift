import Glibc

/// The Mann–Whitney U (Wilcoxon rank-sum) test: do two samples come from the same
/// distribution, or is one shifted? It looks only at ranks, so the heavy tails and outliers of
/// benchmark noise (a run hit by another process) move it far less than they move a t-test.
///
/// The p-value uses the normal approximation with the correction for ties; that is accurate
/// once each side has a handful of samples, which is the only regime a change-point window has.
public enum RankSumTest {
    public struct Result: Sendable, Equatable {
        /// Standardised U of `right` against `left`: positive when `right` tends to be larger.
        public let z: Double
        /// Two-sided p-value.
        public let pValue: Double
    }

    public static func compare(_ left: [Double], _ right: [Double]) -> Result {
        let m = Double(left.count)
        let n = Double(right.count)
        precondition(!left.isEmpty && !right.isEmpty, "both samples need values")
        // Ranks of the pooled values, ties getting their average rank.
        let pooled = (left.map { ($0, false) } + right.map { ($0, true) }).sorted { $0.0 < $1.0 }
        var rightRankSum = 0.0
        var tieCorrection = 0.0
        var start = 0
        while start < pooled.count {
            var end = start
            while end + 1 < pooled.count && pooled[end + 1].0 == pooled[start].0 { end += 1 }
            let rank = Double(start + end) / 2 + 1
            let tied = Double(end - start + 1)
            tieCorrection += tied * tied * tied - tied
            for index in start...end where pooled[index].1 { rightRankSum += rank }
            start = end + 1
        }
        let u = rightRankSum - n * (n + 1) / 2
        let mean = m * n / 2
        let total = m + n
        let variance = m * n / 12 * ((total + 1) - tieCorrection / (total * (total - 1)))
        guard variance > 0 else { return Result(z: 0, pValue: 1) }
        // Continuity correction: U moves in steps of 1.
        let distance = max(0, abs(u - mean) - 0.5)
        let z = (u > mean ? 1 : -1) * distance / variance.squareRoot()
        return Result(z: z, pValue: min(1, erfc(abs(z) / 2.0.squareRoot())))
    }
}
