import ArgumentParser

/// memtier_benchmark's command line, flag for flag, so existing scripts keep working, plus
/// ferrite-bench's own flags (open-loop rate, arrival process, verification, saturation search).
///
/// This type only holds the raw values; `BenchmarkConfig(arguments:)` validates them and turns
/// them into the typed configuration the run uses. `--command`, `--command-ratio` and
/// `--command-key-pattern` are order-dependent (a ratio belongs to the command before it), so
/// `CommandLineSplitter` takes them out of the argument list before this parser sees it.
public struct BenchmarkArguments: ParsableArguments {
    public init() {}

    // MARK: Connection
    @Option(name: [.customShort("s"), .customLong("server")], help: "Server address.")
    var server = "127.0.0.1"
    @Option(name: [.customShort("p"), .customLong("port")], help: "Server port.")
    var port = 6379
    @Option(name: [.customShort("S"), .customLong("unix-socket")], help: "UNIX domain socket path (instead of host:port).")
    var unixSocket: String?
    @Option(name: [.customShort("a"), .customLong("authenticate")], help: "AUTH credentials: PASSWORD or USER:PASSWORD.")
    var authenticate: String?
    @Option(name: [.customShort("P"), .customLong("protocol")], help: "redis, resp2 or resp3.")
    var `protocol` = "redis"
    @Option(name: .customLong("select-db"), help: "SELECT this database on every connection.")
    var selectDB: Int?
    @Option(name: .customLong("io-backend"), help: "io_uring (default, epoll when unavailable) or epoll.")
    var ioBackend = "io_uring"

    // MARK: Load shape
    @Option(name: [.customShort("t"), .customLong("threads")], help: "Number of threads.")
    var threads = 4
    @Option(name: [.customShort("c"), .customLong("clients")], help: "Connections per thread.")
    var clients = 50
    @Option(name: [.customShort("n"), .customLong("requests")], help: "Requests per connection, or allkeys.")
    var requests = "10000"
    @Option(name: .customLong("test-time"), help: "Run for this many seconds (instead of -n).")
    var testTime: Int?
    @Option(name: .customLong("ratio"), help: "SET:GET ratio.")
    var ratio = "1:10"
    @Option(name: .customLong("pipeline"), help: "Requests in flight per connection.")
    var pipeline = 1
    @Option(name: .customLong("rate-limiting"), help: "Requests per second per connection (latency from the actual send, as memtier).")
    var rateLimiting: Int?
    @Option(name: .customLong("rate"), help: "Open loop: total requests per second, latency from each request's intended send time.")
    var rate: Double?
    @Option(name: .customLong("arrival"), help: "Open-loop arrivals: poisson or uniform.")
    var arrival = "poisson"

    // MARK: Data
    @Option(name: [.customShort("d"), .customLong("data-size")], help: "Value size in bytes.")
    var dataSize = 32
    @Option(name: .customLong("data-size-range"), help: "MIN-MAX value sizes.")
    var dataSizeRange: String?
    @Option(name: .customLong("data-size-pattern"), help: "R (random size) or S (size follows the key).")
    var dataSizePattern = "R"

    // MARK: Keys
    @Option(name: .customLong("key-prefix"), help: "Key prefix.")
    var keyPrefix = "memtier-"
    @Option(name: .customLong("key-minimum"), help: "Smallest key id.")
    var keyMinimum = 0
    @Option(name: .customLong("key-maximum"), help: "Largest key id.")
    var keyMaximum = 10_000_000
    @Option(name: .customLong("key-pattern"), help: "SET:GET key patterns: S sequential, R uniform, G gaussian, P parallel, Z zipf.")
    var keyPattern = "R:R"
    @Option(name: .customLong("key-stddev"), help: "Standard deviation of G (default: range/6).")
    var keyStddev: Double?
    @Option(name: .customLong("key-median"), help: "Median of G (default: middle of the range).")
    var keyMedian: Double?
    @Option(name: .customLong("key-zipf-exp"), help: "Exponent of Z (> 0).")
    var keyZipfExp = 1.0
    @Flag(name: .customLong("randomize"), help: "Seed from the clock instead of a fixed seed.")
    var randomize = false
    @Flag(name: .customLong("distinct-client-seed"), help: "A different seed for every connection.")
    var distinctClientSeed = false

    // MARK: Output
    @Option(name: [.customShort("o"), .customLong("out-file")], help: "Write the report here instead of stdout.")
    var outFile: String?
    @Option(name: .customLong("json-out-file"), help: "Write memtier-shaped JSON results here.")
    var jsonOutFile: String?
    @Option(name: .customLong("hdr-file-prefix"), help: "Write .hgrm latency histograms with this prefix.")
    var hdrFilePrefix: String?
    @Option(name: .customLong("print-percentiles"), help: "Comma-separated percentiles for the table.")
    var printPercentiles = "50,99,99.9"
    @Flag(name: .customLong("hide-histogram"), help: "Do not print the latency histogram.")
    var hideHistogram = false
    @Option(name: [.customShort("x"), .customLong("run-count")], help: "Number of full runs.")
    var runCount = 1

    // MARK: Verification and search
    @Flag(name: .customLong("verify"), help: "After the run, read every key of the range back and report mismatches.")
    var verify = false
    @Flag(name: .customLong("verify-only"), help: "Only read every key of the range back and report mismatches.")
    var verifyOnly = false
    @Option(name: .customLong("slo-p99"), help: "Saturation search: highest rate whose P99 stays within MS milliseconds.")
    var sloP99: Double?
    @Option(name: .customLong("slo-step-time"), help: "Seconds per saturation-search step.")
    var sloStepTime = 3
}
