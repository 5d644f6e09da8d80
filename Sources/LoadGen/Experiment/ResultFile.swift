import Foundation
import Glibc

/// One run of an experiment as `Results/README.md` specifies it (schema 1): the environment it
/// ran in and every sample, never only aggregates. The dashboard reads these files with its
/// own model; the format is the contract between the two.
struct ResultFile: Encodable {
    struct ExperimentInfo: Encodable { var name, file, sha256, description: String }
    struct Commit: Encodable {
        var id, short, time, subject: String
        var dirty: Bool
    }
    struct Environment: Encodable {
        var cpuModel: String
        var cores: Int
        var kernel, swift, host: String
    }
    struct Server: Encodable {
        var name, command, version: String
        var reference: Bool
    }
    struct Workload: Encodable { var name, mode: String; var arguments: [String] }
    struct Sample: Encodable {
        var server, workload: String
        var round: Int
        /// Requests answered in the measured window.
        var operations: Int
        var opsPerSec, p50Ms, p99Ms, p999Ms: Double
        var errors: Int
        var serverCpuSeconds, opsPerCpuSecond: Double?
        var rssBytes: Int?
        var bytesPerKey: Double?
        var latencyDistribution: [[Double]]?
        /// Throughput of each slice of a side-by-side measurement, in time order: how much the
        /// machine moved within the sample (`ExperimentRunner.measureSideBySide`).
        var sliceOpsPerSec: [Double]?
        /// Per server thread, when the experiment asked for probes and they ran.
        var probes: [ThreadProbe]?
    }
    /// Whether the eBPF probes ran, and if not why.
    struct Probes: Encodable {
        var available: Bool
        var reason: String?
    }
    /// One server thread during one measurement (`ThreadProbes`).
    struct ThreadProbe: Encodable {
        var thread: String
        var tid: Int
        var syscalls: Int
        /// Most frequent first. (A list, not a map: snake-case key conversion would rename them.)
        var syscallsByName: [SyscallCount]
        var runQueueWaits: Int
        var runQueueWaitMicros: Double
        var runQueueMaxWaitMicros: Double
        var preemptions: Int
        /// Bucket 0: waits under 2 µs; bucket i: waits in [2^i, 2^(i+1)) µs.
        var runQueueWaitBuckets: [Int]
    }
    struct SyscallCount: Encodable {
        var name: String
        var count: Int
    }

    var schema = 1
    var experiment: ExperimentInfo
    var commit: Commit
    var started: String
    var environment: Environment
    var servers: [Server]
    var workloads: [Workload]
    var samples: [Sample]
    var probes: Probes?

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// `<short commit>-<UTC time>.json`, e.g. `3e6e218-20261202T003000Z.json`.
    var fileName: String {
        "\(commit.short)-\(started.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")).json"
    }

    static func utcNow() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }

    /// The checkout's commit, its time and subject, and whether the tree has changes.
    static func commit(repository: String) -> Commit {
        let id = Shell.output(["git", "rev-parse", "HEAD"], directory: repository).trimmingCharacters(in: .whitespacesAndNewlines)
        let log = Shell.output(["git", "log", "-1", "--format=%cI%n%s"], directory: repository).split(separator: "\n", omittingEmptySubsequences: false)
        let status = Shell.output(["git", "status", "--porcelain", "--untracked-files=no"], directory: repository)
        let time = log.first.map(String.init).flatMap { ISO8601DateFormatter().date(from: $0) }.map { ISO8601DateFormatter().string(from: $0) } ?? utcNow()
        return Commit(id: id.isEmpty ? "unknown" : id, short: id.isEmpty ? "unknown" : String(id.prefix(7)), time: time,
                      subject: log.count > 1 ? String(log[1]) : "", dirty: !status.isEmpty)
    }

    static func environment() -> Environment {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":", maxSplits: 1).last
        var name = utsname()
        uname(&name)
        let kernel = withUnsafeBytes(of: name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let host = withUnsafeBytes(of: name.nodename) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let versionLine = Shell.output(["swift", "--version"]).split(separator: "\n").first { $0.contains("Swift version") } ?? ""
        let swift = versionLine.components(separatedBy: "Swift version ").dropFirst().first?.split(separator: " ").first.map(String.init)
        return Environment(cpuModel: model.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown",
                           cores: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), kernel: kernel, swift: swift ?? "unknown", host: host)
    }
}
