#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import RESP

/// Helpers every string command shares: read lookups that count keyspace hits and misses,
/// the encoding a whole value is stored with, and the string size limit.
extension StringCommands {
    /// A lookup on behalf of a reading command (Redis's `lookupKeyRead`): counts a keyspace hit
    /// or miss. Writing commands call `Keyspace.lookup` directly, which counts neither.
    static func readLookup(_ c: CommandContext, _ key: ByteView) -> RecordHandle? {
        let record = c.db.lookup(key, now: c.now)
        c.withStore { store in
            if record == nil { store.stats.keyspaceMisses += 1 } else { store.stats.keyspaceHits += 1 }
        }
        return record
    }

    /// What a value written whole is stored as: an integer when its bytes are a canonical
    /// 64-bit integer (Redis's `tryObjectEncoding`: at most 20 bytes accepted by `string2ll`),
    /// bytes otherwise.
    static func encoded(_ value: ByteView) -> StringValue {
        if let integer = RedisInteger.parse(value) { return .integer(integer) }
        return .bytes(value)
    }

    /// Replies with a string value as a bulk string.
    static func replyBulk(_ c: CommandContext, _ value: StringValue) {
        switch value {
        case .integer(let integer): c.reply.bulk(integer: integer)
        case .bytes(let bytes): c.reply.bulk(bytes)
        }
    }

    /// The value's length in bytes (an integer counts its decimal digits and sign).
    static func length(of value: StringValue) -> Int {
        switch value {
        case .integer(let integer):
            return RedisInteger.decimalLength(of: integer)
        case .bytes(let bytes):
            return bytes.count
        }
    }

    /// Runs `body` with the value's bytes; an integer is printed into stack memory first.
    static func withBytes<R>(of value: StringValue, _ body: (ByteView) -> R) -> R {
        switch value {
        case .integer(let integer):
            var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
            return withUnsafeMutableBytes(of: &scratch) { raw in
                let count = RedisInteger.format(integer, into: raw.baseAddress!)
                return body(ByteView(base: raw.baseAddress!, count: count))
            }
        case .bytes(let bytes):
            return body(bytes)
        }
    }

    /// Redis's `checkStringLength`: false (after replying) when a string of `length` bytes
    /// extended by `added` more would exceed the limit or overflow.
    static func checkStringLength(_ c: CommandContext, _ length: Int64, adding added: Int64) -> Bool {
        let (total, overflow) = length.addingReportingOverflow(added)
        if overflow || total > c.store.maximumStringLength {
            c.reply.error("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
            return false
        }
        return true
    }
}

extension ByteView {
    /// The bytes up to the first NUL: what C code comparing `argv[i]->ptr` with `strcasecmp`
    /// sees. Redis's option parsers compare that way, so "nx\0junk" reads as NX.
    var cStringPrefix: ByteView {
        guard let nul = memchr(base, 0, count) else { return self }
        return ByteView(base: base, count: base.distance(to: UnsafeRawPointer(nul)))
    }
}
