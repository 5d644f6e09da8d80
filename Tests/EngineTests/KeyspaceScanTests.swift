@testable import Engine
import RESP
import Testing

/// SCAN's guarantee: every key present for the whole iteration is returned at least once,
/// whatever the index does between calls (grow, shrink, half-migrated); cursor 0 starts and ends.
@Suite struct KeyspaceScanTests {
    /// Runs a full iteration, calling `between` after every SCAN call; returns the keys seen.
    static func scanAll(
        _ keyspace: Keyspace, count: Int, maximumCalls: Int = 1_000_000, between: (Int) -> Void = { _ in }
    ) -> (keys: Set<String>, calls: Int) {
        var cursor: UInt64 = 0
        var keys = Set<String>()
        var calls = 0
        repeat {
            cursor = keyspace.scan(cursor: cursor, count: count) { keys.insert($0.key.string) }
            calls += 1
            between(calls)
        } while cursor != 0 && calls < maximumCalls
        return (keys, calls)
    }

    @Test func emptyKeyspace() {
        let keyspace = Keyspace(seed: 1)
        #expect(keyspace.scan(cursor: 0, count: 10) { _ in Issue.record("no keys") } == 0)
    }

    @Test(arguments: [1, 3, 10, 100, 1000])
    func completeWithoutChanges(count: Int) {
        let keyspace = Keyspace(seed: 2)
        let keys = Set((0..<3000).map { "key:\($0)" })
        for key in keys { keyspace.set(key, "v") }
        let (seen, calls) = KeyspaceScanTests.scanAll(keyspace, count: count)
        #expect(seen == keys)
        // Progress: about `count` keys per call, never stuck.
        #expect(calls <= 3000 / count + 3000 / (count * 10) + 10)
    }

    @Test func smallCountsEveryKeyspaceSize() {
        for size in 0..<60 {
            let keyspace = Keyspace(seed: UInt64(size))
            let keys = Set((0..<size).map { "k\($0)" })
            for key in keys { keyspace.set(key, "v") }
            for count in [1, 2, 5] {
                #expect(KeyspaceScanTests.scanAll(keyspace, count: count).keys == keys)
            }
        }
    }

    /// New keys pour in between calls: the table grows several times mid-iteration.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func completeAcrossGrowth(seed: UInt64) {
        let keyspace = Keyspace(seed: seed)
        let stable = Set((0..<500).map { "stable:\($0)" })
        for key in stable { keyspace.set(key, "v") }
        var added = 0
        var resizingCalls = 0
        let startCapacity = keyspace.testsOnlyCapacity
        let (seen, _) = KeyspaceScanTests.scanAll(keyspace, count: 5) { _ in
            for _ in 0..<60 {
                keyspace.set("new:\(added)", "v")
                added += 1
            }
            if keyspace.testsOnlyIsResizing { resizingCalls += 1 }
        }
        keyspace.checkInvariants()
        #expect(keyspace.testsOnlyCapacity > startCapacity * 8)
        #expect(resizingCalls > 0)
        #expect(stable.isSubset(of: seen))
    }

    /// Most keys are deleted between calls: the table shrinks mid-iteration.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func completeAcrossShrink(seed: UInt64) {
        let keyspace = Keyspace(seed: seed)
        let stable = Set((0..<100).map { "stable:\($0)" })
        let doomed = (0..<20_000).map { "doomed:\($0)" }
        for key in stable { keyspace.set(key, "v") }
        for key in doomed { keyspace.set(key, "v") }
        var next = 0
        var resizingCalls = 0
        let startCapacity = keyspace.testsOnlyCapacity
        let (seen, _) = KeyspaceScanTests.scanAll(keyspace, count: 20) { _ in
            for _ in 0..<400 where next < doomed.count {
                keyspace.del(doomed[next])
                next += 1
            }
            if keyspace.testsOnlyIsResizing { resizingCalls += 1 }
        }
        keyspace.checkInvariants()
        #expect(keyspace.testsOnlyCapacity * 8 < startCapacity)
        #expect(resizingCalls > 0)
        #expect(stable.isSubset(of: seen))
    }

    /// Growth and shrink alternate while a slow iteration (COUNT 1) runs.
    @Test func completeAcrossGrowAndShrinkCycles() {
        let keyspace = Keyspace(seed: 9)
        let stable = Set((0..<300).map { "stable:\($0)" })
        for key in stable { keyspace.set(key, "v") }
        var round = 0
        let (seen, _) = KeyspaceScanTests.scanAll(keyspace, count: 1) { call in
            let phase = (call / 40) % 2
            for _ in 0..<50 {
                if phase == 0 {
                    keyspace.set("churn:\(round)", "v")
                } else {
                    keyspace.del("churn:\(round - 2_000)")
                }
                round += 1
            }
        }
        keyspace.checkInvariants()
        #expect(stable.isSubset(of: seen))
    }

    /// A cursor taken mid-iteration keeps its meaning after the index is resized: keys whose
    /// hash lies at or above it are all still returned.
    @Test func cursorIsAHashThreshold() {
        let keyspace = Keyspace(seed: 4)
        for i in 0..<1000 { keyspace.set("key:\(i)", "v") }
        var seenBefore = Set<String>()
        var cursor: UInt64 = 0
        for _ in 0..<10 { cursor = keyspace.scan(cursor: cursor, count: 30) { seenBefore.insert($0.key.string) } }
        #expect(cursor != 0)
        for i in 1000..<20_000 { keyspace.set("key:\(i)", "v") }
        keyspace.testsOnlyFinishResize()
        var seenAfter = Set<String>()
        while true {
            cursor = keyspace.scan(cursor: cursor, count: 100) { seenAfter.insert($0.key.string) }
            if cursor == 0 { break }
        }
        for i in 0..<1000 {
            let key = "key:\(i)"
            #expect(seenBefore.contains(key) || seenAfter.contains(key))
        }
    }
}
