import Testing
@testable import LoadGen
#if canImport(Glibc)
import Glibc
#endif

/// Key patterns: P covers the range exactly once, and Z's frequencies follow k^(-s).
@Suite struct KeyDistributionTests {
    @Test(arguments: [(1000, 7), (10, 16), (5, 5), (1_000_003, 200)])
    func parallelSlicesCoverTheRangeExactlyOnce(keys: Int, connections: Int) {
        var seen = 0
        var expectedStart = 0
        for index in 0..<connections {
            let slice = KeyGenerator.slice(total: keys, index: index, of: connections)
            #expect(slice.lowerBound == expectedStart)
            #expect(slice.count >= keys / connections && slice.count <= keys / connections + 1)
            expectedStart = slice.upperBound
            seen += slice.count
        }
        #expect(seen == keys)
    }

    @Test func sequentialAndParallelWalkInOrder() {
        var random = RandomSource(seed: 1)
        var generator = KeyGenerator(pattern: .parallel, minimum: 100, maximum: 109, distribution: KeyDistribution(), connection: 1, connections: 2)
        #expect((0..<6).map { _ in generator.next(&random) } == [105, 106, 107, 108, 109, 105])
        var sequential = KeyGenerator(pattern: .sequential, minimum: 0, maximum: 2, distribution: KeyDistribution(), connection: 0, connections: 1)
        #expect((0..<4).map { _ in sequential.next(&random) } == [0, 1, 2, 0])
    }

    @Test(arguments: [0.7, 1.0, 1.3])
    func zipfFrequenciesMatchTheExponent(exponent: Double) {
        let keys = 2000
        var random = RandomSource(seed: 42)
        let sampler = ZipfSampler(count: keys, exponent: exponent)
        var counts = [Int](repeating: 0, count: keys + 1)
        for _ in 0..<400_000 {
            let rank = sampler.sample(&random)
            #expect(rank >= 1 && rank <= keys)
            counts[rank] += 1
        }
        #expect(zipfSlope(counts: counts, ranks: 1...50).distance(to: -exponent).magnitude < 0.06)
        // The most frequent key's share is 1/H(n, s).
        let harmonic = (1...keys).reduce(0.0) { $0 + pow(Double($1), -exponent) }
        #expect(abs(Double(counts[1]) / 400_000 - 1 / harmonic) < 0.01)
    }

    @Test func gaussianStaysInRangeAroundTheMedian() {
        var random = RandomSource(seed: 7)
        var distribution = KeyDistribution()
        distribution.gaussianMedian = 500
        distribution.gaussianStddev = 50
        var generator = KeyGenerator(pattern: .gaussian, minimum: 0, maximum: 999, distribution: distribution, connection: 0, connections: 1)
        let samples = (0..<20_000).map { _ in generator.next(&random) }
        #expect(samples.allSatisfy { (0...999).contains($0) })
        let mean = Double(samples.reduce(0, +)) / Double(samples.count)
        #expect(abs(mean - 500) < 3)
        #expect(samples.filter { abs($0 - 500) <= 50 }.count > 13_000)  // ~68% within one stddev
    }
}

/// Least-squares slope of log(count) against log(rank): -s for a Zipf(s) sample.
func zipfSlope(counts: [Int], ranks: ClosedRange<Int>) -> Double {
    let points = ranks.filter { counts[$0] > 0 }.map { (log(Double($0)), log(Double(counts[$0]))) }
    let n = Double(points.count)
    let mx = points.reduce(0) { $0 + $1.0 } / n
    let my = points.reduce(0) { $0 + $1.1 } / n
    let sxy = points.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
    let sxx = points.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
    return sxy / sxx
}
