import RESP

/// BITFIELD and BITFIELD_RO (Redis's `bitfieldGeneric`): a string read and written as an array
/// of signed (i1…i64) or unsigned (u1…u63) integers at arbitrary bit offsets.
///
/// The subcommands are parsed twice rather than collected: a first walk validates them all
/// (any error replies before the key is touched), counts them and finds the farthest bit a
/// write reaches; a second walk, which cannot fail, executes them. Only GETs: the key is read
/// (a missing key reads as zeros). Any SET or INCRBY: the string is created or zero-padded to
/// that farthest bit, becomes `raw` and keeps its TTL, and watchers hear of it only when a
/// write was not refused and changed its field or grew the string, as in Redis.
extension StringCommands {
    static func bitfield(_ c: CommandContext) { bitfield(c, readOnly: false) }

    static func bitfieldRO(_ c: CommandContext) { bitfield(c, readOnly: true) }

    private static func bitfield(_ c: CommandContext, readOnly: Bool) {
        var count = 0
        var writes = false
        var farthestWrite: Int64 = 0
        let valid = parseBitFieldOperations(c) { operation in
            count += 1
            if operation.kind != .get {
                writes = true
                farthestWrite = max(farthestWrite, operation.offset + Int64(operation.type.bits) - 1)
            }
        }
        guard valid else { return }
        let key = c.args[1]
        if !writes {
            let record = readLookup(c, key)
            if let record, record.type != .string { return c.reply.error(CommandError.wrongType) }
            c.reply.arrayHeader(count)
            guard let record else {
                return [UInt8]().withUnsafeBytes { empty in
                    _ = parseBitFieldOperations(c) { replyGet(c, $0, from: empty) }
                }
            }
            return withBytes(of: record.stringValue) { value in
                _ = parseBitFieldOperations(c) { replyGet(c, $0, from: value.bytes) }
            }
        }
        if readOnly { return c.reply.error("ERR BITFIELD_RO only supports the GET subcommand") }
        var oldLength = 0
        var existed = false
        if let record = c.db.lookup(key, now: c.now) {
            guard record.type == .string else { return c.reply.error(CommandError.wrongType) }
            oldLength = length(of: record.stringValue)
            existed = true
        }
        let newLength = max(oldLength, Int(farthestWrite >> 3) + 1)
        let grown = !existed || newLength != oldLength
        c.reply.arrayHeader(count)
        c.db.mutateStringReportingChange(key, length: newLength, now: c.now) { bytes in
            // As in Redis, growing the string counts as a change only with a write that happened.
            var changed = false
            _ = parseBitFieldOperations(c) { operation in
                if operation.kind == .get {
                    replyGet(c, operation, from: UnsafeRawBufferPointer(bytes))
                } else if let written = execute(c, operation, on: bytes) {
                    changed = changed || grown || written
                }
            }
            return changed
        }
    }

    /// Runs a SET or INCRBY on `bytes`, which reach its last bit, and replies with its result:
    /// SET's old value, INCRBY's new one, or null when OVERFLOW FAIL refused it (then nothing
    /// is written). Whether the field's value changed, or nil when the write was refused.
    private static func execute(
        _ c: CommandContext, _ operation: BitFieldOperation, on bytes: UnsafeMutableRawBufferPointer
    ) -> Bool? {
        let type = operation.type
        let stored = BitField.read(UnsafeRawBufferPointer(bytes), offset: operation.offset, bits: type.bits)
        let old: UInt64
        let new: UInt64
        let reply: Int64
        if type.signed {
            let oldValue = BitField.signExtend(stored, bits: type.bits)
            let newValue: Int64
            let overflow: BitField.Overflow?
            if operation.kind == .incrby {
                overflow = BitField.signedOverflow(oldValue, adding: operation.value, bits: type.bits, operation.overflow)
                newValue = overflow?.limit ?? oldValue &+ operation.value
                reply = newValue
            } else {
                overflow = BitField.signedOverflow(operation.value, adding: 0, bits: type.bits, operation.overflow)
                newValue = overflow?.limit ?? operation.value
                reply = oldValue
            }
            if overflow != nil && operation.overflow == .fail {
                c.reply.null()
                return nil
            }
            old = UInt64(bitPattern: oldValue)
            new = UInt64(bitPattern: newValue)
        } else {
            let overflow: BitField.Overflow?
            if operation.kind == .incrby {
                overflow = BitField.unsignedOverflow(stored, adding: operation.value, bits: type.bits, operation.overflow)
                new = overflow.map { UInt64(bitPattern: $0.limit) } ?? stored &+ UInt64(bitPattern: operation.value)
                reply = Int64(bitPattern: new)
            } else {
                let value = UInt64(bitPattern: operation.value)
                overflow = BitField.unsignedOverflow(value, adding: 0, bits: type.bits, operation.overflow)
                new = overflow.map { UInt64(bitPattern: $0.limit) } ?? value
                reply = Int64(bitPattern: stored)
            }
            if overflow != nil && operation.overflow == .fail {
                c.reply.null()
                return nil
            }
            old = stored
        }
        c.reply.integer(reply)
        BitField.write(bytes, offset: operation.offset, bits: type.bits, value: new)
        return old != new
    }

    /// Replies with a GET's field, reading zeros past the end of `bytes`.
    private static func replyGet(_ c: CommandContext, _ operation: BitFieldOperation, from bytes: UnsafeRawBufferPointer) {
        let type = operation.type
        let value = BitField.read(bytes, offset: operation.offset, bits: type.bits)
        c.reply.integer(type.signed ? BitField.signExtend(value, bits: type.bits) : Int64(bitPattern: value))
    }

    /// Walks the subcommands after the key in order, calling `visit` with each GET, SET and
    /// INCRBY (OVERFLOW changes the mode of those after it). On the first invalid one, replies
    /// with Redis's error for it and returns false.
    static func parseBitFieldOperations(_ c: CommandContext, _ visit: (BitFieldOperation) -> Void) -> Bool {
        var overflow = BitFieldOperation.OverflowMode.wrap
        var index = 2
        while index < c.args.count {
            let remaining = c.args.count - index - 1
            let name = c.args[index].cStringPrefix
            let kind: BitFieldOperation.Kind
            if name.equalsCaseInsensitive("get") && remaining >= 2 {
                kind = .get
            } else if name.equalsCaseInsensitive("set") && remaining >= 3 {
                kind = .set
            } else if name.equalsCaseInsensitive("incrby") && remaining >= 3 {
                kind = .incrby
            } else if name.equalsCaseInsensitive("overflow") && remaining >= 1 {
                let mode = c.args[index + 1].cStringPrefix
                if mode.equalsCaseInsensitive("wrap") {
                    overflow = .wrap
                } else if mode.equalsCaseInsensitive("sat") {
                    overflow = .sat
                } else if mode.equalsCaseInsensitive("fail") {
                    overflow = .fail
                } else {
                    c.reply.error("ERR Invalid OVERFLOW type specified")
                    return false
                }
                index += 2
                continue
            } else {
                c.reply.error(CommandError.syntax)
                return false
            }
            guard let type = BitFieldType(c.args[index + 1]) else {
                c.reply.error("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.")
                return false
            }
            guard let offset = bitOffset(c, c.args[index + 2], width: type.bits) else { return false }
            var value: Int64 = 0
            if kind != .get {
                guard let parsed = RedisInteger.parse(c.args[index + 3]) else {
                    c.reply.error(CommandError.notInteger)
                    return false
                }
                value = parsed
            }
            visit(BitFieldOperation(kind: kind, type: type, offset: offset, value: value, overflow: overflow))
            index += kind == .get ? 3 : 4
        }
        return true
    }

    /// Redis's `bitfieldGetKeys`: BITFIELD only reads its key when every subcommand before the
    /// first SET or INCRBY (or the first it cannot parse) is a GET or an OVERFLOW.
    static func bitfieldKeyFlags(_ args: Arguments) -> KeySpec.Flags {
        var index = 2
        while index < args.count {
            let remaining = args.count - index - 1
            let name = args[index].cStringPrefix
            if name.equalsCaseInsensitive("get") && remaining >= 2 {
                index += 3
            } else if name.equalsCaseInsensitive("overflow") && remaining >= 1 {
                index += 2
            } else {
                return [.rw, .access, .update]
            }
        }
        return [.ro, .access]
    }
}

/// One parsed BITFIELD subcommand: GET, SET or INCRBY of a field, with the OVERFLOW mode in
/// force where it appears.
struct BitFieldOperation {
    enum Kind { case get, set, incrby }
    /// OVERFLOW WRAP (the default), SAT or FAIL.
    enum OverflowMode { case wrap, sat, fail }

    let kind: Kind
    let type: BitFieldType
    /// The field's first bit (bit 0 is the most significant of byte 0).
    let offset: Int64
    /// SET's value or INCRBY's increment; 0 for GET.
    let value: Int64
    let overflow: OverflowMode
}

/// A field type, `i<bits>` (1…64) or `u<bits>` (1…63: an unsigned 64-bit value could not be
/// replied as a RESP integer).
struct BitFieldType {
    let signed: Bool
    let bits: Int

    /// Parses as Redis's `getBitfieldTypeFromArgument`: 'i' or 'u' (lowercase only), then the
    /// width up to the first NUL.
    init?(_ argument: ByteView) {
        guard argument.count > 0 else { return nil }
        switch argument[0] {
        case UInt8(ascii: "i"): signed = true
        case UInt8(ascii: "u"): signed = false
        default: return nil
        }
        let digits = ByteView(base: argument.base + 1, count: argument.count - 1).cStringPrefix
        guard let width = RedisInteger.parse(digits), width >= 1, width <= (signed ? 64 : 63) else { return nil }
        bits = Int(width)
    }
}
