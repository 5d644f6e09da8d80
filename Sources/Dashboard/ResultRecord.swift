import Foundation

/// One recorded run: an experiment on one commit, with every sample it measured
/// (`Results/README.md` documents the format). Decoded as written; nothing is derived here.
public struct ResultRecord: Codable, Sendable, Equatable {
    public static let schemaVersion = 1

    public struct Experiment: Codable, Sendable, Equatable {
        public var name: String
        public var file: String
        public var sha256: String
        public var description: String?
    }

    public struct Commit: Codable, Sendable, Equatable {
        public var id: String
        public var short: String
        public var time: Date
        public var subject: String?
        public var dirty: Bool
    }

    public struct Environment: Codable, Sendable, Equatable {
        public var cpuModel: String
        public var cores: Int
        public var kernel: String
        public var swift: String
        public var host: String?
    }

    public struct Server: Codable, Sendable, Equatable {
        public var name: String
        public var command: String
        public var version: String
        public var reference: Bool
    }

    public struct Workload: Codable, Sendable, Equatable {
        public var name: String
        public var mode: String
        public var arguments: [String]
    }

    public struct Sample: Codable, Sendable, Equatable {
        public var server: String
        public var workload: String
        public var round: Int
        /// Requests answered in the measured window (absent in runs recorded before probes).
        public var operations: Int?
        public var opsPerSec: Double
        public var p50Ms: Double
        public var p99Ms: Double
        public var p999Ms: Double
        public var serverCpuSeconds: Double?
        public var opsPerCpuSecond: Double?
        public var rssBytes: Int?
        public var bytesPerKey: Double?
        /// `[percentile, milliseconds]` pairs of the run's HDR histogram.
        public var latencyDistribution: [[Double]]?
        /// The server's threads during the measurement, when eBPF probes ran.
        public var probes: [ThreadProbe]?
    }

    public struct Probes: Codable, Sendable, Equatable {
        public var available: Bool
        public var reason: String?
    }

    /// One server thread during one measurement: system calls and run-queue waits.
    public struct ThreadProbe: Codable, Sendable, Equatable {
        public struct SyscallCount: Codable, Sendable, Equatable {
            public var name: String
            public var count: Int
        }
        public var thread: String
        public var tid: Int
        public var syscalls: Int
        public var syscallsByName: [SyscallCount]
        public var runQueueWaits: Int
        public var runQueueWaitMicros: Double
        public var runQueueMaxWaitMicros: Double
        public var preemptions: Int
        public var runQueueWaitBuckets: [Int]
    }

    public var schema: Int
    public var experiment: Experiment
    public var commit: Commit
    public var started: Date
    public var environment: Environment
    public var servers: [Server]
    public var workloads: [Workload]
    public var samples: [Sample]
    public var probes: Probes?

    /// The server under test: the first that is not a reference.
    public var subject: Server? { servers.first { !$0.reference } }
    /// The server the subject is compared with: the first reference.
    public var reference: Server? { servers.first { $0.reference } }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }
}

/// Every run under a results folder, grouped by experiment and ordered by commit time (then
/// by start time), each with the id the dashboard's run pages use: its path below the folder
/// without `.json`.
public struct ResultsLibrary: Sendable {
    public struct Run: Sendable {
        public let id: String
        public let record: ResultRecord
    }

    public let runs: [Run]

    public init(runs: [Run]) {
        self.runs = runs.sorted { ($0.record.commit.time, $0.record.started) < ($1.record.commit.time, $1.record.started) }
    }

    /// Reads every `*.json` below `folder`. A file that is not a schema-1 result stops the
    /// load with its path and the reason, so a broken record is never silently left out.
    public static func load(folder: URL) throws -> ResultsLibrary {
        let decoder = ResultRecord.decoder()
        var runs: [Run] = []
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" } ?? []
        let base = folder.standardizedFileURL.path
        for file in files.sorted(by: { $0.path < $1.path }) {
            let record: ResultRecord
            do {
                record = try decoder.decode(ResultRecord.self, from: Data(contentsOf: file))
            } catch {
                throw ResultsError(path: file.path, reason: "\(error)")
            }
            guard record.schema == ResultRecord.schemaVersion else {
                throw ResultsError(path: file.path, reason: "schema \(record.schema), expected \(ResultRecord.schemaVersion)")
            }
            var id = String(file.standardizedFileURL.path.dropFirst(base.count))
            if id.hasPrefix("/") { id.removeFirst() }
            runs.append(Run(id: String(id.dropLast(".json".count)), record: record))
        }
        return ResultsLibrary(runs: runs)
    }

    public var experiments: [String] { Array(Set(runs.map(\.record.experiment.name))).sorted() }

    public func runs(of experiment: String) -> [Run] { runs.filter { $0.record.experiment.name == experiment } }

    public func run(id: String) -> Run? { runs.first { $0.id == id } }
}

/// A results file that could not be read.
public struct ResultsError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}
