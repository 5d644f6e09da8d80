/// The index's invariants, written out as checks (see `HashIndex`'s doc comment).
extension HashIndex {
    /// Traps with a description of the first broken invariant; calls `visit` with every
    /// record so the keyspace can check records against its own bookkeeping.
    func checkInvariants(_ visit: (UnsafeRecord) -> Void) {
        precondition(!old.isAllocated || main.isAllocated, "old table without a main table")
        check(main, lowest: 0, inOld: false, visit)
        if old.isAllocated {
            precondition(old.count > 0, "resizing with an empty old table")
            check(old, lowest: migrated, inOld: true, visit)
        } else {
            precondition(old.count == 0 && migrated == 0, "no old table but count \(old.count), migrated \(migrated)")
        }
    }

    private func check(_ table: UnsafeSlotTable, lowest: Int, inOld: Bool, _ visit: (UnsafeRecord) -> Void) {
        guard table.isAllocated else {
            precondition(table.count == 0, "unallocated table with count \(table.count)")
            return
        }
        var occupied = 0
        var previousHome = -1
        for position in 0..<table.length {
            let slot = table[position]
            if slot.isEmpty {
                previousHome = -1
                continue
            }
            precondition(position >= lowest, "slot \(position) below migrated \(lowest) is occupied")
            occupied += 1
            let record = UnsafeRecord(slot.record)
            let hash = hasher.hash(record.key)
            let home = table.home(of: hash)
            precondition(home <= position, "slot \(position) holds an entry of home \(home)")
            precondition(
                slot.storedDisplacement == min(position - home, IndexSlot.saturatedDisplacement),
                "slot \(position): displacement \(slot.storedDisplacement), home \(home)")
            precondition(slot.tag == IndexSlot.tag(of: hash), "slot \(position): tag \(slot.tag) for hash \(hash)")
            precondition(previousHome <= home, "slot \(position): home \(home) after home \(previousHome)")
            for between in max(home, lowest)..<position {
                precondition(!table[between].isEmpty, "slot \(position) unreachable: \(between) is empty")
            }
            precondition(
                find(record.key, hash: hash) == Location(inOld: inOld, position: position),
                "key at slot \(position) not found there")
            previousHome = home
            visit(record)
        }
        precondition(occupied == table.count, "table count \(table.count), occupied \(occupied)")
    }
}
