import Testing
@testable import LoadGen

/// memtier's flags parse to the same meaning, and every bad value is a one-line ConfigError.
@Suite struct BenchmarkArgumentsTests {
    @Test func defaultsAreMemtiers() throws {
        let config = try BenchmarkConfig.parse([])
        #expect(config.endpoint == .tcp(host: "127.0.0.1", port: 6379))
        #expect(config.threads == 4)
        #expect(config.connectionsPerThread == 50)
        #expect(config.runLength == .requestsPerConnection(10_000))
        #expect(config.ratio == (1, 10))
        #expect(config.pipeline == 1)
        #expect(config.dataSizes == .fixed(32))
        #expect(config.keyPrefix == "memtier-")
        #expect(config.keyMinimum == 0 && config.keyMaximum == 10_000_000)
        #expect(config.setKeyPattern == .random && config.getKeyPattern == .random)
        #expect(config.percentiles == [50, 99, 99.9])
        #expect(config.loadMode == .closedLoop)
        #expect(config.protocolVersion == .resp2)
    }

    @Test func memtierCommandLine() throws {
        let config = try BenchmarkConfig.parse([
            "-s", "localhost", "--port=7000", "-a", "bob:secret", "--protocol=resp3", "-t", "2", "--clients=8",
            "-n", "allkeys", "--ratio=1:0", "--pipeline=16", "-d", "100", "--key-prefix=k:", "--key-minimum=1",
            "--key-maximum=500", "--key-pattern=P:Z", "--key-zipf-exp=0.9", "--randomize", "--distinct-client-seed",
            "--select-db=3", "--json-out-file=/tmp/x.json", "--hdr-file-prefix=/tmp/h", "--print-percentiles=50,90,99.99",
            "--hide-histogram", "-x", "3",
        ])
        #expect(config.endpoint == .tcp(host: "127.0.0.1", port: 7000))
        #expect(config.authentication?.user == "bob" && config.authentication?.password == "secret")
        #expect(config.protocolVersion == .resp3)
        #expect(config.threads == 2 && config.connectionsPerThread == 8 && config.totalConnections == 16)
        #expect(config.runLength == .allKeys)
        #expect(config.ratio == (1, 0))
        #expect(config.pipeline == 16)
        #expect(config.dataSizes == .fixed(100))
        #expect(config.keyPrefix == "k:" && config.keyCount == 500)
        #expect(config.setKeyPattern == .parallel && config.getKeyPattern == .zipf)
        #expect(config.keyDistribution.zipfExponent == 0.9)
        #expect(config.randomize && config.distinctClientSeed)
        #expect(config.selectDB == 3)
        #expect(config.jsonOutFile == "/tmp/x.json" && config.hdrFilePrefix == "/tmp/h")
        #expect(config.percentiles == [50, 90, 99.99])
        #expect(config.hideHistogram && config.runCount == 3)
    }

    @Test func unixSocketTestTimeRangesAndOpenLoop() throws {
        let config = try BenchmarkConfig.parse([
            "-S", "/tmp/redis.sock", "--test-time=10", "--data-size-range=10-100", "--data-size-pattern=S",
            "--rate=5000", "--arrival=uniform", "--key-pattern=G:G", "--key-stddev=10", "--key-median=50",
        ])
        #expect(config.endpoint == .unix(path: "/tmp/redis.sock"))
        #expect(config.runLength == .seconds(10))
        #expect(config.dataSizes == .range(min: 10, max: 100, sequential: true))
        #expect(config.loadMode == .openLoop(totalRate: 5000, arrival: .uniform))
        #expect(config.keyDistribution.gaussianStddev == 10 && config.keyDistribution.gaussianMedian == 50)
        #expect(try BenchmarkConfig.parse(["--rate-limiting=100"]).loadMode == .rateLimited(perConnection: 100))
    }

    @Test func commandsTakeTheRatioAndPatternThatFollowThem() throws {
        let config = try BenchmarkConfig.parse([
            "--command=SET __key__ __data__", "--command-ratio=2", "--command-key-pattern=P",
            "--command", "INCR \"my counter\" __key__", "--command-ratio", "5",
        ])
        #expect(config.commands.count == 2)
        #expect(config.commands[0].words == [.literal(Array("SET".utf8)), .key, .data])
        #expect(config.commands[0].ratio == 2 && config.commands[0].keyPattern == .parallel)
        #expect(config.commands[1].words == [.literal(Array("INCR".utf8)), .literal(Array("my counter".utf8)), .key])
        #expect(config.commands[1].ratio == 5 && config.commands[1].keyPattern == .random)
        #expect(config.commands[1].typeName == "Incrs")
    }

    @Test(arguments: [
        (["--ratio=1"], "--ratio: '1' is not SET:GET with non-negative integers, e.g. 1:10"),
        (["--ratio=0:0"], "--ratio: '0:0' is not SET:GET with non-negative integers, e.g. 1:10"),
        (["--key-pattern=X:R"], "--key-pattern: 'X' is not a key pattern (S, R, G, P or Z)"),
        (["--key-pattern=R"], "--key-pattern: 'R' is not SET:GET, e.g. R:R"),
        (["--protocol=memcache_text"], "--protocol: 'memcache_text' is not supported (redis, resp2 or resp3)"),
        (["-n", "lots"], "--requests: 'lots' is neither a positive number nor allkeys"),
        (["--data-size-range=9-3"], "--data-size-range: '9-3' is not MIN-MAX with 1 ≤ MIN ≤ MAX ≤ 512 MB"),
        (["--arrival=bursty"], "--arrival: 'bursty' is neither poisson nor uniform"),
        (["--key-zipf-exp=0"], "--key-zipf-exp: 0.0 must be positive"),
        (["--print-percentiles=50,101"], "--print-percentiles: '101' is not a percentile in (0, 100]"),
        (["--command-ratio=3"], "--command-ratio must follow a --command"),
        (["--rate=100", "--rate-limiting=5"], "--rate and --rate-limiting exclude each other"),
        (["--slo-p99=5"], "--slo-p99 needs --rate: the highest rate to try"),
        (["--port=70000"], "--port: 70000 is not a TCP port"),
        (["--key-minimum=5", "--key-maximum=4"], "--key-minimum/--key-maximum: 5..4 is not a key range"),
    ])
    func badValuesAreOneLineErrors(arguments: [String], message: String) {
        #expect(throws: ConfigError.self) { try BenchmarkConfig.parse(arguments) }
        do {
            _ = try BenchmarkConfig.parse(arguments)
        } catch let error as ConfigError {
            #expect(error.description == message)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func unknownFlagsAndMalformedNumbersAreRejected() {
        #expect(throws: (any Error).self) { try BenchmarkConfig.parse(["--no-such-flag"]) }
        #expect(throws: (any Error).self) { try BenchmarkConfig.parse(["-c", "many"]) }
        #expect(throws: (any Error).self) { try BenchmarkConfig.parse(["--pipeline"]) }
    }

    @Test func mainReportsBadArgumentsWithExitCodeOne() {
        #expect(FerriteBench.main(["--no-such-flag"]) == 1)
        #expect(FerriteBench.main(["--ratio=x"]) == 1)
        // Nothing listens on port 1 of loopback.
        #expect(FerriteBench.main(["-p", "1", "-t", "1", "-c", "1", "-n", "1"]) == 1)
    }
}
