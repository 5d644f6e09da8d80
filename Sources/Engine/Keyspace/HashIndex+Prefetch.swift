import CFerriteSys

/// Prefetching for a batch of lookups. A lookup of a key that is not in cache stalls twice:
/// on its index slot, then on the record the slot points to. Issued for a whole batch first —
/// every slot, then every record — those loads overlap instead of following one another.
/// Nothing here changes the index; a prefetch that guesses wrong costs a cache line.
extension HashIndex {
    /// Starts loading the slot where the probe for `hash` begins, in each table it searches.
    @inline(__always)
    func prefetchSlots(hash: UInt64) {
        if main.isAllocated { main.prefetch(position: main.home(of: hash)) }
        if old.isAllocated { old.prefetch(position: max(old.home(of: hash), migrated)) }
    }

    /// Starts loading the record the probe for `hash` would compare first: the first slot of
    /// the key's home with the key's tag. Reads slots, so their lines should be on the way
    /// already (`prefetchSlots`).
    func prefetchRecord(hash: UInt64) {
        prefetchRecord(hash: hash, in: main, from: 0)
        if old.isAllocated { prefetchRecord(hash: hash, in: old, from: migrated) }
    }

    @inline(__always)
    private func prefetchRecord(hash: UInt64, in table: UnsafeSlotTable, from lowest: Int) {
        guard table.isAllocated else { return }
        let home = table.home(of: hash)
        let tag = IndexSlot.tag(of: hash)
        var position = max(home, lowest)
        while position < table.length {
            let slot = table[position]
            if slot.isEmpty { return }
            let slotHome = self.home(of: slot, at: position, in: table)
            if slotHome > home { return }
            if slotHome == home && slot.tag == tag {
                // A short string's record spans about two lines: header and key, then value.
                ferrite_prefetch(slot.record)
                ferrite_prefetch(slot.record + 64)
                return
            }
            position += 1
        }
    }
}

extension UnsafeSlotTable {
    @inline(__always)
    func prefetch(position: Int) { ferrite_prefetch(slots.unsafelyUnwrapped + position) }
}
