import Dashboard
import Testing

/// The rank-sum test against SciPy's `mannwhitneyu(right, left, method="asymptotic",
/// use_continuity=True)`, the reference implementation of the same approximation.
@Suite struct RankSumTestTests {
    @Test func matchesScipyWithoutTies() {
        let result = RankSumTest.compare([1, 2, 3, 4, 5], [3.5, 6, 7, 8, 9, 10])
        #expect(abs(result.pValue - 0.022478873366125265) < 1e-12)
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
