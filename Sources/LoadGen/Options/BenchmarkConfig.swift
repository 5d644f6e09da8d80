/// The validated configuration of a benchmark: what `BenchmarkArguments` said, checked and
/// typed. Everything downstream (workers, reports) reads this and never the raw strings.
public struct BenchmarkConfig: Sendable {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    public enum ProtocolVersion: String, Sendable { case resp2, resp3 }

    public enum IOBackend: String, Sendable { case ioUring = "io_uring", epoll }

    /// How requests are paced.
    public enum LoadMode: Sendable, Equatable {
        /// memtier's default: a connection sends as soon as it has room in its pipeline.
        case closedLoop
        /// memtier's --rate-limiting: at most N requests per second per connection; latency is
        /// still measured from the actual send.
        case rateLimited(perConnection: Double)
        /// wrk2's method: requests are due at fixed (uniform) or random (Poisson) times, and
        /// latency is measured from when each was due, so a stall counts for every request it
        /// delayed.
        case openLoop(totalRate: Double, arrival: Arrival)

        public var name: String {
            switch self {
            case .closedLoop: "closed-loop"
            case .rateLimited: "rate-limited"
            case .openLoop: "open-loop"
            }
        }
    }

    public enum Arrival: String, Sendable { case poisson, uniform }

    /// When a run stops.
    public enum RunLength: Sendable, Equatable {
        case requestsPerConnection(Int)
        /// Every key of the range exactly once, split among all connections.
        case allKeys
        /// A time; whole seconds from the command line (memtier's `--test-time`), fractions from
        /// the experiment runner's slices.
        case seconds(Double)
    }

    public enum DataSizes: Sendable, Equatable {
        case fixed(Int)
        /// `sequential`: the size grows with the key id across the range (memtier's S);
        /// otherwise a uniformly random size per request (R).
        case range(min: Int, max: Int, sequential: Bool)

        public var maximum: Int {
            switch self {
            case .fixed(let size): size
            case .range(_, let max, _): max
            }
        }
    }

    public var endpoint: Endpoint = .tcp(host: "127.0.0.1", port: 6379)
    public var authentication: (user: String?, password: String)?
    public var protocolVersion: ProtocolVersion = .resp2
    public var selectDB: Int?
    public var ioBackend: IOBackend = .ioUring
    public var threads = 4
    public var connectionsPerThread = 50
    public var runLength: RunLength = .requestsPerConnection(10_000)
    public var ratio = (sets: 1, gets: 10)
    public var pipeline = 1
    public var loadMode: LoadMode = .closedLoop
    public var dataSizes: DataSizes = .fixed(32)
    public var keyPrefix = "memtier-"
    public var keyMinimum = 0
    public var keyMaximum = 10_000_000
    public var setKeyPattern: KeyPattern = .random
    public var getKeyPattern: KeyPattern = .random
    public var keyDistribution = KeyDistribution()
    public var randomize = false
    public var distinctClientSeed = false
    /// Arbitrary commands (`--command`); empty means the SET/GET workload.
    public var commands: [CommandTemplate] = []
    public var outFile: String?
    public var jsonOutFile: String?
    public var hdrFilePrefix: String?
    public var percentiles: [Double] = [50, 99, 99.9]
    public var hideHistogram = false
    public var runCount = 1
    public var verify = false
    public var verifyOnly = false
    public var sloP99Milliseconds: Double?
    public var sloStepSeconds = 3
    /// The command line as given, for the JSON's configuration section.
    public var commandLine: [String] = []

    public init() {}

    public var totalConnections: Int { threads * connectionsPerThread }
    public var keyCount: Int { keyMaximum - keyMinimum + 1 }
}

/// Parameters of the G and Z key patterns.
public struct KeyDistribution: Sendable, Equatable {
    public var gaussianStddev: Double?
    public var gaussianMedian: Double?
    public var zipfExponent = 1.0
    public init() {}
}

/// A bad flag value: the message is printed as one line and the process exits with 1.
public struct ConfigError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
