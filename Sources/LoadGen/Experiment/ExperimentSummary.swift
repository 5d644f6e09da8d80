import Foundation

/// The table an experiment prints when it ends: per workload and server the medians over the
/// rounds (computed from the samples, as the dashboard does), and the ratio of each server's
/// median to the first server's.
struct ExperimentSummary {
    let experiment: Experiment
    let samples: [ResultFile.Sample]

    func table() -> String {
        let first = experiment.servers[0].name
        var lines = ["", "Medians over \(Set(samples.map(\.round)).count) rounds; ratios to \(first)"]
        let header = [pad("workload", 24), pad("server", 12), lpad("ops/s", 12), lpad("p50 ms", 8), lpad("p99 ms", 8), lpad("p99.9 ms", 9),
                      lpad("ops/cpu-s", 12), lpad("bytes/key", 10), lpad("ops/s ×", 8), lpad("p99 ×", 7), lpad("cpu-s ×", 8)].joined(separator: " ")
        lines += [header, String(repeating: "-", count: header.count)]
        for workload in experiment.workloads {
            let base = medians(workload.name, first)
            for server in experiment.servers {
                guard let row = medians(workload.name, server.name) else { continue }
                var cells = [pad(workload.name, 24), pad(server.name, 12), lpad(String(format: "%.0f", row.ops), 12),
                             lpad(String(format: "%.3f", row.p50), 8), lpad(String(format: "%.3f", row.p99), 8),
                             lpad(String(format: "%.3f", row.p999), 9), lpad(row.perCPU.map { String(format: "%.0f", $0) } ?? "", 12),
                             lpad(row.bytesPerKey.map { String(format: "%.1f", $0) } ?? "", 10)]
                if let base, server.name != first {
                    cells += [lpad(ratio(row.ops, base.ops), 8), lpad(ratio(row.p99, base.p99), 7),
                              lpad(row.perCPU.flatMap { mine in base.perCPU.map { ratio(mine, $0) } } ?? "", 8)]
                }
                lines.append(cells.joined(separator: " "))
            }
        }
        return lines.joined(separator: "\n")
    }

    struct Row {
        var ops, p50, p99, p999: Double
        var perCPU, bytesPerKey: Double?
    }

    func medians(_ workload: String, _ server: String) -> Row? {
        let mine = samples.filter { $0.workload == workload && $0.server == server }
        guard !mine.isEmpty else { return nil }
        func median(_ values: [Double]) -> Double? {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        return Row(ops: median(mine.map(\.opsPerSec))!, p50: median(mine.map(\.p50Ms))!, p99: median(mine.map(\.p99Ms))!,
                   p999: median(mine.map(\.p999Ms))!, perCPU: median(mine.compactMap(\.opsPerCpuSecond)),
                   bytesPerKey: median(mine.compactMap(\.bytesPerKey)))
    }

    private func ratio(_ value: Double, _ base: Double) -> String { base > 0 ? String(format: "%.2f", value / base) : "" }
    private func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
    private func lpad(_ text: String, _ width: Int) -> String { text.count >= width ? text : String(repeating: " ", count: width - text.count) + text }
}
