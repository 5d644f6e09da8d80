import Histogram
import Testing
@testable import LoadGen

/// The recorder keeps one histogram for the second under way and folds each finished second
/// into the run's figures: what it reports must be exactly what recording every latency into
/// the whole-run histogram and into its second's histogram would have given.
@Suite struct RequestRecorderTests {
    @Test func foldedSecondsEqualRecordingEveryLatencyDirectly() {
        var recorder = RequestRecorder()
        var whole = LatencyHistogram.make()
        var perSecond = [LatencyHistogram.makePerSecond(), LatencyHistogram.makePerSecond(), LatencyHistogram.makePerSecond()]
        var counts = [0, 0, 0]
        var minimum = [UInt64.max, .max, .max], maximum: [UInt64] = [0, 0, 0]
        var random = RandomSource(seed: 7)
        // Seconds 0 and 2 get replies, second 1 none; latencies from 0 (clamped to 1 µs) up
        // past the histogram's top (clamped to ten minutes), spread over every magnitude.
        for second in [0, 2] {
            for _ in 0..<5_000 {
                let micros = random.next(below: 1 << random.next(below: 34))
                recorder.record(micros: micros, second: second, sent: 20, received: 7, outcome: micros.isMultiple(of: 2) ? .hit : .miss)
                whole.record(LatencyHistogram.clamp(micros))
                perSecond[second].record(LatencyHistogram.clamp(micros))
                counts[second] += 1
                minimum[second] = min(minimum[second], micros)
                maximum[second] = max(maximum[second], micros)
            }
        }
        let stats = recorder.stats
        #expect(stats.histogram == whole)
        #expect(stats.counters.count == 10_000)
        #expect(stats.counters.hits + stats.counters.misses == 10_000)
        #expect(stats.counters.bytesSent == 200_000 && stats.counters.bytesReceived == 70_000)
        #expect(stats.seconds.count == 3)
        for second in 0..<3 {
            #expect(stats.seconds[second].counters.count == counts[second])
            #expect(stats.seconds[second].histogram == perSecond[second])
            #expect(stats.seconds[second].counters.latencyMicrosMinimum == minimum[second])
            #expect(stats.seconds[second].counters.latencyMicrosMaximum == maximum[second])
        }
    }

    @Test func readingTheStatsLeavesTheSecondUnderWayOpen() {
        var recorder = RequestRecorder()
        recorder.record(micros: 100, second: 0, sent: 1, received: 1, outcome: .ok)
        #expect(recorder.stats.counters.count == 1)
        recorder.record(micros: 300, second: 0, sent: 1, received: 1, outcome: .ok)
        let stats = recorder.stats
        #expect(stats.counters.count == 2)
        #expect(stats.seconds.count == 1 && stats.seconds[0].counters.count == 2)
        #expect(stats.seconds[0].counters.latencyMicrosMaximum == 300)
    }
}
