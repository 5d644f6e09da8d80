extension BenchmarkConfig {
    /// Parses and validates a command line (without the program name). Throws `ConfigError` for
    /// a bad value and rethrows ArgumentParser's errors (unknown flags, --help) for the caller
    /// to report.
    public static func parse(_ commandLine: [String]) throws -> BenchmarkConfig {
        let split = try CommandLineSplitter(commandLine)
        let arguments = try BenchmarkArguments.parse(split.remaining)
        var config = try BenchmarkConfig(arguments, commands: split.commands)
        config.commandLine = commandLine
        return config
    }

    init(_ a: BenchmarkArguments, commands: [CommandTemplate]) throws(ConfigError) {
        self.init()
        if let path = a.unixSocket {
            endpoint = .unix(path: path)
        } else {
            guard (1...65535).contains(a.port) else { throw ConfigError("--port: \(a.port) is not a TCP port") }
            endpoint = .tcp(host: a.server == "localhost" ? "127.0.0.1" : a.server, port: a.port)
        }
        if let credentials = a.authenticate {
            if let colon = credentials.firstIndex(of: ":") {
                authentication = (String(credentials[..<colon]), String(credentials[credentials.index(after: colon)...]))
            } else {
                authentication = (nil, credentials)
            }
        }
        switch a.protocol {
        case "redis", "resp2": protocolVersion = .resp2
        case "resp3": protocolVersion = .resp3
        default: throw ConfigError("--protocol: '\(a.protocol)' is not supported (redis, resp2 or resp3)")
        }
        guard let backend = IOBackend(rawValue: a.ioBackend) else {
            throw ConfigError("--io-backend: '\(a.ioBackend)' is neither io_uring nor epoll")
        }
        ioBackend = backend
        if let db = a.selectDB {
            guard db >= 0 else { throw ConfigError("--select-db: \(db) is negative") }
            selectDB = db
        }
        guard a.threads >= 1 && a.threads <= 1024 else { throw ConfigError("--threads: \(a.threads) is not in 1...1024") }
        guard a.clients >= 1 && a.clients <= 65536 else { throw ConfigError("--clients: \(a.clients) is not in 1...65536") }
        threads = a.threads
        connectionsPerThread = a.clients
        guard a.keyMinimum >= 0 && a.keyMaximum >= a.keyMinimum else {
            throw ConfigError("--key-minimum/--key-maximum: \(a.keyMinimum)..\(a.keyMaximum) is not a key range")
        }
        keyMinimum = a.keyMinimum
        keyMaximum = a.keyMaximum
        if let seconds = a.testTime {
            guard seconds >= 1 else { throw ConfigError("--test-time: \(seconds) must be at least 1") }
            runLength = .seconds(Double(seconds))
        } else if a.requests == "allkeys" {
            runLength = .allKeys
        } else if let count = Int(a.requests), count >= 1 {
            runLength = .requestsPerConnection(count)
        } else {
            throw ConfigError("--requests: '\(a.requests)' is neither a positive number nor allkeys")
        }
        ratio = try Self.ratio(a.ratio)
        guard a.pipeline >= 1 && a.pipeline <= 65536 else { throw ConfigError("--pipeline: \(a.pipeline) is not in 1...65536") }
        pipeline = a.pipeline
        loadMode = try Self.loadMode(a)
        dataSizes = try Self.dataSizes(a)
        keyPrefix = a.keyPrefix
        let patterns = a.keyPattern.split(separator: ":", omittingEmptySubsequences: false)
        guard patterns.count == 2 else { throw ConfigError("--key-pattern: '\(a.keyPattern)' is not SET:GET, e.g. R:R") }
        setKeyPattern = try KeyPattern(letter: patterns[0], flag: "--key-pattern")
        getKeyPattern = try KeyPattern(letter: patterns[1], flag: "--key-pattern")
        if let stddev = a.keyStddev, !(stddev > 0) { throw ConfigError("--key-stddev: \(stddev) must be positive") }
        guard a.keyZipfExp > 0 && a.keyZipfExp.isFinite else { throw ConfigError("--key-zipf-exp: \(a.keyZipfExp) must be positive") }
        keyDistribution.gaussianStddev = a.keyStddev
        keyDistribution.gaussianMedian = a.keyMedian
        keyDistribution.zipfExponent = a.keyZipfExp
        randomize = a.randomize
        distinctClientSeed = a.distinctClientSeed
        if !commands.isEmpty && commands.allSatisfy({ $0.ratio == 0 }) {
            throw ConfigError("--command-ratio: every command has ratio 0")
        }
        self.commands = commands
        outFile = a.outFile
        jsonOutFile = a.jsonOutFile
        hdrFilePrefix = a.hdrFilePrefix
        percentiles = try a.printPercentiles.split(separator: ",").map { (text: Substring) throws(ConfigError) -> Double in
            guard let value = Double(text), value > 0 && value <= 100 else {
                throw ConfigError("--print-percentiles: '\(text)' is not a percentile in (0, 100]")
            }
            return value
        }
        if percentiles.isEmpty { throw ConfigError("--print-percentiles: no percentile given") }
        hideHistogram = a.hideHistogram
        guard a.runCount >= 1 else { throw ConfigError("--run-count: \(a.runCount) must be at least 1") }
        runCount = a.runCount
        verify = a.verify
        verifyOnly = a.verifyOnly
        if let slo = a.sloP99 {
            guard slo > 0 else { throw ConfigError("--slo-p99: \(slo) must be positive") }
            guard a.rate != nil else { throw ConfigError("--slo-p99 needs --rate: the highest rate to try") }
            sloP99Milliseconds = slo
        }
        guard a.sloStepTime >= 1 else { throw ConfigError("--slo-step-time: \(a.sloStepTime) must be at least 1") }
        sloStepSeconds = a.sloStepTime
    }

    private static func ratio(_ text: String) throws(ConfigError) -> (sets: Int, gets: Int) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let sets = Int(parts[0]), let gets = Int(parts[1]), sets >= 0, gets >= 0, sets + gets > 0 else {
            throw ConfigError("--ratio: '\(text)' is not SET:GET with non-negative integers, e.g. 1:10")
        }
        return (sets, gets)
    }

    private static func loadMode(_ a: BenchmarkArguments) throws(ConfigError) -> LoadMode {
        guard let arrival = Arrival(rawValue: a.arrival) else {
            throw ConfigError("--arrival: '\(a.arrival)' is neither poisson nor uniform")
        }
        if let rate = a.rate {
            guard rate > 0 && rate.isFinite else { throw ConfigError("--rate: \(rate) must be positive") }
            guard a.rateLimiting == nil else { throw ConfigError("--rate and --rate-limiting exclude each other") }
            return .openLoop(totalRate: rate, arrival: arrival)
        }
        if let perConnection = a.rateLimiting {
            guard perConnection >= 1 else { throw ConfigError("--rate-limiting: \(perConnection) must be at least 1") }
            return .rateLimited(perConnection: Double(perConnection))
        }
        return .closedLoop
    }

    private static func dataSizes(_ a: BenchmarkArguments) throws(ConfigError) -> DataSizes {
        let sequential: Bool
        switch a.dataSizePattern {
        case "R": sequential = false
        case "S": sequential = true
        default: throw ConfigError("--data-size-pattern: '\(a.dataSizePattern)' is neither R nor S")
        }
        if let range = a.dataSizeRange {
            let parts = range.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, let low = Int(parts[0]), let high = Int(parts[1]), low >= 1, high >= low, high <= 512 << 20 else {
                throw ConfigError("--data-size-range: '\(range)' is not MIN-MAX with 1 ≤ MIN ≤ MAX ≤ 512 MB")
            }
            return .range(min: low, max: high, sequential: sequential)
        }
        guard a.dataSize >= 1 && a.dataSize <= 512 << 20 else {
            throw ConfigError("--data-size: \(a.dataSize) is not in 1...536870912")
        }
        return .fixed(a.dataSize)
    }
}
