@testable import Engine
import Testing

/// The latency histograms read as Redis 7.0 reads its own (HdrHistogram, 1 ns to 1 s, two
/// significant digits). The expected figures are the ones Debian's redis-server printed for
/// the same recorded durations (INFO latencystats and LATENCY HISTOGRAM after calls that took
/// 1, 2, 6, 7, 61 and 123 µs).
@Suite struct LatencyHistogramTests {
    private func histogram(microseconds: [Int64]) -> LatencyHistogram {
        let recorder = CommandLatencyRecorder(commandCount: 3)
        for duration in microseconds { recorder.record(2, microseconds: duration) }
        return recorder.histogram(of: 2)!
    }

    @Test func percentilesAreTheHighestEquivalentValues() {
        let set = histogram(microseconds: [6, 7])
        #expect(set.value(atPercentile: 50) == 6_015)
        #expect(set.value(atPercentile: 99) == 7_007)
        #expect(set.value(atPercentile: 99.9) == 7_007)
        #expect(set.value(atPercentile: 0) == 5_984)  // the lowest equivalent, for 0 only
        #expect(histogram(microseconds: [123]).value(atPercentile: 50) == 123_391)
        #expect(histogram(microseconds: [61]).value(atPercentile: 99.9) == 61_183)
        let multi = histogram(microseconds: [1, 2])
        #expect(multi.value(atPercentile: 50) == 1_003)
        #expect(multi.value(atPercentile: 99) == 2_007)
    }

    @Test func underAMicrosecondCountsAsOneNanosecond() {
        #expect(LatencyHistogram.index(of: 1) == 1)  // where `recordUnderAMicrosecond` counts
        let fast = histogram(microseconds: [0, 0, 0, 1])
        #expect(fast.value(atPercentile: 50) == 1)
        #expect(fast.value(atPercentile: 100) == 1_003)
        #expect(fast.totalCount == 4)
        #expect(fast.cumulativeBuckets().map { [$0.microseconds, $0.count] } == [[1, 4]])
    }

    @Test func bucketsAreRedisReportingLevels() {
        #expect(histogram(microseconds: [6, 7]).cumulativeBuckets().map { [$0.microseconds, $0.count] } == [[8, 2]])
        #expect(histogram(microseconds: [61]).cumulativeBuckets().map { [$0.microseconds, $0.count] } == [[66, 1]])
        #expect(histogram(microseconds: [123]).cumulativeBuckets().map { [$0.microseconds, $0.count] } == [[132, 1]])
        // Levels that add nothing are left out; each count includes the ones below.
        let spread = histogram(microseconds: [0, 1, 3, 3, 40, 1000])
        #expect(spread.cumulativeBuckets().map { [$0.microseconds, $0.count] } == [[1, 2], [4, 4], [66, 5], [1056, 6]])
    }

    @Test func durationsPastOneSecondAreClampedAndReportedAtTheLastIndex() {
        let slow = histogram(microseconds: [2_000_000])
        #expect(slow.value(atPercentile: 50) == 1_002_438_655)
        #expect(slow.cumulativeBuckets().map { [$0.microseconds, $0.count] } == [[1_073_741, 1]])
    }

    @Test func layoutMatchesTheCLibrary() {
        #expect(LatencyHistogram.countsLength == 3_072)
        for value: Int64 in [1, 255, 256, 1_000, 1_024, 65_535, 999_999_999, 1_000_000_000] {
            let index = LatencyHistogram.index(of: value)
            #expect(index < LatencyHistogram.countsLength)
            #expect(LatencyHistogram.value(at: index) == LatencyHistogram.lowestEquivalent(value))
            #expect(LatencyHistogram.value(at: index) <= value && value <= LatencyHistogram.highestEquivalent(value))
        }
    }

    @Test func shardsAddUpAndResetForgets() {
        let first = CommandLatencyRecorder(commandCount: 2)
        let second = CommandLatencyRecorder(commandCount: 2)
        first.record(1, microseconds: 6)
        second.record(1, microseconds: 7)
        var total = first.histogram(of: 1)!
        total.add(second.histogram(of: 1)!)
        #expect(total == histogram(microseconds: [6, 7]))
        #expect(first.histogram(of: 0) == nil)
        first.reset()
        #expect(first.histogram(of: 1) == nil)
    }
}

/// The latency monitor's per-shard parts read together as Redis's one series per event.
@Suite struct LatencyMonitorTests {
    @Test func aSecondKeepsItsWorstSample() {
        let monitor = LatencyMonitor()
        monitor.add("command", milliseconds: 5, now: 100)
        monitor.add("command", milliseconds: 9, now: 100)
        monitor.add("command", milliseconds: 3, now: 100)
        monitor.add("command", milliseconds: 2, now: 101)
        let series = LatencyMonitor.merged([monitor])[0].series
        #expect(series.samples == [.init(time: 100, milliseconds: 9), .init(time: 101, milliseconds: 2)])
        #expect(series.highest == 9)
    }

    @Test func historyKeepsTheNewest160Seconds() {
        let monitor = LatencyMonitor()
        for second in 0..<200 { monitor.add("command", milliseconds: Int64(second), now: Int64(second)) }
        let series = LatencyMonitor.merged([monitor])[0].series
        #expect(series.samples.count == 160)
        #expect(series.samples.first?.time == 40)
        #expect(series.highest == 199)
    }

    @Test func shardsJoinBySecond() {
        let first = LatencyMonitor()
        let second = LatencyMonitor()
        first.add("command", milliseconds: 4, now: 10)
        second.add("fast-command", milliseconds: 2, now: 10)
        second.add("command", milliseconds: 7, now: 10)
        second.add("command", milliseconds: 1, now: 11)
        first.add("command", milliseconds: 3, now: 12)
        let merged = LatencyMonitor.merged([first, second])
        #expect(merged.map(\.name) == ["command", "fast-command"])
        #expect(merged[0].series.samples.map { [$0.time, $0.milliseconds] } == [[10, 7], [11, 1], [12, 3]])
        #expect(merged[0].series.highest == 7)
        for shard in [first, second] { _ = shard.reset(matching: { $0 == "command" }) }
        #expect(LatencyMonitor.merged([first, second]).map(\.name) == ["fast-command"])
    }
}
