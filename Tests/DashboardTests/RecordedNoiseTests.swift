import Dashboard
import Foundation
import Testing

/// The detector on this machine's real run-to-run noise (`Fixtures/noise.json`, recorded by
/// `scripts/record_noise.py`: `ferrite-bench experiment Experiments/core.yaml` with many rounds,
/// one build throughout). A series is what the dashboard analyses: per commit, as many ratios
/// of Ferrite to Redis as the experiment has rounds, each measured side by side in one round.
/// Each commit's rounds are a block of consecutive recorded rounds (drift within a run stays
/// in it), blocks drawn at random; a step multiplies the ratios from one commit on. Required:
/// ≥ 95 % of 5 % steps found at the right commit, ≤ 1 % of step-free series with any alarm.
///
/// The recording has 150 rounds and a series needs 16 × 30, so commits share rounds (a block
/// bootstrap): the rates are estimates of what fresh runs would show, somewhat optimistic.
/// Series are judged as the dashboard judges them (`Metric.detector`): P99 changes under 10 %
/// are not flagged, since P99's ratio drifts by that much between stretches of the recording.
@Suite struct RecordedNoiseTests {
    static let commits = 16
    static let trials = 2000
    static var rounds: Int { recording.rounds_per_run }
    /// Every workload recorded.
    static let workloads = recording.series["ferrite"]!.keys.sorted()

    struct Recording: Decodable {
        struct Metrics: Decodable {
            var ops_per_sec: [Double]
            var p99_ms: [Double]
        }
        var rounds_per_run: Int
        var series: [String: [String: Metrics]]
    }

    static let recording: Recording = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/noise.json")
        return try! JSONDecoder().decode(Recording.self, from: Data(contentsOf: url))
    }()

    /// Ferrite over Redis, sample by sample, for one workload and metric.
    static func ratios(_ workload: String, p99: Bool) -> [Double] {
        let ferrite = recording.series["ferrite"]![workload]!
        let redis = recording.series["redis"]![workload]!
        let (mine, theirs) = p99 ? (ferrite.p99_ms, redis.p99_ms) : (ferrite.ops_per_sec, redis.ops_per_sec)
        return zip(mine, theirs).map { $0 / $1 }
    }

    /// The detector the dashboard judges the metric's series with.
    static func detector(p99: Bool) -> ChangePointDetector {
        (p99 ? Metric.p99 : Metric.throughput).detector(from: ChangePointDetector())
    }

    /// A series of `commits` points from recorded ratios, multiplied by `1 + step` from commit
    /// `stepAt` on.
    static func series(_ ratios: [Double], step: Double = 0, at stepAt: Int = .max, using rng: inout SplitMix64) -> [ChangePointDetector.Point] {
        (0..<commits).map { commit in
            let start = Int.random(in: 0...(ratios.count - rounds), using: &rng)
            let factor = commit >= stepAt ? 1 + step : 1
            return .init(commit: "c\(commit)", samples: ratios[start..<start + rounds].map { $0 * factor })
        }
    }

    /// Share of series with a step of `step` (up or down alike) in which the detector reports it at
    /// its commit, with its sign; the step lies where `minimumHistory` and a window's worth of
    /// commits after it exist, as it does once a few commits have landed on top.
    static func detectionRate(_ workload: String, p99: Bool, step: Double, seed: UInt64) -> Double {
        var rng = SplitMix64(seed: seed)
        let source = ratios(workload, p99: p99)
        var found = 0
        for trial in 0..<trials {
            let signed = trial % 2 == 0 ? step : -step
            let at = Int.random(in: 5...(commits - 6), using: &rng)
            let changes = detector(p99: p99).changePoints(in: series(source, step: signed, at: at, using: &rng))
            if changes.contains(where: { $0.index == at && ($0.relativeChange > 0) == (signed > 0) }) { found += 1 }
        }
        return Double(found) / Double(trials)
    }

    /// Share of step-free series in which the detector reports any change.
    static func falseAlarmRate(_ workload: String, p99: Bool, seed: UInt64) -> Double {
        var rng = SplitMix64(seed: seed)
        let source = ratios(workload, p99: p99)
        var alarms = 0
        for _ in 0..<trials where !detector(p99: p99).changePoints(in: series(source, using: &rng)).isEmpty { alarms += 1 }
        return Double(alarms) / Double(trials)
    }

    @Test(arguments: workloads)
    func findsFivePercentThroughputSteps(workload: String) {
        let rate = Self.detectionRate(workload, p99: false, step: 0.05, seed: 5)
        print("\(workload) throughput: 5 % steps found in \(String(format: "%.1f", rate * 100)) % of \(Self.trials) series")
        #expect(rate >= 0.95)
    }

    @Test(arguments: workloads)
    func findsTenPercentThroughputSteps(workload: String) {
        let rate = Self.detectionRate(workload, p99: false, step: 0.10, seed: 10)
        print("\(workload) throughput: 10 % steps found in \(String(format: "%.1f", rate * 100)) % of \(Self.trials) series")
        #expect(rate >= 0.95)
    }

    @Test(arguments: workloads, [false, true])
    func rarelyAlarmsWithoutAStep(workload: String, p99: Bool) {
        let rate = Self.falseAlarmRate(workload, p99: p99, seed: 1)
        print("\(workload) \(p99 ? "P99" : "throughput"): false alarms in \(String(format: "%.2f", rate * 100)) % of \(Self.trials) step-free series")
        #expect(rate <= 0.01)
    }
}
