#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import RESP

/// What a record's value area holds. It decides the record's fields and so its size.
enum RecordShape: Equatable {
    /// `int` encoding: an inline Int64, no value bytes. `unshared` marks a small integer that
    /// Redis would hold as an object of its own (a COPY's) rather than one of its shared
    /// integers; it changes nothing but OBJECT REFCOUNT.
    case integer(unshared: Bool)
    /// `embstr`: exactly `length` value bytes.
    case embedded(length: Int)
    /// `raw`: `length` value bytes in room for `capacity` (APPEND/SETRANGE grow in place).
    case raw(length: Int, capacity: Int)
}

/// One key and its value in a single block of memory: the whole per-key cost besides the
/// index slot. No per-record malloc header, no pointers to chase for strings.
///
/// ```
///  0        4          8                16
/// +--------+----------+----------------+--------+----------------------+-------+---------+
/// | header | ttlIndex |    expireAt    | keyLen |  value field(s)      |  key  |  value  |
/// | UInt32 |  UInt32  |  Int64 (ms)    | varint |                      | bytes |  bytes  |
/// +--------+----------+----------------+--------+----------------------+-------+---------+
///           \____ only with hasExpiry ____/
///
/// value field(s) by layout (the header's 4-bit layout code):
///   0 int          Int64 (unaligned)                   — no value bytes
///   4 int, unshared  as 0: a small integer Redis would not hold as a shared object
///   1 embstr       valueLen varint                     — valueLen bytes
///   2 raw, exact   valueLen varint                     — valueLen bytes
///   3 raw, room    valueLen, capacity varints, both    — capacity bytes, the first valueLen
///                  as wide as capacity needs              used
///
/// header:  31                       8 7       4 3       2     0
///         +--------------------------+---------+---------+-----+
///         |  LRU clock, seconds (24) |  layout | expiry  | type|
///         +--------------------------+---------+---------+-----+
/// ```
/// Layouts 0 and 4 are both OBJECT ENCODING `int`; layouts 2 and 3 are both `raw`; only strings that grew (APPEND, SETRANGE)
/// pay for the capacity field. Codes are stored in records: never renumber them.
/// `ttlIndex` is the record's position in the keyspace's `ExpirySet` (O(1) removal).
/// The block is the total rounded up to 8 bytes ("key:123456" with a 64-byte value: 80 bytes).
///
/// Ownership: the keyspace allocates blocks from its `UnsafeSlabAllocator` and frees them when
/// the key is deleted or its record is rewritten into another block; an `UnsafeRecord` is a
/// borrowed view, valid until then, on the shard thread only.
struct UnsafeRecord {
    let base: UnsafeMutableRawPointer

    static let typeMask: UInt32 = 0x7
    static let expiryFlag: UInt32 = 0x8
    static let layoutShift: UInt32 = 4
    static let layoutMask: UInt32 = 0xF0

    /// The header's layout codes.
    static let integerLayout: UInt32 = 0
    static let embeddedLayout: UInt32 = 1
    static let exactRawLayout: UInt32 = 2
    static let roomyRawLayout: UInt32 = 3
    static let unsharedIntegerLayout: UInt32 = 4
    static let clockShift: UInt32 = 8
    static let clockMask: UInt32 = 0xFF_FFFF
    static let headerSize = 4
    static let expiryFieldsSize = 12

    @inline(__always)
    init(_ base: UnsafeMutableRawPointer) { self.base = base }

    @inline(__always)
    var header: UInt32 {
        get { base.load(as: UInt32.self) }
        nonmutating set { base.storeBytes(of: newValue, as: UInt32.self) }
    }

    @inline(__always)
    var type: ValueType { ValueType(rawValue: UInt8(header & UnsafeRecord.typeMask)).unsafelyUnwrapped }

    @inline(__always)
    var layout: UInt32 { (header & UnsafeRecord.layoutMask) >> UnsafeRecord.layoutShift }

    @inline(__always)
    var encoding: StringEncoding {
        switch layout {
        case UnsafeRecord.integerLayout, UnsafeRecord.unsharedIntegerLayout: return .int
        case UnsafeRecord.embeddedLayout: return .embstr
        default: return .raw
        }
    }

    /// True for a raw string with a capacity field (room to grow in place).
    @inline(__always)
    var hasCapacity: Bool { layout == UnsafeRecord.roomyRawLayout }

    @inline(__always)
    var hasExpiry: Bool { header & UnsafeRecord.expiryFlag != 0 }

    /// The LRU clock: Unix seconds modulo 2^24 at the last access.
    @inline(__always)
    var clock: UInt32 {
        get { header >> UnsafeRecord.clockShift }
        nonmutating set {
            header = (header & ~(UnsafeRecord.clockMask << UnsafeRecord.clockShift))
                | ((newValue & UnsafeRecord.clockMask) << UnsafeRecord.clockShift)
        }
    }

    @inline(__always)
    static func clock(now: Int64) -> UInt32 { UInt32(truncatingIfNeeded: now / 1000) & clockMask }

    /// Position in the expiry set; only with `hasExpiry`.
    @inline(__always)
    var expiryIndex: UInt32 {
        get { base.load(fromByteOffset: 4, as: UInt32.self) }
        nonmutating set { base.storeBytes(of: newValue, toByteOffset: 4, as: UInt32.self) }
    }

    /// Absolute expiry in Unix milliseconds; only with `hasExpiry`.
    @inline(__always)
    var expireAt: Int64 {
        get { base.load(fromByteOffset: 8, as: Int64.self) }
        nonmutating set { base.storeBytes(of: newValue, toByteOffset: 8, as: Int64.self) }
    }

    /// True when the key has a TTL that has passed. Like Redis, a key expires strictly after
    /// its expiry time (`now > expireAt`).
    @inline(__always)
    func isExpired(now: Int64) -> Bool { hasExpiry && expireAt < now }

    /// Where the variable parts are, in bytes from `base`.
    struct Fields {
        var keyStart: Int
        var keyLength: Int
        /// The Int64 for `int` encoding, else the first value byte.
        var valueStart: Int
        var valueLength: Int
        var capacity: Int
        /// The valueLen varint of `raw` records and its padded width.
        var lengthField: Int
        var lengthFieldWidth: Int
        /// Bytes used by the record, before rounding to the block size.
        var end: Int
    }

    @inline(__always)
    var fields: Fields {
        let header = self.header
        var offset = header & UnsafeRecord.expiryFlag != 0 ? 16 : 4
        let key = VarInt.read(base + offset)
        offset += key.width
        switch (header & UnsafeRecord.layoutMask) >> UnsafeRecord.layoutShift {
        case UnsafeRecord.integerLayout, UnsafeRecord.unsharedIntegerLayout:
            return Fields(
                keyStart: offset + 8, keyLength: key.value, valueStart: offset, valueLength: 0, capacity: 0,
                lengthField: offset, lengthFieldWidth: 0, end: offset + 8 + key.value)
        case UnsafeRecord.embeddedLayout, UnsafeRecord.exactRawLayout:
            let value = VarInt.read(base + offset)
            let keyStart = offset + value.width
            return Fields(
                keyStart: keyStart, keyLength: key.value, valueStart: keyStart + key.value, valueLength: value.value,
                capacity: value.value, lengthField: offset, lengthFieldWidth: value.width,
                end: keyStart + key.value + value.value)
        default:
            let value = VarInt.read(base + offset)
            let capacity = VarInt.read(base + offset + value.width)
            let keyStart = offset + value.width + capacity.width
            return Fields(
                keyStart: keyStart, keyLength: key.value, valueStart: keyStart + key.value, valueLength: value.value,
                capacity: capacity.value, lengthField: offset, lengthFieldWidth: value.width,
                end: keyStart + key.value + capacity.value)
        }
    }

    @inline(__always)
    var key: ByteView {
        let fields = self.fields
        return ByteView(base: base + fields.keyStart, count: fields.keyLength)
    }

    @inline(__always)
    func keyEquals(_ other: ByteView) -> Bool {
        let fields = self.fields
        return fields.keyLength == other.count
            && (other.count == 0 || memcmp(base + fields.keyStart, other.base, other.count) == 0)
    }

    var blockSize: Int { UnsafeRecord.roundUp(fields.end) }

    /// True when `view` points into this record's block.
    func contains(_ view: ByteView) -> Bool {
        let start = UnsafeRawPointer(base)
        return view.count > 0 && view.base < start + blockSize && view.base + view.count > start
    }

    /// Rewrites the length of a `raw` value with a capacity field in place; `length` must fit.
    func setRawLength(_ length: Int) {
        let fields = self.fields
        precondition(hasCapacity && length <= fields.capacity, "raw length \(length) over capacity \(fields.capacity)")
        VarInt.write(length, width: fields.lengthFieldWidth, at: base + fields.lengthField)
    }

    @inline(__always)
    static func roundUp(_ size: Int) -> Int { (size + 7) & ~7 }

    /// Block size of a record with these parts.
    static func blockSize(keyLength: Int, shape: RecordShape, hasExpiry: Bool) -> Int {
        var size = headerSize + (hasExpiry ? expiryFieldsSize : 0) + VarInt.width(keyLength) + keyLength
        switch shape {
        case .integer: size += 8
        case .embedded(let length): size += VarInt.width(length) + length
        case .raw(let length, let capacity) where length == capacity: size += VarInt.width(length) + length
        case .raw(_, let capacity): size += 2 * VarInt.width(capacity) + capacity
        }
        return roundUp(size)
    }

    /// Writes header, expiry fields, lengths and key into a block of
    /// `blockSize(keyLength:shape:hasExpiry:)` bytes. Value bytes are left for the caller.
    @discardableResult
    static func initialize(
        _ base: UnsafeMutableRawPointer, key: ByteView, shape: RecordShape, type: ValueType,
        expireAt: Int64?, expiryIndex: UInt32, clock: UInt32
    ) -> UnsafeRecord {
        let layout: UInt32
        switch shape {
        case .integer(let unshared): layout = unshared ? unsharedIntegerLayout : integerLayout
        case .embedded: layout = embeddedLayout
        case .raw(let length, let capacity): layout = length == capacity ? exactRawLayout : roomyRawLayout
        }
        var header = UInt32(type.rawValue) | (layout << layoutShift)
            | ((clock & clockMask) << clockShift)
        var offset = headerSize
        if let expireAt {
            header |= expiryFlag
            base.storeBytes(of: expiryIndex, toByteOffset: 4, as: UInt32.self)
            base.storeBytes(of: expireAt, toByteOffset: 8, as: Int64.self)
            offset += expiryFieldsSize
        }
        base.storeBytes(of: header, as: UInt32.self)
        offset += VarInt.write(key.count, width: VarInt.width(key.count), at: base + offset)
        switch shape {
        case .integer:
            offset += 8
        case .embedded(let length):
            offset += VarInt.write(length, width: VarInt.width(length), at: base + offset)
        case .raw(let length, let capacity) where length == capacity:
            offset += VarInt.write(length, width: VarInt.width(length), at: base + offset)
        case .raw(let length, let capacity):
            let width = VarInt.width(capacity)
            offset += VarInt.write(length, width: width, at: base + offset)
            offset += VarInt.write(capacity, width: width, at: base + offset)
        }
        if key.count > 0 { (base + offset).copyMemory(from: key.base, byteCount: key.count) }
        return UnsafeRecord(base)
    }

    /// The inline integer of an `int` record.
    @inline(__always)
    var integer: Int64 {
        get { base.loadUnaligned(fromByteOffset: fields.valueStart, as: Int64.self) }
        nonmutating set { base.storeBytes(of: newValue, toByteOffset: fields.valueStart, as: Int64.self) }
    }

    /// The value as commands see it.
    var stringValue: StringValue {
        let fields = self.fields
        if encoding == .int {
            return .integer(base.loadUnaligned(fromByteOffset: fields.valueStart, as: Int64.self))
        }
        return .bytes(ByteView(base: base + fields.valueStart, count: fields.valueLength))
    }

    /// The shape this record was written with.
    var shape: RecordShape {
        let fields = self.fields
        switch encoding {
        case .int: return .integer(unshared: layout == UnsafeRecord.unsharedIntegerLayout)
        case .embstr: return .embedded(length: fields.valueLength)
        case .raw: return .raw(length: fields.valueLength, capacity: fields.capacity)
        }
    }
}
