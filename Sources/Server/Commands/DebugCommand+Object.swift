import Engine
import RESP

/// DEBUG OBJECT key: Redis 7.0's line about a key's value,
/// `Value at:<address> refcount:<n> encoding:<enc> serializedlength:<n> lru:<clock> lru_seconds_idle:<s>`.
///
/// What differs from Redis, and why: `at:` is the address of Ferrite's record (Redis prints
/// its `robj`'s); `serializedlength` is the length Redis's RDB format gives the value without
/// LZF compression, so a string over 20 bytes that LZF would shrink reads longer than in
/// Redis (Ferrite writes no RDB yet, and has no LZF). The rest is Redis's: the reference count
/// (2147483647 for a shared small integer), the encoding, the record's 24-bit access clock and
/// the seconds since. As Redis, the key is found as stored — expired but not yet deleted
/// included — and its access time is left alone.
extension DebugCommand {
    static func object(_ c: CommandContext) {
        guard let record = c.db.peek(c.args[2]) else { return c.reply.error("ERR no such key") }
        let referenceCount = record.isSharedInteger ? Int(Int32.max) : 1  // Redis's `OBJ_SHARED_REFCOUNT`
        let line = "Value at:0x\(String(record.address, radix: 16)) refcount:\(referenceCount) "
            + "encoding:\(record.encoding.name) serializedlength:\(serializedLength(of: record.stringValue)) "
            + "lru:\(record.lruClock) lru_seconds_idle:\(record.idleSeconds(now: c.now))"
        c.reply.simple(line)
    }

    /// The bytes Redis's `rdbSavedObjectLen` counts for a string value, LZF compression aside:
    /// an integer that fits 32 bits as a tagged integer (2, 3 or 5 bytes), else the decimal
    /// text; a string of at most 11 bytes that is an integer's canonical text the same way;
    /// any other string as its length (`rdbSaveLen`) and its bytes.
    static func serializedLength(of value: StringValue) -> Int {
        switch value {
        case .integer(let integer):
            if let encoded = encodedIntegerLength(integer) { return encoded }
            let digits = String(integer).utf8.count
            return lengthPrefixSize(digits) + digits
        case .bytes(let bytes):
            if bytes.count <= 11, let integer = RedisInteger.parse(bytes), String(integer).utf8.elementsEqual(bytes.bytes),
               let encoded = encodedIntegerLength(integer)
            {
                return encoded
            }
            return lengthPrefixSize(bytes.count) + bytes.count
        }
    }

    /// Redis's `rdbEncodeInteger`: a type byte and 1, 2 or 4 bytes; nil beyond 32 bits.
    static func encodedIntegerLength(_ value: Int64) -> Int? {
        if value >= Int64(Int8.min) && value <= Int64(Int8.max) { return 2 }
        if value >= Int64(Int16.min) && value <= Int64(Int16.max) { return 3 }
        if value >= Int64(Int32.min) && value <= Int64(Int32.max) { return 5 }
        return nil
    }

    /// Redis's `rdbSaveLen`: 1 byte under 64, 2 under 16384, 5 up to 2^32 - 1, else 9.
    static func lengthPrefixSize(_ length: Int) -> Int {
        if length < 1 << 6 { return 1 }
        if length < 1 << 14 { return 2 }
        if length <= Int(UInt32.max) { return 5 }
        return 9
    }
}
