/// One command's latencies as Redis keeps them for INFO latencystats and LATENCY HISTOGRAM: an
/// HdrHistogram of nanoseconds from 1 to 10⁹ with two significant digits, read with Redis's
/// percentile and bucket rules, so the same durations print the same figures.
///
/// Why not hdrhistogram-swift, which the load generator uses: its percentile is clamped to the
/// largest value recorded and its iterators report other bounds than the C library Redis
/// embeds, so `p50=123.391` would print as `p50=123.000`. The layout here is the C library's
/// for Redis's parameters (`hdr_init(1, 1000000000, 2)`): 23 buckets of 128 sub-buckets above
/// a first bucket of 256 single-unit ones, 3,072 counts in all.
public struct LatencyHistogram: Sendable, Equatable {
    /// Redis's LATENCY_HISTOGRAM_MIN_VALUE and _MAX_VALUE: what is recorded is clamped to them.
    public static let lowestValue: Int64 = 1
    public static let highestValue: Int64 = 1_000_000_000
    static let subBucketHalfCountMagnitude = 7
    static let subBucketHalfCount = 1 << subBucketHalfCountMagnitude
    static let subBucketMask: Int64 = 255
    public static let countsLength = 24 << subBucketHalfCountMagnitude

    /// Occurrences per index of the layout above.
    public internal(set) var counts: [Int64]

    public init() {
        counts = Array(repeating: 0, count: Self.countsLength)
    }

    init(counts: [Int64]) {
        self.counts = counts
    }

    public var totalCount: Int64 { counts.reduce(0, +) }

    /// Adds another histogram's counts (a shard's part of the server's histogram).
    public mutating func add(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] += other.counts[index] }
    }

    // MARK: The layout

    /// Where `value` (already within `lowestValue...highestValue`) is counted.
    /// (Masking shifts: `bucketIndex` is 0...23 here, and recording runs on every call.)
    @inline(__always)
    public static func index(of value: Int64) -> Int {
        let bucket = bucketIndex(of: value)
        let subBucket = Int(truncatingIfNeeded: value &>> bucket)
        return ((bucket &+ 1) &<< subBucketHalfCountMagnitude) &+ subBucket &- subBucketHalfCount
    }

    @inline(__always)
    static func bucketIndex(of value: Int64) -> Int {
        (64 &- (value | subBucketMask).leadingZeroBitCount) &- (subBucketHalfCountMagnitude + 1)
    }

    /// The lowest value counted at `index`.
    static func value(at index: Int) -> Int64 {
        var bucket = (index >> subBucketHalfCountMagnitude) - 1
        var subBucket = (index & (subBucketHalfCount - 1)) + subBucketHalfCount
        if bucket < 0 {
            subBucket -= subBucketHalfCount
            bucket = 0
        }
        return Int64(subBucket) << bucket
    }

    static func lowestEquivalent(_ value: Int64) -> Int64 {
        let bucket = bucketIndex(of: value)
        return (value >> bucket) << bucket
    }

    /// The largest value counted where `value` is.
    static func highestEquivalent(_ value: Int64) -> Int64 {
        lowestEquivalent(value) + (1 << bucketIndex(of: value)) - 1
    }

    // MARK: Reading, as Redis reads

    /// `hdr_value_at_percentile`: the highest value equivalent to the one at which the count
    /// reaches `percentile` % of the total (rounded half up, at least one); the lowest for 0.
    public func value(atPercentile percentile: Double) -> Int64 {
        let requested = min(percentile, 100)
        let wanted = max(Int64((requested / 100) * Double(totalCount) + 0.5), 1)
        var value: Int64 = 0
        var seen: Int64 = 0
        for index in counts.indices {
            seen += counts[index]
            if seen >= wanted {
                value = Self.value(at: index)
                break
            }
        }
        return percentile == 0 ? Self.lowestEquivalent(value) : Self.highestEquivalent(value)
    }

    /// LATENCY HISTOGRAM's `histogram_usec`: Redis walks the counts at reporting levels 1024,
    /// 2048, 4096… ns and, at the first index reaching each level, reports the highest value
    /// equivalent to that index in whole microseconds with the count up to and including it.
    /// Only levels that add to the count are listed; past the last index the walk reports the
    /// last one. Pairs of (microseconds, cumulative count).
    public func cumulativeBuckets() -> [(microseconds: Int64, count: Int64)] {
        let total = totalCount
        var buckets: [(microseconds: Int64, count: Int64)] = []
        var level: Int64 = 1024
        var index = 0
        var cumulative: Int64 = 0
        var previous: Int64 = 0
        while cumulative < total {
            let reportedIndex = min(Self.index(of: level), Self.countsLength - 1)
            while index <= reportedIndex {
                cumulative += counts[index]
                index += 1
            }
            if cumulative > previous {
                buckets.append((Self.highestEquivalent(Self.value(at: reportedIndex)) / 1000, cumulative))
                previous = cumulative
            }
            if reportedIndex == Self.countsLength - 1 { break }
            level <<= 1
        }
        return buckets
    }
}
