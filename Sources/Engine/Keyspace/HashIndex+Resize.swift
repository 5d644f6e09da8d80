/// When the index grows and shrinks, and how fast entries move.
///
/// Load is kept between 0.2 and 0.85 of the home positions. Crossing a bound starts a resize
/// to a load of 2/3 (growing) or 1/2 (shrinking); fastrange homes allow any capacity, so the
/// index never has to double. Every keyspace operation then moves up to `entriesPerStep`
/// entries (looking at no more than `slotsPerStep` slots), which finishes a growth after at
/// most n/8 operations: even if all of them insert, `main` ends below 0.75 load.
extension HashIndex {
    static let entriesPerStep = 8
    static let slotsPerStep = 64

    /// Called at the start of every keyspace operation, before any `Location` is computed.
    @inline(__always)
    mutating func maintain() {
        if isResizing {
            migrate(maximumEntries: HashIndex.entriesPerStep, maximumSlots: HashIndex.slotsPerStep)
            // A safety net the pacing above should make unreachable: never let `main` fill up.
            if isResizing && main.count * 20 > main.capacity * 19 {
                migrate(maximumEntries: .max, maximumSlots: .max)
            }
            return
        }
        guard main.isAllocated else { return }
        let capacity = main.capacity
        let count = main.count
        if count * 20 > capacity * 17 {
            beginResize(to: max(HashIndex.minimumCapacity, count * 3 / 2))
        } else if capacity > HashIndex.minimumCapacity && count * 5 < capacity {
            beginResize(to: max(HashIndex.minimumCapacity, count * 2))
        }
    }
}
