/// Walking the keys: KEYS, SCAN and RANDOMKEY. See `HashIndex+Iteration` for SCAN's cursor.
extension Keyspace {
    /// Calls `visit` for every live key (KEYS). Expired keys are skipped, not deleted.
    /// `visit` must not modify the keyspace.
    public func forEach(now: Int64, _ visit: (RecordHandle) -> Void) {
        index.forEachRecord { record in
            if !record.isExpired(now: now) { visit(RecordHandle(record: record)) }
        }
    }

    /// SCAN: visits some keys from `cursor` on and returns the next cursor (0 when done).
    /// Every key present for the whole iteration is visited at least once, whatever resizes
    /// happen between calls; a key may be visited more than once. Expired keys are visited
    /// too (check `expireAt`). `visit` must not modify the keyspace.
    public func scan(cursor: UInt64, count: Int, _ visit: (RecordHandle) -> Void) -> UInt64 {
        index.scan(from: cursor, count: count) { record in visit(RecordHandle(record: record)) }
    }

    /// RANDOMKEY: a random live key (expired keys met on the way are deleted).
    public func randomKey(now: Int64) -> RecordHandle? {
        index.maintain()
        while let location = index.randomLocation(&random) {
            let record = index.record(at: location)
            if record.isExpired(now: now) {
                deleteRecord(record, at: location)
                countExpired(1)
                continue
            }
            return RecordHandle(record: record)
        }
        return nil
    }
}
