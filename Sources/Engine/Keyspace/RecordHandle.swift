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

    /// Redis's `OBJ_SHARED_INTEGERS`: the integers 0 up to this bound (exclusive) that Redis
    /// stores as shared objects when they are written whole.
    public static let sharedIntegerLimit: Int64 = 10_000

    /// True when Redis would hold this value as one of its shared integer objects (OBJECT
    /// REFCOUNT 2147483647): an `int` in 0..<10000 written by SET, INCR and the like, not the
    /// private duplicate a COPY makes (which RENAME and MOVE carry along as it is).
    public var isSharedInteger: Bool {
        guard record.layout == UnsafeRecord.integerLayout else { return false }
        let value = record.integer
        return value >= 0 && value < RecordHandle.sharedIntegerLimit
    }

    /// How the value would have to be stored again to keep its encoding: RENAME and MOVE
    /// rewrite a value under another key exactly as it was.
    public var storedForm: StoredForm {
        switch record.layout {
        case UnsafeRecord.unsharedIntegerLayout: return .unsharedInteger
        case UnsafeRecord.exactRawLayout, UnsafeRecord.roomyRawLayout: return .raw
        default: return .natural
        }
    }

    /// Where the record lives (DEBUG OBJECT's `Value at:`).
    public var address: UInt { UInt(bitPattern: record.base) }

    /// The access time as Redis's 24-bit LRU clock reads it: seconds, modulo 2^24 (DEBUG
    /// OBJECT's `lru:`).
    public var lruClock: Int { Int(record.clock) }

    /// Seconds since the key was last read or written (OBJECT IDLETIME). The clock has 24 bits
    /// of seconds, like Redis's LRU clock, so idle times wrap after 194 days.
    public func idleSeconds(now: Int64) -> Int64 {
        Int64((UnsafeRecord.clock(now: now) &- record.clock) & UnsafeRecord.clockMask)
    }
}
