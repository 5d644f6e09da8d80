import Dashboard
import Testing

/// The rank-sum test against SciPy's `mannwhitneyu(right, left)`: `method="exact"` for small
/// samples without ties, `method="asymptotic", use_continuity=True` otherwise.
@Suite struct RankSumTestTests {
    static let evens = (0..<40).map { Double($0) * 2 }

    @Test func matchesScipyExactlyWithoutTies() {
        let result = RankSumTest.compare([1, 2, 3, 4, 5], [3.5, 6, 7, 8, 9, 10])
        #expect(abs(result.pValue - 0.017316017316017316) < 1e-12)
        #expect(result.z > 0)
        // Five runs below all of eighteen: the case the normal approximation (0.00091) overstates 15-fold.
        #expect(abs(RankSumTest.compare((10..<28).map(Double.init), [1, 2, 3, 4, 5]).pValue - 5.9437130375345475e-05) < 1e-15)
        #expect(abs(RankSumTest.compare(Array(Self.evens.prefix(30)), Self.evens.prefix(30).map { $0 + 11 }).pValue - 0.02633196030257917) < 1e-12)
        #expect(abs(RankSumTest.compare(Array(Self.evens.prefix(30)), Self.evens.prefix(5).map { $0 + 11 }).pValue - 0.10538086202222824) < 1e-12)
    }

    @Test func largeSamplesUseTheNormalApproximation() {
        let result = RankSumTest.compare(Self.evens, Self.evens.map { $0 + 11 })
        #expect(abs(result.pValue - 0.049090804709638) < 1e-12)
        #expect(result.z > 0)
    }

    @Test func matchesScipyWithTies() {
        let result = RankSumTest.compare([1, 2, 2, 3, 3, 3], [3, 3, 4, 4, 5])
        #expect(abs(result.pValue - 0.026885511853408067) < 1e-12)
    }

    @Test func directionFollowsTheRightSample() {
        #expect(RankSumTest.compare([5, 6, 7], [1, 2, 3]).z < 0)
        #expect(RankSumTest.compare([1, 2, 3], [5, 6, 7]).z > 0)
    }

    @Test func identicalValuesAreNoEvidence() {
        let result = RankSumTest.compare([4, 4, 4], [4, 4])
        #expect(result.z == 0 && result.pValue == 1)
    }
}
