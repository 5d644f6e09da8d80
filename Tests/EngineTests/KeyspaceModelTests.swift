@testable import Engine
import RESP
import Testing

/// The keyspace against a model Dictionary: random inserts, overwrites, deletes, appends and
/// TTL changes in random orders, through growth, shrink and mid-resize states, with the
/// invariants checked after every mutation.
@Suite struct KeyspaceModelTests {
    /// Every count up to 40 inserted in random order, then deleted in another random order.
    @Test func exhaustiveSmallInsertDelete() {
        var random = TestRandom(seed: 99)
        for count in 0...40 {
            for seed in 0..<4 {
                let keyspace = Keyspace(seed: UInt64(count * 16 + seed))
                let keys = (0..<count).map { "k\($0)" }.shuffled(using: &random)
                for (i, key) in keys.enumerated() {
                    keyspace.set(key, "v\(i)")
                    keyspace.checkInvariants()
                }
                #expect(keyspace.count == count)
                for (i, key) in keys.enumerated() { #expect(keyspace.get(key) == "v\(i)") }
                var remaining = Set(keys)
                for key in keys.shuffled(using: &random) {
                    #expect(keyspace.del(key))
                    remaining.remove(key)
                    keyspace.checkInvariants()
                    #expect(keyspace.get(key) == nil)
                }
                #expect(remaining.isEmpty && keyspace.count == 0)
            }
        }
    }

    enum ModelValue: Equatable {
        case text(String)
        case integer(Int64)

        var string: String {
            switch self {
            case .text(let text): return text
            case .integer(let integer): return String(integer)
            }
        }
    }

    struct ModelEntry: Equatable {
        var value: ModelValue
        var expireAt: Int64?
    }

    /// Phases of mostly-inserts and mostly-deletes drive the index up to a few thousand keys
    /// and back down, so growth, shrink and operations during both migrations all happen.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomOperationsMatchModel(seed: UInt64) {
        let keyspace = Keyspace(seed: seed)
        var model: [String: ModelEntry] = [:]
        var random = TestRandom(seed: seed)
        var resizingSeen = 0
        var largestCapacity = 0
        var shrank = false
        for step in 0..<24_000 {
            let growing = (step / 6_000) % 2 == 0
            let key = "key:\(random.next() % 3_000)"
            let roll = Int(random.next() % 100)
            let insertShare = growing ? 70 : 2
            let deleteShare = growing ? 20 : 90
            let appendShare = growing ? 5 : 1
            if roll < insertShare {
                let expiry: ExpiryChange
                switch random.next() % 4 {
                case 0: expiry = .at(Int64(random.next() % 1_000_000) + 1)
                case 1: expiry = .keep
                default: expiry = .clear
                }
                let value: ModelValue
                switch random.next() % 4 {
                case 0: value = .integer(Int64(bitPattern: random.next()) >> Int64(random.next() % 64))
                case 1: value = .text(String(repeating: "x", count: Int(random.next() % 100)))
                default: value = .text("v\(random.next() % 1000)")
                }
                switch value {
                case .integer(let integer): keyspace.set(key, integer: integer, expiry: expiry)
                case .text(let text): keyspace.set(key, text, expiry: expiry)
                }
                let previous = model[key]?.expireAt
                let expireAt: Int64?
                switch expiry {
                case .keep: expireAt = previous
                case .clear: expireAt = nil
                case .at(let time): expireAt = time
                }
                model[key] = ModelEntry(value: value, expireAt: expireAt)
            } else if roll < insertShare + deleteShare {
                #expect(keyspace.del(key) == (model.removeValue(forKey: key) != nil))
            } else if roll < insertShare + deleteShare + appendShare {
                let suffix = "+\(random.next() % 10)"
                keyspace.append(key, suffix)
                let old = model[key]
                model[key] = ModelEntry(value: .text((old?.value.string ?? "") + suffix), expireAt: old?.expireAt)
            } else {
                let change: ExpiryChange = random.next() % 2 == 0 ? .clear : .at(Int64(random.next() % 1_000_000) + 1)
                let existed = model[key] != nil
                #expect(keyspace.expire(key, change) == existed)
                if existed {
                    if case .at(let time) = change { model[key]!.expireAt = time } else { model[key]!.expireAt = nil }
                }
            }
            if keyspace.testsOnlyIsResizing { resizingSeen += 1 }
            largestCapacity = max(largestCapacity, keyspace.testsOnlyCapacity)
            if keyspace.testsOnlyCapacity < largestCapacity / 2 { shrank = true }
            #expect(keyspace.count == model.count)
            if let entry = model[key] {
                #expect(keyspace.get(key, touch: false) == entry.value.string)
                #expect(keyspace.handleInfo(key)?.expireAt == entry.expireAt)
            } else {
                #expect(keyspace.get(key) == nil)
            }
            // A full check is O(n): every step while small, then every 97th step.
            if model.count < 200 || step % 97 == 0 { keyspace.checkInvariants() }
        }
        keyspace.checkInvariants()
        #expect(resizingSeen > 100)
        #expect(shrank)
        #expect(keyspace.expiresCount == model.values.filter { $0.expireAt != nil }.count)
        #expect(keyspace.allKeys() == Set(model.keys))
        for (key, entry) in model { #expect(keyspace.get(key, touch: false) == entry.value.string) }
    }

    /// Keys chosen to share a tiny hash range pile up in one run, so displacements pass the
    /// 7-bit field's saturation and homes must be recomputed from the keys.
    @Test func saturatedDisplacements() {
        let keyspace = Keyspace(seed: 77)
        var keys: [String] = []
        var candidate = 0
        while keys.count < 400 {
            let key = "c\(candidate)"
            candidate += 1
            let hash = KeyspaceTestSupport.withView(key) { keyspace.index.hasher.hash($0) }
            if hash < UInt64.max / 400 { keys.append(key) }
        }
        // Plenty of ordinary keys so the table is large and the colliding ones stay together.
        for i in 0..<600 { keyspace.set("plain\(i)", "p") }
        for (i, key) in keys.enumerated() {
            keyspace.set(key, "v\(i)")
            if i % 20 == 0 { keyspace.checkInvariants() }
        }
        keyspace.testsOnlyFinishResize()
        keyspace.checkInvariants()
        var saturated = 0
        let table = keyspace.index.main
        for position in 0..<table.length where !table[position].isEmpty {
            if table[position].storedDisplacement == IndexSlot.saturatedDisplacement { saturated += 1 }
        }
        #expect(saturated > 0)
        for (i, key) in keys.enumerated() { #expect(keyspace.get(key) == "v\(i)") }
        for key in keys.shuffled() {
            #expect(keyspace.del(key))
        }
        keyspace.checkInvariants()
        #expect(keyspace.count == 600)
    }
}
