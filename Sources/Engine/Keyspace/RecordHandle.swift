import RESP

/// A stored key and its value, as `Keyspace.lookup` finds it.
///
/// Valid until the next mutation of its keyspace: views it hands out point into the record.
public struct RecordHandle {
    let entry: Keyspace.Entry

    public var key: ByteView {
        entry.key.withUnsafeBytes { ByteView(base: $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: $0.count) }
    }
    public var type: ValueType { entry.type }
    public var encoding: StringEncoding { entry.encoding }
    /// Absolute expiry in Unix milliseconds, or nil for a persistent key.
    public var expireAt: Int64? { entry.expireAt >= 0 ? entry.expireAt : nil }

    public var stringValue: StringValue {
        if entry.encoding == .int { return .integer(entry.integer) }
        return .bytes(ByteView(base: entry.bytes ?? UnsafeMutableRawPointer(bitPattern: 1)!, count: entry.length))
    }

    /// Seconds since the key was last read or written (OBJECT IDLETIME).
    public func idleSeconds(now: Int64) -> Int64 { max(0, now / 1000 - entry.lastAccessSeconds) }
}
