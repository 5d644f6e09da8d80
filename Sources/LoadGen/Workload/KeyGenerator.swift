/// One connection's source of key ids for one key pattern (see `KeyPattern`). Value type with
/// no allocation: a connection keeps one for SETs and one for GETs (or one per `--command`).
struct KeyGenerator {
    let pattern: KeyPattern
    /// The ids this generator draws from: the whole range, or (P) this connection's slice.
    let first: Int
    let count: Int
    private var cursor = 0
    private let median: Double
    private let stddev: Double
    private let zipf: ZipfSampler?

    /// - Parameters: `connection` of `connections` picks the slice for P (balanced: slices
    ///   differ by at most one key and together cover the range exactly once).
    init(pattern: KeyPattern, minimum: Int, maximum: Int, distribution: KeyDistribution, connection: Int, connections: Int) {
        self.pattern = pattern
        let total = maximum - minimum + 1
        if pattern == .parallel {
            let slice = Self.slice(total: total, index: connection, of: connections)
            first = minimum + slice.lowerBound
            count = slice.count
        } else {
            first = minimum
            count = total
        }
        median = distribution.gaussianMedian ?? Double(minimum) + Double(total - 1) / 2
        stddev = distribution.gaussianStddev ?? Double(total) / 6
        zipf = pattern == .zipf ? ZipfSampler(count: total, exponent: distribution.zipfExponent) : nil
    }

    /// The part of 0..<total that connection `index` of `connections` owns.
    static func slice(total: Int, index: Int, of connections: Int) -> Range<Int> {
        let low = total * index / connections
        let high = total * (index + 1) / connections
        return low..<high
    }

    @inline(__always)
    mutating func next(_ random: inout RandomSource) -> Int {
        switch pattern {
        case .sequential, .parallel:
            if count == 0 { return first }  // an empty P slice (more connections than keys)
            let id = first + cursor
            cursor += 1
            if cursor == count { cursor = 0 }
            return id
        case .random:
            return first + Int(random.next(below: UInt64(count)))
        case .gaussian:
            let value = (median + random.gaussian() * stddev).rounded()
            return Int(min(max(value, Double(first)), Double(first + count - 1)))
        case .zipf:
            return first + zipf!.sample(&random) - 1
        }
    }
}
