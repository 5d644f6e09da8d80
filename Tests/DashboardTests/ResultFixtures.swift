import Dashboard
import Foundation

/// Result records with known numbers, written as the runner writes them (JSON, schema 1):
/// Ferrite and Redis measured in `rounds` rounds of each workload.
enum ResultFixtures {
    static func record(
        commit index: Int, experiment: String = "core", rounds: Int = 3,
        ferrite: (_ workload: String, _ round: Int) -> Double, redis: (_ workload: String, _ round: Int) -> Double = { _, _ in 100_000 }
    ) -> ResultRecord {
        let workloads = ["GET P1", "SET P1"]
        var samples: [[String: Any]] = []
        for workload in workloads {
            for round in 0..<rounds {
                for (server, ops) in [("ferrite", ferrite(workload, round)), ("redis", redis(workload, round))] {
                    let p99 = 50_000 / ops
                    samples.append([
                        "server": server, "workload": workload, "round": round, "ops_per_sec": ops, "p50_ms": 0.4,
                        "p99_ms": p99, "p999_ms": 80_000 / ops, "server_cpu_seconds": 1.5, "ops_per_cpu_second": ops * 1.3,
                        "rss_bytes": 10_000_000, "latency_distribution": [[50, 0.4], [90, 0.6], [99, p99], [99.9, 80_000 / ops], [100, 3]],
                    ])
                }
            }
        }
        let short = String(format: "%07x", 0xabc0000 + index)
        let json: [String: Any] = [
            "schema": 1,
            "experiment": ["name": experiment, "file": "Experiments/\(experiment).yaml", "sha256": String(repeating: "e", count: 64), "description": "GET and SET"],
            "commit": ["id": short + String(repeating: "0", count: 33), "short": short, "time": iso(1_700_000_000 + index * 3600),
                       "subject": "Commit number \(index)", "dirty": false],
            "started": iso(1_800_000_000 + index * 60),
            "environment": ["cpu_model": "Test CPU", "cores": 2, "kernel": "6.18.44", "swift": "6.3.1", "host": "test"],
            "servers": [["name": "ferrite", "command": "ferrite-server --port {port}", "version": "Ferrite 0.1", "reference": false],
                        ["name": "redis", "command": "redis-server --port {port}", "version": "Redis 7.0.15", "reference": true]],
            "workloads": workloads.map { ["name": $0, "mode": "closed", "arguments": ["--ratio=0:1"]] },
            "samples": samples,
            "probes": ["available": false, "reason": "no BPF privileges"],
        ]
        let data = try! JSONSerialization.data(withJSONObject: json)
        return try! ResultRecord.decoder().decode(ResultRecord.self, from: data)
    }

    private static func iso(_ seconds: Int) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(seconds)))
    }

    /// Writes `records` as a results folder; returns it.
    static func folder(_ records: [ResultRecord]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferrite-results-\(UUID().uuidString)")
        for record in records {
            let directory = folder.appendingPathComponent(record.experiment.name)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let stamp = Int(record.started.timeIntervalSince1970)
            try ResultRecord.encoder().encode(record).write(to: directory.appendingPathComponent("\(record.commit.short)-\(stamp).json"))
        }
        return folder
    }
}
