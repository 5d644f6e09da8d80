import Histogram

/// Latency histograms are kept in microseconds (memtier's unit), up to ten minutes, with three
/// significant digits; fixed range, so recording never allocates.
enum LatencyHistogram {
    static let highest: UInt64 = 600_000_000
    static func make() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: highest, numberOfSignificantValueDigits: .three)
    }

    /// A smaller histogram for one second of one request type (two digits are enough for the
    /// per-second percentiles of the JSON time series).
    static func makePerSecond() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: highest, numberOfSignificantValueDigits: .two)
    }

    @inline(__always)
    static func clamp(_ micros: UInt64) -> UInt64 { max(1, min(micros, highest)) }

    /// Below this many microseconds the whole-run histogram (three digits: 2,000 rounded up to
    /// a power of two) keeps every value apart, one count per microsecond.
    static let unitResolutionLimit = 2048
}

/// Counters of one request type (or of one second of it).
struct RequestCounters {
    var count = 0
    var hits = 0
    var misses = 0
    var errors = 0
    var bytesSent = 0
    var bytesReceived = 0
    var latencyMicrosTotal: UInt64 = 0
    var latencyMicrosMinimum = UInt64.max
    var latencyMicrosMaximum: UInt64 = 0

    mutating func add(_ other: RequestCounters) {
        count += other.count
        hits += other.hits
        misses += other.misses
        errors += other.errors
        bytesSent += other.bytesSent
        bytesReceived += other.bytesReceived
        latencyMicrosTotal += other.latencyMicrosTotal
        latencyMicrosMinimum = min(latencyMicrosMinimum, other.latencyMicrosMinimum)
        latencyMicrosMaximum = max(latencyMicrosMaximum, other.latencyMicrosMaximum)
    }
}

/// One second of one request type: its counters and latency histogram.
struct SecondSample {
    var counters = RequestCounters()
    var histogram = LatencyHistogram.makePerSecond()

    mutating func add(_ other: SecondSample) {
        counters.add(other.counters)
        histogram.add(other.histogram)
    }
}

/// Everything measured about one request type: the whole-run histogram and counters, and the
/// per-second series (index = whole seconds since the run started). Built by a
/// `RequestRecorder` a second at a time, and merged across workers and slices with `add`.
struct RequestStats {
    var counters = RequestCounters()
    var histogram = LatencyHistogram.make()
    var seconds: [SecondSample] = []

    /// Folds in one finished second: its counters and its latencies, those below
    /// `LatencyHistogram.unitResolutionLimit` counted per microsecond (`shortLatencies[µs]`),
    /// the rest in a full-precision histogram. The per-second series keeps them at two
    /// significant digits: each three-digit bucket lies inside one two-digit bucket (both are
    /// aligned power-of-two ranges), so re-recording a bucket's value puts its count exactly
    /// where recording each latency would have.
    mutating func add(second: Int, counters secondCounters: RequestCounters, shortLatencies: [UInt64],
                      longLatencies: Histogram<UInt64>) {
        counters.add(secondCounters)
        while seconds.count <= second { seconds.append(SecondSample()) }
        seconds[second].counters.add(secondCounters)
        for (micros, count) in shortLatencies.enumerated() where count > 0 {
            let value = LatencyHistogram.clamp(UInt64(micros))
            histogram.record(value, count: count)
            seconds[second].histogram.record(value, count: count)
        }
        guard longLatencies.totalCount > 0 else { return }
        histogram.add(longLatencies)
        for bucket in longLatencies.recordedValues() {
            seconds[second].histogram.record(bucket.value, count: bucket.count)
        }
    }

    mutating func add(_ other: RequestStats) {
        counters.add(other.counters)
        histogram.add(other.histogram)
        while seconds.count < other.seconds.count { seconds.append(SecondSample()) }
        for (index, sample) in other.seconds.enumerated() { seconds[index].add(sample) }
    }
}

/// Records one request type's replies as a worker judges them. Per reply it adds one count
/// and updates one set of counters, those of the second under way (recording into the
/// whole-run and the per-second figures at once cost twice that, plus an array lookup); when
/// a reply falls in a later second, the finished one is folded into `RequestStats`.
///
/// Latencies below `LatencyHistogram.unitResolutionLimit` (nearly all, on a LAN or loopback)
/// are counted in a plain array indexed by the latency, the rest in the second's histogram.
/// The whole-run histogram keeps those short values one by one too, so adding the array in
/// when the second ends gives it the same counts, without its bucket arithmetic per reply.
struct RequestRecorder {
    private var recorded = RequestStats()
    private var second = 0
    private var counters = RequestCounters()
    private var histogram = LatencyHistogram.make()
    private var shortLatencies = [UInt64](repeating: 0, count: LatencyHistogram.unitResolutionLimit)

    /// Records one answered request, received `second` whole seconds into the run. Allocates
    /// only when a second ends.
    @inline(__always)
    mutating func record(micros: UInt64, second: Int, sent: Int, received: Int, outcome: ReplyOutcome) {
        if second != self.second { finishSecond(next: second) }
        if micros < UInt64(LatencyHistogram.unitResolutionLimit) {
            shortLatencies.withUnsafeMutableBufferPointer { $0[Int(micros)] &+= 1 }
        } else {
            histogram.record(LatencyHistogram.clamp(micros))
        }
        counters.count &+= 1
        counters.bytesSent &+= sent
        counters.bytesReceived &+= received
        counters.latencyMicrosTotal &+= micros
        counters.latencyMicrosMinimum = min(counters.latencyMicrosMinimum, micros)
        counters.latencyMicrosMaximum = max(counters.latencyMicrosMaximum, micros)
        switch outcome {
        case .hit: counters.hits &+= 1
        case .miss: counters.misses &+= 1
        case .error: counters.errors &+= 1
        case .ok: break
        }
    }

    /// Everything recorded so far, the second under way included.
    var stats: RequestStats {
        var stats = recorded
        if counters.count > 0 {
            stats.add(second: second, counters: counters, shortLatencies: shortLatencies, longLatencies: histogram)
        }
        return stats
    }

    private mutating func finishSecond(next: Int) {
        if counters.count > 0 {
            recorded.add(second: second, counters: counters, shortLatencies: shortLatencies, longLatencies: histogram)
            counters = RequestCounters()
            if histogram.totalCount > 0 { histogram.reset() }
            shortLatencies.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        second = next
    }
}

/// How one reply was judged.
enum ReplyOutcome {
    case ok, hit, miss, error
}
