import RESP

/// Strings read and written as bitmaps (Redis's `bitops.c`): SETBIT GETBIT BITCOUNT BITPOS
/// BITOP. Bit 0 is the most significant bit of the first byte; an `int`-encoded value is seen
/// as its decimal digits. SETBIT edits in place through `Keyspace.mutateStringReportingChange`, so the value
/// becomes `raw` and keeps its time to live; BITOP stores its result whole, `raw`, without one.
///
/// Offsets are limited as Redis limits them: a bit offset whose byte lies at or past
/// `DataStore.maximumStringLength` (proto-max-bulk-len) is refused with the offset error, so a
/// bitmap never outgrows the limit `checkStringLength` enforces for APPEND and SETRANGE.
extension StringCommands {
    static let bitOffsetError: StaticString = "ERR bit offset is not an integer or out of range"

    /// Redis's `getBitOffsetFromArgument`: a non-negative bit offset whose byte lies inside the
    /// size limit, or nil after replying with the offset error. With `width` (BITFIELD's type
    /// width) an offset written `#n` means n fields of that width; the product wraps as Redis's
    /// does, a negative result being refused.
    static func bitOffset(_ c: CommandContext, _ argument: ByteView, width: Int = 0) -> Int64? {
        let scaled = width > 0 && argument.count > 0 && argument[0] == UInt8(ascii: "#")
        let digits = scaled ? ByteView(base: argument.base + 1, count: argument.count - 1) : argument
        guard var offset = RedisInteger.parse(digits) else {
            c.reply.error(bitOffsetError)
            return nil
        }
        if scaled { offset = offset &* Int64(width) }
        guard offset >= 0 && offset >> 3 < c.store.maximumStringLength else {
            c.reply.error(bitOffsetError)
            return nil
        }
        return offset
    }

    static func setbit(_ c: CommandContext) {
        let key = c.args[1]
        guard let offset = bitOffset(c, c.args[2]) else { return }
        guard let bit = RedisInteger.parse(c.args[3]), bit & ~1 == 0 else {
            return c.reply.error("ERR bit is not an integer or out of range")
        }
        let byteIndex = Int(offset >> 3)
        let mask = UInt8(0x80) >> UInt8(offset & 7)
        var oldLength = 0
        var existed = false
        if let record = c.db.lookup(key, now: c.now) {
            guard record.type == .string else { return c.reply.error(CommandError.wrongType) }
            oldLength = length(of: record.stringValue)
            existed = true
        }
        let newLength = max(oldLength, byteIndex + 1)
        var wasSet = false
        c.db.mutateStringReportingChange(key, length: newLength, now: c.now) { bytes in
            let byte = bytes[byteIndex]
            wasSet = byte & mask != 0
            bytes[byteIndex] = bit == 1 ? byte | mask : byte & ~mask
            return !existed || newLength != oldLength || wasSet != (bit == 1)
        }
        c.reply.integer(wasSet ? 1 : 0)
    }

    static func getbit(_ c: CommandContext) {
        guard let offset = bitOffset(c, c.args[2]) else { return }
        guard let record = readLookup(c, c.args[1]) else { return c.reply.integer(0) }
        guard record.type == .string else { return c.reply.error(CommandError.wrongType) }
        let byteIndex = Int(offset >> 3)
        let isSet = withBytes(of: record.stringValue) { value in
            byteIndex < value.count && value[byteIndex] & (UInt8(0x80) >> UInt8(offset & 7)) != 0
        }
        c.reply.integer(isSet ? 1 : 0)
    }

    /// BITCOUNT key [start end [BYTE|BIT]]. The key is looked up before the range is read, so a
    /// missing key counts 0 whatever follows it, as in Redis.
    static func bitcount(_ c: CommandContext) {
        guard let record = readLookup(c, c.args[1]) else { return c.reply.integer(0) }
        guard record.type == .string else { return c.reply.error(CommandError.wrongType) }
        withBytes(of: record.stringValue) { value in
            let length = Int64(value.count)
            var first: Int64 = 0
            var last = length * 8 - 1
            if c.args.count == 4 || c.args.count == 5 {
                guard let start = RedisInteger.parse(c.args[2]), let end = RedisInteger.parse(c.args[3]) else {
                    return c.reply.error(CommandError.notInteger)
                }
                if start < 0 && end < 0 && start > end { return c.reply.integer(0) }
                var inBits = false
                if c.args.count == 5 {
                    guard let unit = bitRangeUnit(c.args[4]) else { return c.reply.error(CommandError.syntax) }
                    inBits = unit
                }
                guard let range = clampBitRange(start, end, length: length, inBits: inBits) else {
                    return c.reply.integer(0)
                }
                (first, last) = range
            } else if c.args.count != 2 {
                return c.reply.error(CommandError.syntax)
            }
            if first > last { return c.reply.integer(0) }
            c.reply.integer(BitScan.popcount(value, from: Int(first), through: Int(last)))
        }
    }

    /// BITPOS key bit [start [end [BYTE|BIT]]]. A missing key is all zeros: its first clear
    /// bit is 0 and it has no set bit. Without an explicit end, the string is taken as padded
    /// with zeros on the right, so a search for a clear bit that finds none in the string
    /// answers the first bit past it; with an explicit end, or in an empty range, it answers -1.
    static func bitpos(_ c: CommandContext) {
        guard let bit = RedisInteger.parse(c.args[2]) else { return c.reply.error(CommandError.notInteger) }
        guard bit == 0 || bit == 1 else { return c.reply.error("ERR The bit argument must be 1 or 0.") }
        guard let record = readLookup(c, c.args[1]) else { return c.reply.integer(bit == 1 ? -1 : 0) }
        guard record.type == .string else { return c.reply.error(CommandError.wrongType) }
        withBytes(of: record.stringValue) { value in
            let length = Int64(value.count)
            var first: Int64 = 0
            var last = length * 8 - 1
            var endGiven = false
            if c.args.count >= 4 && c.args.count <= 6 {
                guard let start = RedisInteger.parse(c.args[3]) else { return c.reply.error(CommandError.notInteger) }
                var inBits = false
                if c.args.count == 6 {
                    guard let unit = bitRangeUnit(c.args[5]) else { return c.reply.error(CommandError.syntax) }
                    inBits = unit
                }
                var end = length - 1
                if c.args.count >= 5 {
                    guard let given = RedisInteger.parse(c.args[4]) else { return c.reply.error(CommandError.notInteger) }
                    end = given
                    endGiven = true
                }
                guard let range = clampBitRange(start, end, length: length, inBits: inBits) else {
                    return c.reply.integer(-1)
                }
                (first, last) = range
            } else if c.args.count != 3 {
                return c.reply.error(CommandError.syntax)
            }
            if first > last { return c.reply.integer(-1) }
            if let found = BitScan.firstBit(bit == 1, in: value, from: Int(first), through: Int(last)) {
                return c.reply.integer(found)
            }
            c.reply.integer(bit == 0 && !endGiven ? last + 1 : -1)
        }
    }

    /// BYTE (false) or BIT (true), compared as Redis's `strcasecmp` does; nil for anything else.
    private static func bitRangeUnit(_ argument: ByteView) -> Bool? {
        let unit = argument.cStringPrefix
        if unit.equalsCaseInsensitive("bit") { return true }
        if unit.equalsCaseInsensitive("byte") { return false }
        return nil
    }

    /// BITCOUNT's and BITPOS's range rules: negative indexes count from the end, then both ends
    /// are clamped to the string (in bytes or in bits). Returns the range as bit positions, or
    /// nil when it is empty.
    private static func clampBitRange(
        _ start: Int64, _ end: Int64, length: Int64, inBits: Bool
    ) -> (first: Int64, last: Int64)? {
        let total = inBits ? length << 3 : length
        var start = start
        var end = end
        if start < 0 { start += total }
        if end < 0 { end += total }
        start = max(start, 0)
        end = max(end, 0)
        if end >= total { end = total - 1 }
        if start > end { return nil }
        return inBits ? (start, end) : (start << 3, end << 3 + 7)
    }

    /// BITOP AND|OR|XOR|NOT destkey key [key ...]: missing keys are empty strings, shorter
    /// strings are zero-filled to the longest; the result is stored `raw` (replacing whatever
    /// the destination held, TTL included), or, when empty, deletes the destination. Replies
    /// with the result's length. Sources are folded into the result one at a time, so no two
    /// records are held at once.
    static func bitop(_ c: CommandContext) {
        let name = c.args[1].cStringPrefix
        let operation: BitScan.Operation
        if name.equalsCaseInsensitive("and") {
            operation = .and
        } else if name.equalsCaseInsensitive("or") {
            operation = .or
        } else if name.equalsCaseInsensitive("xor") {
            operation = .xor
        } else if name.equalsCaseInsensitive("not") {
            operation = .not
        } else {
            return c.reply.error(CommandError.syntax)
        }
        if operation == .not && c.args.count != 4 {
            return c.reply.error("ERR BITOP NOT must be called with a single source key.")
        }
        var result: [UInt8] = []
        for index in 3..<c.args.count {
            guard let record = readLookup(c, c.args[index]) else {
                if index > 3 { BitScan.fold(operation, ByteView(base: c.args[index].base, count: 0), into: &result) }
                continue
            }
            guard record.type == .string else { return c.reply.error(CommandError.wrongType) }
            withBytes(of: record.stringValue) { value in
                if index == 3 {
                    result = value.array
                } else {
                    BitScan.fold(operation, value, into: &result)
                }
            }
        }
        let destination = c.args[2]
        if result.isEmpty {
            c.db.delete(destination, now: c.now)
            return c.reply.integer(0)
        }
        if operation == .not { BitScan.complement(&result) }
        result.withByteView { view in
            c.db.setString(destination, .bytes(view), form: .raw, expiry: .clear, now: c.now)
        }
        c.reply.integer(result.count)
    }
}
