/// What every connection of a run does, fixed before the threads start and shared read-only
/// by them: the request types, the cycle that interleaves them by ratio, value sizes and how
/// requests are paced.
final class WorkloadPlan: Sendable {
    enum RequestKind: Sendable {
        case set
        case get
        case verifyGet
        case command(CommandTemplate)
    }

    struct RequestType: Sendable {
        /// Row name in the table and key in the JSON: "Sets", "Gets", "Incrs", …
        let name: String
        /// Name in .hgrm file names: "SET", "GET", "INCR", …
        let fileName: String
        let kind: RequestKind
        let keyPattern: KeyPattern
    }

    let config: BenchmarkConfig
    let types: [RequestType]
    /// `types[i].kind`, kept apart so the request path reads a plain array element instead of
    /// copying a struct of strings (and paying their reference counting) per request.
    let kinds: [RequestKind]
    /// Request type index for each position of the ratio cycle.
    let cycle: [UInt16]
    let values: ValuePattern
    let keyPrefix: [UInt8]
    let verifying: Bool

    /// - Parameter verifying: the read-back phase of --verify: GET every key of the range once.
    init(config: BenchmarkConfig, verifying: Bool) {
        self.config = config
        self.verifying = verifying
        keyPrefix = Array(config.keyPrefix.utf8)
        values = ValuePattern(count: config.dataSizes.maximum)
        if verifying {
            types = [RequestType(name: "Gets", fileName: "GET", kind: .verifyGet, keyPattern: .parallel)]
            cycle = [0]
        } else if config.commands.isEmpty {
            types = [
                RequestType(name: "Sets", fileName: "SET", kind: .set, keyPattern: config.setKeyPattern),
                RequestType(name: "Gets", fileName: "GET", kind: .get, keyPattern: config.getKeyPattern),
            ]
            cycle = Array(repeating: 0, count: config.ratio.sets) + Array(repeating: 1, count: config.ratio.gets)
        } else {
            types = config.commands.map {
                RequestType(name: $0.typeName, fileName: $0.upperName, kind: .command($0), keyPattern: $0.keyPattern)
            }
            cycle = config.commands.enumerated().flatMap { index, command in
                Array(repeating: UInt16(index), count: command.ratio)
            }
        }
        kinds = types.map(\.kind)
    }

    /// The SET/GET workload (as opposed to arbitrary commands), whose table has hit and miss
    /// columns and a Waits row, as memtier's does.
    var isKeyValueWorkload: Bool { config.commands.isEmpty }

    /// Requests connection `index` sends in total; -1 for "until the deadline".
    func requests(forConnection index: Int) -> Int {
        if verifying { return KeyGenerator.slice(total: config.keyCount, index: index, of: config.totalConnections).count }
        switch config.runLength {
        case .seconds: return -1
        case .requestsPerConnection(let count): return count
        case .allKeys: return KeyGenerator.slice(total: config.keyCount, index: index, of: config.totalConnections).count
        }
    }

    /// The value size of a request writing key `key`.
    @inline(__always)
    func valueSize(key: Int, random: inout RandomSource) -> Int {
        switch config.dataSizes {
        case .fixed(let size):
            return size
        case .range(let low, let high, let sequential):
            if sequential {
                let span = config.keyCount
                return low + (key - config.keyMinimum) * (high - low + 1) / max(span, 1)
            }
            return low + Int(random.next(below: UInt64(high - low + 1)))
        }
    }

    /// Whether `value` is what `key` was written with.
    func isExpectedValue(_ value: UnsafeRawBufferPointer, key: Int) -> Bool {
        switch config.dataSizes {
        case .fixed(let size):
            guard value.count == size else { return false }
        case .range(let low, let high, let sequential):
            if sequential {
                var unused = RandomSource(seed: 0)
                guard value.count == valueSize(key: key, random: &unused) else { return false }
            } else {
                guard value.count >= low && value.count <= high else { return false }
            }
        }
        return values.matches(value)
    }

    /// Mean gap between a connection's requests in nanoseconds, and whether latency counts
    /// from the due time (open loop) rather than the send; nil when not paced.
    var pacing: (gap: Double, fromDueTime: Bool, poisson: Bool)? {
        if verifying { return nil }
        switch config.loadMode {
        case .closedLoop: return nil
        case .rateLimited(let perConnection): return (1e9 / perConnection, false, false)
        case .openLoop(let total, let arrival):
            return (1e9 * Double(config.totalConnections) / total, true, arrival == .poisson)
        }
    }
}
