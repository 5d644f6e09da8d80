/// The records that have a TTL, packed densely so active expiry can sample them at random in
/// O(1) without walking the whole index (Redis keeps a second dict for the same reason).
///
/// Each member record stores its position here (`UnsafeRecord.expiryIndex`), so removal is
/// O(1): the last member moves into the hole. Holds borrowed record addresses; the keyspace
/// keeps it in step with every record it writes, moves or frees. Shard thread only.
struct ExpirySet {
    private var records: [UnsafeMutableRawPointer] = []

    var count: Int { records.count }
    var byteCount: Int { records.capacity * MemoryLayout<UnsafeMutableRawPointer>.stride }

    @inline(__always)
    subscript(position: Int) -> UnsafeRecord { UnsafeRecord(records[position]) }

    /// Adds a record whose header says it has an expiry.
    mutating func add(_ record: UnsafeRecord) {
        precondition(records.count < Int(UInt32.max), "too many keys with a TTL")
        record.expiryIndex = UInt32(truncatingIfNeeded: records.count)
        records.append(record.base)
    }

    /// Removes a member.
    mutating func remove(_ record: UnsafeRecord) {
        let position = Int(record.expiryIndex)
        assert(records[position] == record.base, "expiry set out of step at \(position)")
        let last = records.removeLast()
        if position < records.count {
            records[position] = last
            UnsafeRecord(last).expiryIndex = UInt32(truncatingIfNeeded: position)
        }
    }

    /// A member was rewritten into a new block that carries the same `expiryIndex`.
    @inline(__always)
    mutating func moved(to record: UnsafeRecord) {
        records[Int(record.expiryIndex)] = record.base
    }

    mutating func removeAll() { records = [] }
}
