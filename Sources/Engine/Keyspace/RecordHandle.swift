import RESP

/// A stored key and its value, as `Keyspace.lookup` finds it: a view of one record.
///
/// Valid until the next mutation of its keyspace: views it hands out point into the record.
public struct RecordHandle {
    let record: UnsafeRecord

    public var key: ByteView { record.key }
    public var type: ValueType { record.type }
    public var encoding: StringEncoding { record.encoding }
    /// Absolute expiry in Unix milliseconds, or nil for a persistent key.
    public var expireAt: Int64? { record.hasExpiry ? record.expireAt : nil }

    public var stringValue: StringValue { record.stringValue }

    /// Seconds since the key was last read or written (OBJECT IDLETIME). The clock has 24 bits
    /// of seconds, like Redis's LRU clock, so idle times wrap after 194 days.
    public func idleSeconds(now: Int64) -> Int64 {
        Int64((UnsafeRecord.clock(now: now) &- record.clock) & UnsafeRecord.clockMask)
    }
}
