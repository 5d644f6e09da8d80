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
/// per-second series (index = whole seconds since the run started).
struct RequestStats {
    var counters = RequestCounters()
    var histogram = LatencyHistogram.make()
    var seconds: [SecondSample] = []

    /// Records one answered request. Allocates only when a new second begins.
    @inline(__always)
    mutating func record(micros: UInt64, second: Int, sent: Int, received: Int, outcome: ReplyOutcome) {
        let value = LatencyHistogram.clamp(micros)
        histogram.record(value)
        counters.count += 1
        counters.bytesSent += sent
        counters.bytesReceived += received
        counters.latencyMicrosTotal += micros
        counters.latencyMicrosMinimum = min(counters.latencyMicrosMinimum, micros)
        counters.latencyMicrosMaximum = max(counters.latencyMicrosMaximum, micros)
        switch outcome {
        case .hit: counters.hits += 1
        case .miss: counters.misses += 1
        case .error: counters.errors += 1
        case .ok: break
        }
        while seconds.count <= second { seconds.append(SecondSample()) }
        seconds[second].counters.count += 1
        seconds[second].counters.bytesSent += sent
        seconds[second].counters.bytesReceived += received
        seconds[second].counters.latencyMicrosTotal += micros
        seconds[second].counters.latencyMicrosMinimum = min(seconds[second].counters.latencyMicrosMinimum, micros)
        seconds[second].counters.latencyMicrosMaximum = max(seconds[second].counters.latencyMicrosMaximum, micros)
        seconds[second].histogram.record(value)
    }

    mutating func add(_ other: RequestStats) {
        counters.add(other.counters)
        histogram.add(other.histogram)
        while seconds.count < other.seconds.count { seconds.append(SecondSample()) }
        for (index, sample) in other.seconds.enumerated() { seconds[index].add(sample) }
    }
}

/// How one reply was judged.
enum ReplyOutcome {
    case ok, hit, miss, error
}
