import Dashboard
import Foundation
import Testing

/// The detector's logic on series whose truth is known: seeded Gaussian noise of 2 % with
/// steps put in by hand.
@Suite struct ChangePointDetectorTests {
    static func series(levels: [Double], noise: Double = 0.02, samples: Int = 5, seed: UInt64 = 42) -> [ChangePointDetector.Point] {
        var rng = SplitMix64(seed: seed)
        return levels.enumerated().map { index, level in
            .init(commit: "c\(index)", samples: (0..<samples).map { _ in level * (1 + noise * rng.nextGaussian()) })
        }
    }

    @Test func flatSeriesHasNoChange() {
        let flat = Self.series(levels: Array(repeating: 100_000, count: 30))
        #expect(ChangePointDetector().changePoints(in: flat).isEmpty)
    }

    @Test func findsOneStepWhereItIs() {
        let levels = Array(repeating: 100_000.0, count: 12) + Array(repeating: 90_000.0, count: 18)
        let found = ChangePointDetector().changePoints(in: Self.series(levels: levels))
        #expect(found.count == 1)
        #expect(found.first?.index == 12)
        #expect(found.first?.commit == "c12")
        #expect(abs((found.first?.relativeChange ?? 0) + 0.10) < 0.02)
        #expect((found.first?.confidence ?? 0) > 0.999)
    }

    @Test func findsAStepAtTheNewestCommit() {
        let levels = Array(repeating: 100_000.0, count: 20) + [110_000.0]
        let found = ChangePointDetector().changePoints(in: Self.series(levels: levels, samples: 8))
        #expect(found.map(\.index) == [20])
        #expect((found.first?.relativeChange ?? 0) > 0.05)
    }

    @Test func findsTwoStepsApart() {
        let levels = Array(repeating: 100.0, count: 10) + Array(repeating: 110.0, count: 10) + Array(repeating: 95.0, count: 10)
        let found = ChangePointDetector().changePoints(in: Self.series(levels: levels))
        #expect(found.map(\.index) == [10, 20])
        #expect(found.map { $0.relativeChange > 0 } == [true, false])
    }

    @Test func ignoresChangesBelowTheMinimum() {
        // 1 % with almost no noise is significant, but smaller than the 2 % that counts.
        let levels = Array(repeating: 100.0, count: 10) + Array(repeating: 101.0, count: 10)
        #expect(ChangePointDetector().changePoints(in: Self.series(levels: levels, noise: 0.001)).isEmpty)
    }

    @Test func p99FlagsOnlyChangesOfTenPercent() {
        let detector = Metric.p99.detector(from: ChangePointDetector())
        let steps = [1.06, 1.12].map { Array(repeating: 1.0, count: 10) + Array(repeating: $0, count: 10) }
        #expect(detector.changePoints(in: Self.series(levels: steps[0], noise: 0.001)).isEmpty)
        #expect(detector.changePoints(in: Self.series(levels: steps[1], noise: 0.001)).map(\.index) == [10])
        #expect(Metric.throughput.detector(from: ChangePointDetector()).changePoints(in: Self.series(levels: steps[0], noise: 0.001)).map(\.index) == [10])
    }
}

/// A small seeded generator, so every run of a test draws the same numbers.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal value (Box–Muller).
    mutating func nextGaussian() -> Double {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}
