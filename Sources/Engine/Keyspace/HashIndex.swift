import RESP

/// Maps keys to records: open addressing with linear probing over 8-byte `IndexSlot`s, runs
/// kept sorted by home position, deletion by backward shift (no tombstones), and incremental
/// resizing.
///
/// Invariants (checked by `checkInvariants`):
/// ```
/// for every occupied slot s at position p of a table T with home h = T.home(hash(key)):
///   h ≤ p, and every slot in max(h, T.lowest) … p is occupied      (reachable by probing)
///   disp(s) = p − h (saturated at 127), tag(s) = low bits of hash   (slot metadata)
///   the occupied slot before p, if adjacent, has home ≤ h            (runs sorted by home)
/// main.count + old.count = number of keys; no key is in both tables
/// ```
/// Lookup: probe from the home; skip entries of smaller homes, compare keys of equal home and
/// tag, stop at an empty slot or a larger home. Resizing: a new table (`main`) receives all
/// inserts while a bounded number of slots migrate from `old` per operation; lookups look in
/// both. Slots of `old` below `migrated` are empty, so `old` is probed from `migrated` on.
///
/// Ownership: the index owns its tables (freed by `removeAll()`/`destroy()`), not the
/// records their slots point to. Shard thread only.
struct HashIndex {
    /// Where a key was found: in which table and at which position.
    struct Location: Equatable {
        var inOld: Bool
        var position: Int
    }

    let hasher: KeyHasher
    /// The table inserts go to; the only table when not resizing.
    private(set) var main = UnsafeSlotTable.none
    /// The table being drained into `main`, or unallocated.
    private(set) var old = UnsafeSlotTable.none
    /// Positions of `old` below this have been migrated (are empty).
    private(set) var migrated = 0

    static let minimumCapacity = 16

    init(seed: UInt64) { hasher = KeyHasher(seed: seed) }

    var count: Int { main.count + old.count }
    var isResizing: Bool { old.isAllocated }
    var byteCount: Int { main.byteCount + old.byteCount }

    // MARK: Slot access shared by all tables

    /// The home of the entry in `slot` at `position` of `table`.
    @inline(__always)
    func home(of slot: IndexSlot, at position: Int, in table: UnsafeSlotTable) -> Int {
        HashIndex.home(of: slot, at: position, in: table, hasher: hasher)
    }

    @inline(__always)
    static func home(of slot: IndexSlot, at position: Int, in table: UnsafeSlotTable, hasher: KeyHasher) -> Int {
        let stored = slot.storedDisplacement
        if stored < IndexSlot.saturatedDisplacement { return position - stored }
        return table.home(of: hasher.hash(UnsafeRecord(slot.record).key))
    }

    @inline(__always)
    func table(_ location: Location) -> UnsafeSlotTable { location.inOld ? old : main }

    @inline(__always)
    func record(at location: Location) -> UnsafeRecord { UnsafeRecord(table(location)[location.position].record) }

    // MARK: Lookup

    func find(_ key: ByteView, hash: UInt64) -> Location? {
        if let position = find(key, hash: hash, in: main, from: 0) {
            return Location(inOld: false, position: position)
        }
        if old.isAllocated, let position = find(key, hash: hash, in: old, from: migrated) {
            return Location(inOld: true, position: position)
        }
        return nil
    }

    @inline(__always)
    private func find(_ key: ByteView, hash: UInt64, in table: UnsafeSlotTable, from lowest: Int) -> Int? {
        guard table.isAllocated else { return nil }
        let home = table.home(of: hash)
        let tag = IndexSlot.tag(of: hash)
        var position = max(home, lowest)
        while position < table.length {
            let slot = table[position]
            if slot.isEmpty { return nil }
            let slotHome = self.home(of: slot, at: position, in: table)
            if slotHome > home { return nil }
            if slotHome == home && slot.tag == tag && UnsafeRecord(slot.record).keyEquals(key) {
                return position
            }
            position += 1
        }
        return nil
    }

    /// Finds the slot holding exactly `record` (whose key hashes to `hash`).
    func locate(_ record: UnsafeMutableRawPointer, hash: UInt64) -> Location? {
        if let position = locate(record, hash: hash, in: main, from: 0) {
            return Location(inOld: false, position: position)
        }
        if old.isAllocated, let position = locate(record, hash: hash, in: old, from: migrated) {
            return Location(inOld: true, position: position)
        }
        return nil
    }

    private func locate(
        _ record: UnsafeMutableRawPointer, hash: UInt64, in table: UnsafeSlotTable, from lowest: Int
    ) -> Int? {
        guard table.isAllocated else { return nil }
        let home = table.home(of: hash)
        var position = max(home, lowest)
        while position < table.length {
            let slot = table[position]
            if slot.isEmpty || self.home(of: slot, at: position, in: table) > home { return nil }
            if slot.record == record { return position }
            position += 1
        }
        return nil
    }

    // MARK: Mutation

    /// Points the slot at `location` to a new block holding the same key.
    @inline(__always)
    func replace(at location: Location, with record: UnsafeMutableRawPointer) {
        let table = self.table(location)
        table[location.position] = table[location.position].with(record: record)
    }

    /// Adds a record whose key is in neither table.
    mutating func insert(_ record: UnsafeMutableRawPointer, hash: UInt64) {
        if !main.isAllocated { main = UnsafeSlotTable(capacity: HashIndex.minimumCapacity) }
        HashIndex.insert(record, hash: hash, into: &main, hasher: hasher)
    }

    private static func insert(
        _ record: UnsafeMutableRawPointer, hash: UInt64, into table: inout UnsafeSlotTable, hasher: KeyHasher
    ) {
        let home = table.home(of: hash)
        // After every entry of a smaller or equal home: runs stay sorted.
        var position = home
        while position < table.length {
            let slot = table[position]
            if slot.isEmpty || HashIndex.home(of: slot, at: position, in: table, hasher: hasher) > home { break }
            position += 1
        }
        var empty = position
        while empty < table.length && !table[empty].isEmpty { empty += 1 }
        if empty == table.length { table.extendTail() }
        var shift = empty
        while shift > position {
            let moved = table[shift - 1]
            let displacement = moved.storedDisplacement
            // A saturated displacement stays saturated; an exact one grows by one.
            table[shift] = displacement < IndexSlot.saturatedDisplacement ? moved.with(displacement: displacement + 1) : moved
            shift -= 1
        }
        table[position] = IndexSlot(record: record, displacement: position - home, tag: IndexSlot.tag(of: hash))
        table.count += 1
    }

    /// Removes the slot at `location` (the record itself is the caller's to free).
    mutating func remove(at location: Location) {
        if location.inOld {
            HashIndex.removeSlot(at: location.position, from: &old, hasher: hasher)
            if old.count == 0 { finishResize() }
        } else {
            HashIndex.removeSlot(at: location.position, from: &main, hasher: hasher)
        }
    }

    private static func removeSlot(at position: Int, from table: inout UnsafeSlotTable, hasher: KeyHasher) {
        var hole = position
        var next = position + 1
        while next < table.length {
            let slot = table[next]
            if slot.isEmpty { break }
            let displacement = next - HashIndex.home(of: slot, at: next, in: table, hasher: hasher)
            if displacement == 0 { break }
            table[hole] = slot.with(displacement: displacement - 1)
            hole = next
            next += 1
        }
        table[hole] = .empty
        table.count -= 1
    }

    /// Frees both tables; the index is empty after.
    mutating func removeAll() {
        main.deallocate()
        old.deallocate()
        main = .none
        old = .none
        migrated = 0
    }

    /// Ends a resize whose old table is empty.
    mutating func finishResize() {
        precondition(old.count == 0, "finishing a resize with \(old.count) keys left")
        old.deallocate()
        old = .none
        migrated = 0
    }

    /// Moves up to `maximumEntries` entries, looking at up to `maximumSlots` slots, from `old`
    /// to `main`. Returns the number of slots looked at.
    @discardableResult
    mutating func migrate(maximumEntries: Int, maximumSlots: Int) -> Int {
        guard old.isAllocated else { return 0 }
        var moved = 0
        var looked = 0
        while migrated < old.length && moved < maximumEntries && looked < maximumSlots {
            let slot = old[migrated]
            if !slot.isEmpty {
                HashIndex.insert(slot.record, hash: hasher.hash(UnsafeRecord(slot.record).key), into: &main, hasher: hasher)
                old[migrated] = .empty
                old.count -= 1
                moved += 1
            }
            migrated += 1
            looked += 1
        }
        if old.count == 0 {
            finishResize()
        } else {
            old.releasePrefix(below: migrated)
        }
        return looked
    }

    /// Starts moving every entry into a new table of `capacity` home positions.
    mutating func beginResize(to capacity: Int) {
        precondition(!isResizing, "a resize is already running")
        if main.count == 0 {
            main.deallocate()
            main = UnsafeSlotTable(capacity: capacity)
            return
        }
        old = main
        main = UnsafeSlotTable(capacity: capacity)
        migrated = 0
    }
}
