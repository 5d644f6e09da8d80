@testable import Engine
import RESP
import Testing

/// The keyspace's public API case by case: values, encodings, mutateString, TTLs, removeAll.
@Suite struct KeyspaceTests {
    @Test func setGetOverwriteDelete() {
        let keyspace = Keyspace(seed: 1)
        #expect(keyspace.get("a") == nil)
        keyspace.set("a", "hello")
        keyspace.checkInvariants()
        #expect(keyspace.get("a") == "hello")
        keyspace.set("a", "a longer value that needs a bigger block than before")
        keyspace.checkInvariants()
        #expect(keyspace.get("a") == "a longer value that needs a bigger block than before")
        keyspace.set("a", "hellO")
        keyspace.checkInvariants()
        #expect(keyspace.get("a") == "hellO")
        #expect(keyspace.count == 1)
        #expect(keyspace.del("a"))
        #expect(!keyspace.del("a"))
        keyspace.checkInvariants()
        #expect(keyspace.count == 0)
        #expect(keyspace.get("a") == nil)
    }

    @Test func emptyKeyAndEmptyValue() {
        let keyspace = Keyspace(seed: 2)
        keyspace.set("", "")
        keyspace.set("x", "")
        keyspace.checkInvariants()
        #expect(keyspace.get("") == "")
        #expect(keyspace.get("x") == "")
        #expect(keyspace.allKeys() == ["", "x"])
    }

    @Test func encodings() {
        let keyspace = Keyspace(seed: 3)
        keyspace.set("i", integer: -42)
        keyspace.set("e", String(repeating: "e", count: 44))
        keyspace.set("r", String(repeating: "r", count: 45))
        keyspace.set("forced", "short", raw: true)
        keyspace.checkInvariants()
        #expect(keyspace.handleInfo("i")?.encoding == .int)
        #expect(keyspace.get("i") == "-42")
        #expect(keyspace.handleInfo("e")?.encoding == .embstr)
        #expect(keyspace.handleInfo("r")?.encoding == .raw)
        #expect(keyspace.handleInfo("forced")?.encoding == .raw)
        #expect(keyspace.get("forced") == "short")
        for value in [Int64.min, -1, 0, 1, Int64.max] {
            keyspace.set("i", integer: value)
            keyspace.checkInvariants()
            #expect(keyspace.get("i") == String(value))
        }
        keyspace.set("i", "now text")
        #expect(keyspace.handleInfo("i")?.encoding == .embstr)
        keyspace.set("e", integer: 7)
        #expect(keyspace.handleInfo("e")?.encoding == .int)
        keyspace.checkInvariants()
    }

    @Test func largeValuesUseMallocBlocks() {
        let keyspace = Keyspace(seed: 4)
        let big = String(repeating: "b", count: 100_000)
        keyspace.set("big", big)
        keyspace.checkInvariants()
        #expect(keyspace.get("big") == big)
        #expect(keyspace.memoryUsage.recordBytes >= 100_000)
        keyspace.set("big", "small again")
        keyspace.checkInvariants()
        keyspace.set("big2", big)
        keyspace.removeAll()
        keyspace.checkInvariants()
        #expect(keyspace.count == 0)
        #expect(keyspace.memoryUsage.recordBytes == 0)
    }

    @Test func mutateStringGrowsKeepsAndZeroFills() {
        let keyspace = Keyspace(seed: 5)
        // Absent: created empty, then written.
        keyspace.append("s", "abc")
        keyspace.checkInvariants()
        #expect(keyspace.get("s") == "abc")
        #expect(keyspace.handleInfo("s")?.encoding == .raw)
        // Growing leaves the new bytes zero.
        KeyspaceTestSupport.withView("s") { key in keyspace.mutateString(key, length: 6, now: 0) { _ in } }
        keyspace.checkInvariants()
        #expect(keyspace.get("s") == "abc\0\0\0")
        // Shrinking keeps the prefix.
        KeyspaceTestSupport.withView("s") { key in keyspace.mutateString(key, length: 2, now: 0) { _ in } }
        #expect(keyspace.get("s") == "ab")
        // Growing again inside the capacity: the old tail must be zero, not stale.
        KeyspaceTestSupport.withView("s") { key in keyspace.mutateString(key, length: 5, now: 0) { _ in } }
        keyspace.checkInvariants()
        #expect(keyspace.get("s") == "ab\0\0\0")
        // From an integer: its decimal text.
        keyspace.set("n", integer: 12345)
        keyspace.append("n", "!")
        keyspace.checkInvariants()
        #expect(keyspace.get("n") == "12345!")
        KeyspaceTestSupport.withView("n") { key in keyspace.mutateString(key, length: 3, now: 0) { _ in } }
        #expect(keyspace.get("n") == "123")
        // From embstr.
        keyspace.set("e", "xyz")
        keyspace.append("e", "w")
        #expect(keyspace.get("e") == "xyzw")
        #expect(keyspace.handleInfo("e")?.encoding == .raw)
        keyspace.checkInvariants()
    }

    @Test func repeatedAppendsGrowInPlace() {
        let keyspace = Keyspace(seed: 6)
        var expected = ""
        var blocksMoved = 0
        var previous = keyspace.memoryUsage.recordBytes
        for round in 0..<2000 {
            let piece = String(round % 10)
            keyspace.append("log", piece)
            expected += piece
            let now = keyspace.memoryUsage.recordBytes
            if now != previous { blocksMoved += 1 }
            previous = now
        }
        keyspace.checkInvariants()
        #expect(keyspace.get("log") == expected)
        // Greedy capacity: the block is replaced O(log n) times, not on every append.
        #expect(blocksMoved < 20)
    }

    @Test func mutateStringKeepsTTL() {
        let keyspace = Keyspace(seed: 7)
        keyspace.set("s", "abc", expiry: .at(5_000))
        keyspace.append("s", "def")
        keyspace.checkInvariants()
        #expect(keyspace.handleInfo("s")?.expireAt == 5_000)
        keyspace.append("s", String(repeating: "x", count: 500))
        keyspace.checkInvariants()
        #expect(keyspace.handleInfo("s")?.expireAt == 5_000)
        #expect(keyspace.expiresCount == 1)
    }

    @Test func expiryChanges() {
        let keyspace = Keyspace(seed: 8)
        keyspace.set("k", "v", expiry: .at(1_000))
        #expect(keyspace.expiresCount == 1)
        #expect(keyspace.handleInfo("k")?.expireAt == 1_000)
        keyspace.set("k", "w", expiry: .keep)
        keyspace.checkInvariants()
        #expect(keyspace.handleInfo("k")?.expireAt == 1_000)
        keyspace.set("k", "x")
        keyspace.checkInvariants()
        #expect(keyspace.handleInfo("k")?.expireAt == nil)
        #expect(keyspace.expiresCount == 0)
        #expect(keyspace.expire("k", .at(2_000)))
        keyspace.checkInvariants()
        #expect(keyspace.handleInfo("k")?.expireAt == 2_000)
        #expect(keyspace.get("k") == "x")
        #expect(keyspace.expire("k", .at(3_000)))
        #expect(keyspace.handleInfo("k")?.expireAt == 3_000)
        #expect(keyspace.expire("k", .keep))
        #expect(keyspace.expire("k", .clear))
        keyspace.checkInvariants()
        #expect(keyspace.handleInfo("k")?.expireAt == nil)
        #expect(keyspace.expiresCount == 0)
        #expect(!keyspace.expire("missing", .at(1)))
        keyspace.set("n", integer: 99)
        #expect(keyspace.expire("n", .at(-5)))
        #expect(keyspace.handleInfo("n")?.expireAt == 0)
        #expect(keyspace.get("n") == "99")
        keyspace.checkInvariants()
    }

    @Test func lazyExpiryIsStrictlyAfterTheDeadline() {
        let keyspace = Keyspace(seed: 9)
        keyspace.set("k", "v", expiry: .at(1_000), now: 0)
        #expect(keyspace.get("k", now: 1_000) == "v")  // Redis: expired only when now > when
        #expect(keyspace.count == 1)
        #expect(keyspace.get("k", now: 1_001) == nil)
        #expect(keyspace.count == 0)
        #expect(keyspace.expiredKeys == 1)
        #expect(keyspace.expiresCount == 0)
        keyspace.checkInvariants()
    }

    @Test func writesTreatExpiredKeysAsAbsent() {
        let keyspace = Keyspace(seed: 10)
        keyspace.set("k", "old", expiry: .at(100))
        keyspace.set("k", "new", expiry: .keep, now: 200)
        #expect(keyspace.handleInfo("k", now: 200)?.expireAt == nil)
        #expect(keyspace.expiredKeys == 1)
        keyspace.set("m", "old", expiry: .at(100))
        keyspace.append("m", "x", now: 200)
        #expect(keyspace.get("m", now: 200) == "x")
        #expect(keyspace.handleInfo("m", now: 200)?.expireAt == nil)
        keyspace.set("d", "v", expiry: .at(100))
        #expect(KeyspaceTestSupport.withView("d") { keyspace.delete($0, now: 200) } == false)
        #expect(keyspace.count == 2)
        keyspace.checkInvariants()
    }

    @Test func forEachSkipsExpiredKeys() {
        let keyspace = Keyspace(seed: 11)
        keyspace.set("live", "1")
        keyspace.set("dead", "2", expiry: .at(10))
        #expect(keyspace.allKeys(now: 100) == ["live"])
        #expect(keyspace.count == 2)
    }

    @Test func idleTime() {
        let keyspace = Keyspace(seed: 12)
        let start: Int64 = 1_700_000_000_000
        keyspace.set("k", "v", now: start)
        KeyspaceTestSupport.withView("k") { key in
            #expect(keyspace.lookup(key, now: start + 5_500, touch: false)?.idleSeconds(now: start + 5_500) == 5)
            #expect(keyspace.lookup(key, now: start + 7_000)?.idleSeconds(now: start + 7_000) == 0)
            #expect(keyspace.lookup(key, now: start + 10_000, touch: false)?.idleSeconds(now: start + 10_000) == 3)
        }
    }

    @Test func randomKeyReturnsLiveKeysAndCollectsExpiredOnes() {
        let keyspace = Keyspace(seed: 13)
        #expect(keyspace.randomKey(now: 0) == nil)
        for i in 0..<50 { keyspace.set("dead\(i)", "v", expiry: .at(10)) }
        keyspace.set("alive", "v")
        #expect(keyspace.randomKey(now: 100)?.key.string == "alive")
        keyspace.checkInvariants()
        var seen = Set<String>()
        for i in 0..<20 { keyspace.set("k\(i)", "v") }
        for _ in 0..<2000 { if let handle = keyspace.randomKey(now: 100) { seen.insert(handle.key.string) } }
        #expect(seen.count == 21)
    }

    @Test func removeAllThenReuse() {
        let keyspace = Keyspace(seed: 14)
        for i in 0..<5000 { keyspace.set("key:\(i)", "value \(i)", expiry: i % 3 == 0 ? .at(99_999) : .clear) }
        keyspace.removeAll()
        keyspace.checkInvariants()
        #expect(keyspace.count == 0)
        #expect(keyspace.expiresCount == 0)
        #expect(keyspace.get("key:1") == nil)
        #expect(keyspace.memoryUsage.totalBytes == 0)
        keyspace.set("again", "yes")
        keyspace.checkInvariants()
        #expect(keyspace.get("again") == "yes")
    }

    @Test func valueViewFromTheSameRecordIsSafe() {
        let keyspace = Keyspace(seed: 15)
        keyspace.set("k", "0123456789")
        KeyspaceTestSupport.withView("k") { key in
            guard case .bytes(let own)? = keyspace.lookup(key, now: 0)?.stringValue else {
                Issue.record("missing")
                return
            }
            // Same size as before: would be rewritten in place if the source did not overlap.
            keyspace.setString(key, .bytes(ByteView(base: own.base + 1, count: 9)), expiry: .clear, now: 0)
        }
        #expect(keyspace.get("k") == "123456789")
        keyspace.checkInvariants()
    }
}
