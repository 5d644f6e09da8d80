@testable import Engine
import RESP
import Testing

/// Active expiry: sampling only keys with a TTL, the 10% repeat rule, the time budget, the
/// round-robin over databases, the avg_ttl estimate, and the headline target (a million
/// 1-second keys gone within seconds at 25 ms per 100 ms).
@Suite struct KeyspaceExpiryTests {
    @Test func deletesOnlyExpiredKeys() {
        let keyspace = Keyspace(seed: 1)
        for i in 0..<2000 { keyspace.set("persistent:\(i)", "v") }
        for i in 0..<2000 { keyspace.set("late:\(i)", "v", expiry: .at(10_000)) }
        for i in 0..<2000 { keyspace.set("early:\(i)", "v", expiry: .at(1_000)) }
        var deleted = 0
        for _ in 0..<100 {
            deleted += keyspace.activeExpireCycle(now: 5_000)
            keyspace.checkInvariants()
        }
        // A pass stops once at most 10% of a sample is expired, so some expired keys remain
        // (Redis's "acceptable stale" keys): a small share of the keys with a TTL.
        #expect(deleted > 1300)
        #expect(Double(2000 - deleted) / Double(4000 - deleted) < 0.2)
        #expect(keyspace.count == 6000 - deleted)
        #expect(keyspace.expiredKeys == Int64(deleted))
        #expect(keyspace.expiresCount == 4000 - deleted)
        for i in 0..<2000 {
            #expect(keyspace.get("persistent:\(i)") == "v")
            #expect(keyspace.get("late:\(i)", now: 5_000) == "v")
        }
    }

    @Test func nothingToDoIsCheap() {
        let keyspace = Keyspace(seed: 2)
        #expect(keyspace.activeExpireCycle(now: 0) == 0)
        for i in 0..<1000 { keyspace.set("k\(i)", "v", expiry: .at(1_000_000)) }
        #expect(keyspace.activeExpireCycle(now: 0) == 0)
        #expect(keyspace.count == 1000)
    }

    @Test func expiryAtTheDeadlineIsNotExpiredYet() {
        let keyspace = Keyspace(seed: 3)
        for i in 0..<100 { keyspace.set("k\(i)", "v", expiry: .at(1_000)) }
        #expect(keyspace.activeExpireCycle(now: 1_000) == 0)
        #expect(keyspace.activeExpireCycle(now: 1_001) > 0)
        keyspace.checkInvariants()
    }

    @Test func budgetBoundsOneCall() {
        let keyspace = Keyspace(seed: 4)
        for i in 0..<100_000 { keyspace.set("key:\(i)", "v", expiry: .at(1_000)) }
        let started = MonotonicClock.microseconds()
        let deleted = keyspace.activeExpireCycle(now: 2_000, budgetMicroseconds: 1_000)
        let elapsed = MonotonicClock.microseconds() - started
        #expect(deleted > 0 && deleted < 100_000)
        #expect(elapsed < 50_000)  // 1 ms budget, checked every 16 rounds; generous for debug builds
        keyspace.checkInvariants()
    }

    @Test func expiresDuringResizes() {
        let keyspace = Keyspace(seed: 5)
        var now: Int64 = 0
        for i in 0..<30_000 {
            keyspace.set("key:\(i)", "v", expiry: i % 2 == 0 ? .at(now + 50) : .clear, now: now)
            if i % 100 == 0 {
                now += 10
                keyspace.activeExpireCycle(now: now, budgetMicroseconds: 200)
            }
        }
        for _ in 0..<10_000 where keyspace.expiresCount > 0 {
            now += 100
            keyspace.activeExpireCycle(now: now)
        }
        keyspace.checkInvariants()
        #expect(keyspace.count == 15_000)
        #expect(keyspace.expiresCount == 0)
    }

    /// Redis's running average: the first sample seeds it, later ones weigh 2%, in integer
    /// arithmetic; only keys still alive count; no key with a TTL reads 0.
    @Test func averageTTLFollowsRedisRunningAverage() {
        let keyspace = Keyspace(seed: 7)
        for i in 0..<100 { keyspace.set("plain:\(i)", "v") }
        keyspace.activeExpireCycle(now: 0)
        #expect(keyspace.averageTTL == 0)
        for i in 0..<100 { keyspace.set("ttl:\(i)", "v", expiry: .at(100_000)) }
        keyspace.activeExpireCycle(now: 0)
        #expect(keyspace.averageTTL == 100_000)  // seeded, then (100000/50)*49 + 100000/50
        keyspace.activeExpireCycle(now: 10_000)
        #expect(keyspace.averageTTL == 99_800)  // (100000/50)*49 + 90000/50
        keyspace.activeExpireCycle(now: 100_000)  // TTL 0: not expired, not counted
        #expect(keyspace.averageTTL == 99_800)
        for i in 0..<100 { keyspace.expire("ttl:\(i)", .clear) }
        keyspace.activeExpireCycle(now: 100_000)
        #expect(keyspace.averageTTL == 0)
        keyspace.set("again", "v", expiry: .at(150_000))
        keyspace.activeExpireCycle(now: 100_000)
        #expect(keyspace.averageTTL == 50_000)
        keyspace.removeAll()
        #expect(keyspace.averageTTL == 0)
    }

    /// Redis's `current_db`: a database whose expired keys take a whole cycle's budget does not
    /// hold up the others, because the next cycle starts with the database after it.
    @Test func cyclesRoundRobinOverDatabases() {
        let store = DataStore(databaseCount: 16, now: 0)
        for i in 0..<100_000 { store.databases[0].set("busy:\(i)", "v", expiry: .at(1_000)) }
        for i in 0..<100 { store.databases[5].set("few:\(i)", "v", expiry: .at(1_000)) }
        for i in 0..<100 { store.databases[15].set("few:\(i)", "v", expiry: .at(1_000)) }
        store.activeExpireCycle(now: 2_000, budgetMicroseconds: 100)  // db 0 runs out of time
        #expect(store.databases[0].count > 50_000)
        store.activeExpireCycle(now: 2_000, budgetMicroseconds: 5_000)  // db 1… first, then db 0
        #expect(store.databases[5].count == 0)
        #expect(store.databases[15].count == 0)
        #expect(store.databases[0].count > 0)
        #expect(store.expiredKeys == Int64(100_000 - store.databases[0].count + 200))
        for _ in 0..<100_000 where store.databases[0].count > 0 {
            store.activeExpireCycle(now: 2_000, budgetMicroseconds: 1_000)
        }
        #expect(store.databases[0].count == 0)
        for database in store.databases { database.checkInvariants() }
    }

    /// The brief's target: 1,000,000 keys with a 1 s TTL, the cycle called every (simulated)
    /// 100 ms with a 25 ms budget: gone within a few seconds, no call much over budget.
    @Test func millionKeysExpireWithinSeconds() {
        let keyspace = Keyspace(seed: 6)
        let start: Int64 = 1_700_000_000_000
        var keyBytes = [UInt8](repeating: 0, count: 16)
        let value = [UInt8](repeating: UInt8(ascii: "x"), count: 16)
        value.withUnsafeBytes { valueBuffer in
            for i in 0..<1_000_000 {
                let length = keyBytes.withUnsafeMutableBytes { buffer in
                    RedisInteger.format(Int64(i), into: buffer.baseAddress!)
                }
                keyBytes.withUnsafeBytes { key in
                    keyspace.setString(
                        ByteView(base: key.baseAddress!, count: length),
                        .bytes(ByteView(base: valueBuffer.baseAddress!, count: 16)),
                        expiry: .at(start + 1_000), now: start)
                }
            }
        }
        #expect(keyspace.count == 1_000_000)
        var now = start
        var longestCall = 0
        while keyspace.count > 0 && now < start + 60_000 {
            now += 100
            let began = MonotonicClock.microseconds()
            keyspace.activeExpireCycle(now: now, budgetMicroseconds: 25_000)
            longestCall = max(longestCall, MonotonicClock.microseconds() - began)
        }
        let secondsAfterExpiry = Double(now - start - 1_000) / 1000
        print("active expiry: 1M keys gone \(secondsAfterExpiry) s after expiring; longest call \(longestCall) µs")
        #expect(keyspace.count == 0)
        #if DEBUG
        // How many keys 25 ms of CPU removes depends on the machine and its load, and debug
        // builds are ~10x slower: here only "all gone, in bounded calls". The few-seconds
        // claim is checked on the release server by Tests/EndToEnd/test_active_expiry.py.
        #expect(secondsAfterExpiry < 59)
        #else
        #expect(secondsAfterExpiry <= 4)
        #endif
        #expect(longestCall < 60_000)
    }
}
