/// Reading the index without a key: SCAN, KEYS and RANDOMKEY.
///
/// SCAN's cursor is a hash value: "every key whose hash is below the cursor has been
/// returned". Homes are monotone in the hash and runs are sorted by home, so a hash range
/// maps to a contiguous stretch of slots in a table of any capacity; a call visits whole
/// home positions of the leading table (the fuller one while resizing) and the same hash
/// range in the other table. Resizes between calls change the tables, never the meaning of
/// the cursor, so a key present throughout an iteration is returned at least once; a home
/// position may be visited twice when a table shrank, as with Redis.
extension HashIndex {
    /// Visits entries from hash `cursor` on, about `count` of them, and returns the next cursor
    /// (0 when the whole hash space has been covered). `visit` must not mutate the index.
    func scan(from cursor: UInt64, count: Int, _ visit: (UnsafeRecord) -> Void) -> UInt64 {
        guard main.isAllocated else { return 0 }
        let wanted = max(count, 1)
        if !old.isAllocated || main.count >= old.count {
            let next = Self.coarse(HashIndex.scanLeading(main, from: 0, cursor: cursor, count: wanted, hasher: hasher, visit))
            if old.isAllocated {
                HashIndex.scanRange(old, from: migrated, cursor: cursor, end: next, hasher: hasher, visit)
            }
            return next
        }
        let next = Self.coarse(HashIndex.scanLeading(old, from: migrated, cursor: cursor, count: wanted, hasher: hasher, visit))
        HashIndex.scanRange(main, from: 0, cursor: cursor, end: next, hasher: hasher, visit)
        return next
    }

    /// The cursor rounded up to a multiple of 256, so that a sharded SCAN can keep a shard
    /// number in the cursor's top byte without losing anything. A home position spans more
    /// than 256 hashes in any table under 2^56 slots, so the rounded cursor has the same home
    /// in the leading table; the other table is then scanned up to the rounded value, so the
    /// next call may start there. No overflow: the last home's first hash is at most
    /// 2^64 - 2^64/capacity + 1.
    private static func coarse(_ cursor: UInt64) -> UInt64 {
        cursor == 0 ? 0 : (cursor + 255) & ~255
    }

    /// Visits whole home positions from the cursor's until `count` entries were visited (or
    /// 10 × `count` empty slots were passed); returns the first hash not covered, 0 at the end.
    private static func scanLeading(
        _ table: UnsafeSlotTable, from lowest: Int, cursor: UInt64, count: Int, hasher: KeyHasher,
        _ visit: (UnsafeRecord) -> Void
    ) -> UInt64 {
        let firstHome = table.home(of: cursor)
        // SCAN's COUNT may be anything up to Int64.max: saturate rather than overflow.
        let emptyLimit = count.multipliedReportingOverflow(by: 10).overflow ? Int.max : count * 10
        var visited = 0
        var empties = 0
        var stopHome = Int.max
        var position = max(firstHome, lowest)
        while position < table.length {
            let slot = table[position]
            if slot.isEmpty {
                // Every entry whose home is at most `position` lies before it.
                empties += 1
                if visited >= count || empties > emptyLimit {
                    return table.firstHash(atHome: min(position + 1, stopHome)) ?? 0
                }
                position += 1
                continue
            }
            let home = HashIndex.home(of: slot, at: position, in: table, hasher: hasher)
            if home >= stopHome { return table.firstHash(atHome: stopHome) ?? 0 }
            if home >= firstHome {
                visit(UnsafeRecord(slot.record))
                visited += 1
                if visited >= count && stopHome == .max { stopHome = home + 1 }
            }
            position += 1
        }
        return 0
    }

    /// Visits every entry whose home covers a hash in `cursor ..< end` (end 0: to the last).
    private static func scanRange(
        _ table: UnsafeSlotTable, from lowest: Int, cursor: UInt64, end: UInt64, hasher: KeyHasher,
        _ visit: (UnsafeRecord) -> Void
    ) {
        let firstHome = table.home(of: cursor)
        let lastHome = end == 0 ? table.capacity - 1 : table.home(of: end - 1)
        var position = max(firstHome, lowest)
        while position < table.length {
            let slot = table[position]
            if slot.isEmpty {
                if position > lastHome { return }
                position += 1
                continue
            }
            let home = HashIndex.home(of: slot, at: position, in: table, hasher: hasher)
            if home > lastHome { return }
            if home >= firstHome { visit(UnsafeRecord(slot.record)) }
            position += 1
        }
    }

    /// Calls `body` with every entry. `body` must not mutate the index.
    func forEachRecord(_ body: (UnsafeRecord) -> Void) {
        if old.isAllocated {
            for position in migrated..<old.length where !old[position].isEmpty { body(UnsafeRecord(old[position].record)) }
        }
        if main.isAllocated {
            for position in 0..<main.length where !main[position].isEmpty { body(UnsafeRecord(main[position].record)) }
        }
    }

    /// A roughly uniform entry: a table chosen by its share of the keys, a random slot in it,
    /// then the first occupied slot from there (wrapping). Nil when the index is empty.
    func randomLocation(_ random: inout KeyspaceRandom) -> Location? {
        guard count > 0 else { return nil }
        let inOld = old.count > 0 && random.next(below: count) < old.count
        let table = inOld ? old : main
        let lowest = inOld ? migrated : 0
        var position = lowest + random.next(below: table.length - lowest)
        while table[position].isEmpty {
            position += 1
            if position == table.length { position = lowest }
        }
        return Location(inOld: inOld, position: position)
    }
}
