import Glibc
import Synchronization

/// The Mann–Whitney U (Wilcoxon rank-sum) test: do two samples come from the same
/// distribution, or is one shifted? It looks only at ranks, so the heavy tails and outliers of
/// benchmark noise (a run hit by another process) move it far less than they move a t-test.
///
/// The p-value is exact when there are no ties and at most `exactLimit` values in all (U's
/// null distribution counted, as SciPy's `method="exact"`); otherwise it uses the normal
/// approximation with the correction for ties. The detector asks for p-values far out in the
/// tail, where the approximation is many times too large for small samples: five runs below
/// all of eighteen have p = 0.00006, the approximation says 0.0009.
public enum RankSumTest {
    /// Largest pooled sample size whose U distribution is counted exactly (the counts fit in
    /// Int64 up to C(60, 30) ≈ 1.2e17).
    public static let exactLimit = 60

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
        if tieCorrection == 0 && left.count + right.count <= exactLimit {
            let tail = exactTail(u: u, left.count, right.count)
            return Result(z: u == mean ? 0 : (u > mean ? 1 : -1) * normalQuantile(ofUpperTail: tail), pValue: min(1, 2 * tail))
        }
        let variance = m * n / 12 * ((total + 1) - tieCorrection / (total * (total - 1)))
        guard variance > 0 else { return Result(z: 0, pValue: 1) }
        // Continuity correction: U moves in steps of 1.
        let distance = max(0, abs(u - mean) - 0.5)
        let z = (u > mean ? 1 : -1) * distance / variance.squareRoot()
        return Result(z: z, pValue: min(1, erfc(abs(z) / 2.0.squareRoot())))
    }

    /// P(U ≤ u) for u below the mean, P(U ≥ u) above it (the distribution is symmetric).
    static func exactTail(u: Double, _ m: Int, _ n: Int) -> Double {
        let cumulative = UDistribution.cumulative(m, n)
        let low = Int(min(u, Double(m * n) - u).rounded())
        return cumulative[low]
    }

    /// z with the same upper-tail probability as `p` (for the strength ranking of boundaries),
    /// by bisection on erfc.
    static func normalQuantile(ofUpperTail p: Double) -> Double {
        var low = 0.0
        var high = 40.0
        for _ in 0..<100 {
            let middle = (low + high) / 2
            if erfc(middle / 2.0.squareRoot()) / 2 > p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }
}

/// U's null distribution for sample sizes m and n without ties: the coefficients of the
/// Gaussian binomial [m+n choose n]_q, built as ∏ (1 − q^(m+i)) / (1 − q^i), as cumulative
/// probabilities. Cached by size: a detector asks for the same few sizes thousands of times.
enum UDistribution {
    private static let cache = Mutex<[Int: [Double]]>([:])

    static func cumulative(_ m: Int, _ n: Int) -> [Double] {
        let key = m << 16 | n
        if let known = cache.withLock({ $0[key] }) { return known }
        var counts: [Int64] = [1]
        for i in 1...n {
            // × (1 − q^(m+i))
            let shift = m + i
            var product = counts + [Int64](repeating: 0, count: shift)
            for k in shift..<product.count { product[k] -= counts[k - shift] }
            // ÷ (1 − q^i): the quotient's coefficient k is the product's plus the quotient's k − i.
            for k in i..<product.count { product[k] += product[k - i] }
            counts = Array(product.prefix(m * i + 1))
        }
        let total = Double(counts.reduce(0, +))
        var running = 0.0
        let result = counts.map { count -> Double in
            running += Double(count)
            return running / total
        }
        cache.withLock { $0[key] = result }
        return result
    }
}
