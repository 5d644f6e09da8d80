/// The connections (by index) a worker's next turn must visit, each listed once however many
/// completions reported it: a connection's replies and its finished send in one turn list it
/// once. Fixed capacity, one slot per connection, allocated once: listing a connection costs
/// neither an allocation nor a copy-on-write check.
///
/// Memory: two `UnsafeMutablePointer`s owned by this object, freed in `deinit`. Thread: the
/// worker's.
final class ConnectionWorkList {
    private let slots: UnsafeMutablePointer<Int32>
    private let listed: UnsafeMutablePointer<Bool>
    private let capacity: Int
    private var count = 0

    /// Starts with every connection listed, so the first turn visits them all.
    init(connections: Int) {
        capacity = connections
        slots = .allocate(capacity: max(1, connections))
        listed = .allocate(capacity: max(1, connections))
        listed.initialize(repeating: true, count: connections)
        for index in 0..<connections { (slots + index).initialize(to: Int32(index)) }
        count = connections
    }

    deinit {
        slots.deallocate()
        listed.deallocate()
    }

    @inline(__always)
    func add(_ index: Int) {
        if listed[index] { return }
        precondition(count < capacity, "ConnectionWorkList overflow")
        listed[index] = true
        slots[count] = Int32(index)
        count += 1
    }

    /// Calls `body` with each listed index, in listing order, and empties the list. `body`
    /// must not call `add`.
    @inline(__always)
    func drain(_ body: (Int) -> Void) {
        for position in 0..<count {
            let index = Int(slots[position])
            listed[index] = false
            body(index)
        }
        count = 0
    }
}
