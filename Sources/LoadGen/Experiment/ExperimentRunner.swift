import CFerriteSys
import Foundation

/// `ferrite-bench experiment FILE`: carries out an experiment. Each round starts every server
/// fresh (pinned to the server CPUs) and fills it; then, workload by workload, it measures each
/// server in turn after a warm-up, and at the end of the round it stops them all. The order of
/// the servers alternates round by round (A B, B A, …) so that drift of the machine hits all
/// alike.
///
/// Why the servers of a round run side by side, measured in alternating slices: the samples
/// that are compared (one workload on each server) then interleave within a second or two
/// instead of lying a whole server's turn apart, and this machine's speed drifts over
/// seconds, so the drift cancels in their ratio. Measured (README, "Experiments"): a round's
/// Ferrite and Redis samples correlate 0.88–0.91 instead of 0.06–0.65, and their ratio's
/// robust CV fell from 9.5–20 % to 5–6 %.
///
/// The load runs in this process, pinned to the load CPUs. At the end it prints medians with
/// ratios to the first server and writes one result file.
public struct ExperimentRunner {
    public struct Options {
        public var resultsFolder: String
        public var repository: String
        public var ferriteBinary: String
        /// Overrides of the file's rounds and seconds (a quick run, a CI check).
        public var rounds: Int?
        public var seconds: Double?
        public var warmup: Double?
        /// The compiled eBPF probes an experiment with `probes: true` loads.
        public var probesObject = ThreadProbes.defaultObject

        public init(resultsFolder: String, repository: String, ferriteBinary: String) {
            self.resultsFolder = resultsFolder
            self.repository = repository
            self.ferriteBinary = ferriteBinary
        }
    }

    let experiment: Experiment
    let file: String
    let options: Options
    let print: (String) -> Void

    public init(experiment: Experiment, file: String, options: Options, print: @escaping (String) -> Void = { Swift.print($0) }) {
        self.experiment = experiment
        self.file = file
        self.options = options
        self.print = print
    }

    /// A server of the current round, with its probes when the experiment asked for them.
    struct RunningServer {
        let process: ServerProcess
        let probes: ThreadProbes?
    }

    static let distributionPercentiles: [Double] = [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100]

    /// Runs every round; returns the path of the result file.
    @discardableResult
    public func run() throws -> String {
        try pinLoad()
        let rounds = options.rounds ?? experiment.rounds
        let seconds = options.seconds ?? experiment.seconds
        let warmup = options.warmup ?? experiment.warmupSeconds
        let binaries = ServerProcess.Binaries(ferrite: options.ferriteBinary)
        let started = ResultFile.utcNow()
        var samples: [ResultFile.Sample] = []
        var probesUnavailable: String?
        for round in 0..<rounds {
            let order = round % 2 == 0 ? experiment.servers : experiment.servers.reversed()
            print("round \(round + 1)/\(rounds): \(order.map(\.name).joined(separator: " then "))")
            var running: [RunningServer] = []
            defer { for server in running { server.process.stop() } }
            for server in order {
                let process = try ServerProcess(name: server.name, command: server.command, cpus: experiment.cpus.server, binaries: binaries)
                running.append(RunningServer(process: process, probes: experiment.probes ? attachProbes(to: process, unavailable: &probesUnavailable) : nil))
                if !experiment.prefill.isEmpty { _ = try load(experiment.prefill, port: process.port, seconds: nil) }
            }
            for workload in experiment.workloads {
                let measured = workload.measure == .memory
                    ? try running.map { try measureMemory(workload, on: $0.process, probes: $0.probes, round: round) }
                    : try measureSideBySide(workload, on: running, round: round, seconds: seconds, warmup: warmup)
                for sample in measured {
                    samples.append(sample)
                    print(Self.progressLine(sample))
                    for line in Self.probeLines(sample) { print(line) }
                }
            }
        }
        let result = ResultFile(
            experiment: .init(name: experiment.name, file: file, sha256: Self.sha256(of: file), description: experiment.description),
            commit: ResultFile.commit(repository: options.repository), started: started, environment: ResultFile.environment(),
            servers: experiment.servers.map { .init(name: $0.name, command: $0.command.joined(separator: " "),
                                                    version: ServerProcess.version($0.command, binaries: binaries), reference: $0.reference) },
            workloads: experiment.workloads.map { .init(name: $0.name, mode: $0.mode.rawValue, arguments: $0.arguments) },
            samples: samples,
            probes: experiment.probes ? .init(available: probesUnavailable == nil, reason: probesUnavailable) : nil)
        print(ExperimentSummary(experiment: experiment, samples: samples).table())
        let folder = URL(fileURLWithPath: options.resultsFolder).appendingPathComponent(experiment.name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(result.fileName).path
        try result.encoded().write(to: URL(fileURLWithPath: path))
        print("wrote \(path)")
        return path
    }

    /// The probes on `process`'s threads, or nil with the reason kept (the first one) when
    /// they cannot run: the experiment goes on without them.
    private func attachProbes(to process: ServerProcess, unavailable: inout String?) -> ThreadProbes? {
        do {
            return try ThreadProbes(object: options.probesObject, pid: process.pid)
        } catch {
            if unavailable == nil {
                print("probes unavailable: \(error.reason)")
                unavailable = error.reason
            }
            return nil
        }
    }

    /// Bytes per key: the workload's single run (a fill) against one server.
    private func measureMemory(_ workload: Experiment.Workload, on server: ServerProcess, probes: ThreadProbes?, round: Int) throws -> ResultFile.Sample {
        let before = server.residentBytes()
        probes?.clear()
        let result = try load(workload.arguments, port: server.port, seconds: nil)
        let threads = probes?.read()
        usleep(200_000)
        let keys = Int(try RawClient.command(["DBSIZE"], port: server.port).dropFirst().prefix { $0.isNumber }) ?? 0
        let grown = server.residentBytes() - before
        return sample(result, workload: workload, server: server.name, round: round, cpu: nil, rss: server.residentBytes(),
                      bytesPerKey: keys > 0 ? Double(grown) / Double(keys) : nil, probes: threads)
    }

    /// One workload on every server of the round, `seconds` each: after each server's warm-up,
    /// the measurement is taken in slices of about `sliceSeconds`, the servers' slices
    /// alternating (A B, B A, …), so that the samples compared lie within a fraction of a
    /// second of each other. A server's CPU time is read around all the slices: while the
    /// others are measured it is idle.
    private func measureSideBySide(
        _ workload: Experiment.Workload, on servers: [RunningServer], round: Int, seconds: Double, warmup: Double
    ) throws -> [ResultFile.Sample] {
        var arguments = Array(repeating: workload.arguments, count: servers.count)
        if let fraction = workload.rateFraction {
            for (index, server) in servers.enumerated() {
                let capacity = try load(arguments[index].filter { !$0.hasPrefix("--arrival") }, port: server.process.port, seconds: max(1, seconds / 2))
                arguments[index].append("--rate=\(max(1, Int(capacity.opsPerSecond(capacity.totals) * fraction)))")
            }
        }
        if warmup > 0 {
            for (index, server) in servers.enumerated() { _ = try load(arguments[index], port: server.process.port, seconds: warmup) }
        }
        // Each slice draws fresh keys (a new seed), as one long run would go on to new keys.
        let sliced = arguments.map { $0.contains("--randomize") ? $0 : $0 + ["--randomize"] }
        let slices = max(1, Int((seconds / Self.sliceSeconds).rounded()))
        var results: [RunResult?] = Array(repeating: nil, count: servers.count)
        var sliceThroughputs: [[Double]] = Array(repeating: [], count: servers.count)
        for server in servers { server.probes?.clear() }
        let cpuBefore = servers.map { $0.process.cpuSeconds() }
        for slice in 0..<slices {
            for index in slice % 2 == 0 ? Array(servers.indices) : servers.indices.reversed() {
                let part = try load(sliced[index], port: servers[index].process.port, seconds: seconds / Double(slices))
                sliceThroughputs[index].append(part.opsPerSecond(part.totals))
                if results[index] == nil { results[index] = part } else { results[index]!.append(part) }
            }
        }
        return servers.indices.map { index in
            let server = servers[index]
            var measured = sample(results[index]!, workload: workload, server: server.process.name, round: round,
                                  cpu: server.process.cpuSeconds() - cpuBefore[index], rss: server.process.residentBytes(), bytesPerKey: nil,
                                  probes: server.probes?.read())
            measured.sliceOpsPerSec = sliceThroughputs[index]
            return measured
        }
    }

    /// Length of one slice of a side-by-side measurement. Shorter cancels more of the
    /// machine's drift; each slice costs a few milliseconds of connecting and finishing.
    static let sliceSeconds = 0.25

    /// One ferrite-bench run of `arguments` against the server on `port`.
    private func load(_ arguments: [String], port: Int, seconds: Double?) throws -> RunResult {
        let full = arguments + ["-s", "127.0.0.1", "-p", String(port), "--hide-histogram"]
        var config: BenchmarkConfig
        do { config = try BenchmarkConfig.parse(full) } catch {
            throw ExperimentRunError("\(file): ferrite-bench refuses '\(arguments.joined(separator: " "))': \(error)")
        }
        if let seconds { config.runLength = .seconds(seconds) }
        return try BenchmarkRun.execute(WorkloadPlan(config: config, verifying: false), runNumber: 1, progress: false)
    }

    private func sample(
        _ result: RunResult, workload: Experiment.Workload, server: String, round: Int, cpu: Double?, rss: Int, bytesPerKey: Double?,
        probes: [ResultFile.ThreadProbe]?
    ) -> ResultFile.Sample {
        let totals = result.totals
        let keep = Set(experiment.keep)
        let ops = result.opsPerSecond(totals)
        let operations = Double(totals.counters.count)
        return ResultFile.Sample(
            server: server, workload: workload.name, round: round, operations: Int(operations), opsPerSec: ops,
            p50Ms: TableReport.percentileMilliseconds(totals.histogram, 50), p99Ms: TableReport.percentileMilliseconds(totals.histogram, 99),
            p999Ms: TableReport.percentileMilliseconds(totals.histogram, 99.9), errors: totals.counters.errors,
            serverCpuSeconds: cpu, opsPerCpuSecond: keep.contains(.opsPerCPUSecond) ? cpu.flatMap { $0 > 0 ? operations / $0 : nil } : nil,
            rssBytes: keep.contains(.rss) ? rss : nil, bytesPerKey: keep.contains(.bytesPerKey) ? bytesPerKey : nil,
            latencyDistribution: keep.contains(.latencyDistribution)
                ? Self.distributionPercentiles.map { [$0, TableReport.percentileMilliseconds(totals.histogram, $0)] } : nil,
            probes: probes)
    }

    private func pinLoad() throws {
        let cpus = try Self.cpuList(experiment.cpus.load)
        let result = cpus.withUnsafeBufferPointer { ferrite_set_process_affinity($0.baseAddress, Int32($0.count)) }
        if result != 0 { throw ExperimentRunError("cannot pin the load to CPUs \(experiment.cpus.load): \(String(cString: strerror(errno)))") }
    }

    /// "0-2,5" → [0, 1, 2, 5] (the parser has checked the syntax).
    static func cpuList(_ text: String) throws -> [Int32] {
        var cpus: [Int32] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-").compactMap { Int32($0) }
            guard let low = bounds.first, let high = bounds.last else { throw ExperimentRunError("bad CPU list \(text)") }
            cpus += Array(low...high)
        }
        return cpus
    }

    static func sha256(of file: String) -> String {
        Shell.output(["sha256sum", file]).split(separator: " ").first.map(String.init) ?? ""
    }

    static func progressLine(_ sample: ResultFile.Sample) -> String {
        var line = "  \(sample.server) \(sample.workload): \(Int(sample.opsPerSec)) ops/s  p50 \(format(sample.p50Ms)) ms  p99 \(format(sample.p99Ms)) ms"
        if let perCPU = sample.opsPerCpuSecond { line += "  \(Int(perCPU)) ops/cpu-s" }
        if let bytes = sample.bytesPerKey { line += "  \(format(bytes)) bytes/key" }
        if sample.errors > 0 { line += "  \(sample.errors) ERRORS" }
        return line
    }

    /// Per probed thread that did anything: system calls per operation (and the commonest
    /// three) and its run-queue waits.
    static func probeLines(_ sample: ResultFile.Sample) -> [String] {
        let operations = Double(max(1, sample.operations))
        return (sample.probes ?? []).filter { $0.syscalls > 0 || $0.runQueueWaits > 0 }.map { thread in
            let common = thread.syscallsByName.prefix(3).map { "\($0.name) \($0.count)" }.joined(separator: ", ")
            let meanWait = thread.runQueueWaits > 0 ? thread.runQueueWaitMicros / Double(thread.runQueueWaits) : 0
            return "    \(thread.thread): \(format(Double(thread.syscalls) / operations)) syscalls/op (\(common)); \(thread.runQueueWaits) run-queue waits, "
                + "mean \(format(meanWait)) µs, max \(format(thread.runQueueMaxWaitMicros)) µs; \(thread.preemptions) preemptions"
        }
    }

    static func format(_ value: Double) -> String { String(format: "%.3f", value) }
}
