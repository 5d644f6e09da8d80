import Testing
@testable import LoadGen

/// The experiment runner measures a server in slices and joins them with `RunResult.append`:
/// the joined result must read as one run that lasted all the slices.
@Suite struct RunResultTests {
    private func slice(latencies: [UInt64], seconds: Double, backlog: Int = 0) throws -> RunResult {
        let plan = WorkloadPlan(config: try BenchmarkConfig.parse(["--ratio=1:1"]), verifying: false)
        var result = RunResult(plan: plan, stats: plan.types.map { _ in RequestStats() }, durationNanos: UInt64(seconds * 1e9),
                               startWallMilliseconds: 1_000, finishWallMilliseconds: 1_000 + Int64(seconds * 1000), backend: .ioUring)
        result.backlog = backlog
        var sets = RequestRecorder(), gets = RequestRecorder()
        for micros in latencies {
            sets.record(micros: micros, second: 0, sent: 10, received: 5, outcome: .ok)
            gets.record(micros: micros, second: 0, sent: 10, received: 5, outcome: .miss)
        }
        result.stats = [sets.stats, gets.stats]
        return result
    }

    @Test func joinedSlicesCountEveryRequestOverTheirSummedTime() throws {
        var joined = try slice(latencies: Array(repeating: 100, count: 300), seconds: 0.25, backlog: 2)
        joined.append(try slice(latencies: Array(repeating: 900, count: 100), seconds: 0.25, backlog: 3))
        #expect(joined.durationNanos == 500_000_000)
        #expect(joined.finishWallMilliseconds == 1_250)
        #expect(joined.backlog == 5)
        #expect(joined.totals.counters.count == 800)
        #expect(joined.stats[1].counters.misses == 400)
        #expect(joined.opsPerSecond(joined.totals) == 1_600)
        // A quarter of the requests took 900 µs: the 99th percentile is theirs, the median is not.
        #expect(TableReport.percentileMilliseconds(joined.totals.histogram, 50) < 0.2)
        #expect(TableReport.percentileMilliseconds(joined.totals.histogram, 99) > 0.8)
    }
}
