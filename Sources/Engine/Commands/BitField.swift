/// The integer arithmetic of BITFIELD: reading and writing a field of 1…64 bits at any bit
/// offset, and Redis's overflow rules for SET and INCRBY (`checkSignedBitfieldOverflow`,
/// `checkUnsignedBitfieldOverflow` in bitops.c).
///
/// Why apart from the command: the overflow checks reproduce Redis's arithmetic exactly,
/// including its wrap-around corners (SET i8 -9223372036854775808 saturates high, as Redis's
/// `max - value` wraps), which is easiest to see and test as pure functions.
///
/// Field layout: bit 0 is the most significant bit of byte 0, and a field's first bit is its
/// most significant — a field at a byte boundary whose width is a multiple of 8 is big-endian.
/// A field spans at most 9 bytes (7 bits of offset into the first, 64 bits wide).
enum BitField {
    /// What an operation overflowing its field becomes under WRAP or SAT: the wrapped or
    /// saturated value (for unsigned fields, the bit pattern of a UInt64). Under FAIL, the
    /// operation is refused and `limit` unused.
    struct Overflow {
        let limit: Int64
    }

    /// The `bits`-wide field at bit `offset`, unsigned; bytes past the end of `bytes` read as 0.
    static func read(_ bytes: UnsafeRawBufferPointer, offset: Int64, bits: Int) -> UInt64 {
        assert(bits >= 1 && bits <= 64 && offset >= 0, "field of \(bits) bits at \(offset)")
        let first = Int(offset >> 3)
        let shift = Int(offset & 7)
        var window: UInt64 = 0
        for index in first..<first + 8 {
            window = window << 8 | UInt64(index < bytes.count ? bytes[index] : 0)
        }
        let next = first + 8 < bytes.count ? UInt64(bytes[first + 8]) : 0
        // The 64 bits starting at `shift` in the 72-bit window `window:next`.
        let top = shift == 0 ? window : window << UInt64(shift) | next >> UInt64(8 - shift)
        return top >> UInt64(64 - bits)
    }

    /// Writes the low `bits` bits of `value` as the field at bit `offset`; `bytes` must reach
    /// the field's last bit. The bits around the field are kept.
    static func write(_ bytes: UnsafeMutableRawBufferPointer, offset: Int64, bits: Int, value: UInt64) {
        assert(bits >= 1 && bits <= 64 && offset >= 0, "field of \(bits) bits at \(offset)")
        precondition(offset + Int64(bits) <= Int64(bytes.count) * 8, "field of \(bits) bits at \(offset) past \(bytes.count) bytes")
        let first = Int(offset >> 3)
        let shift = Int(offset & 7)
        let fieldMask: UInt64 = bits == 64 ? ~0 : (1 << UInt64(bits)) - 1
        let field = value & fieldMask
        // The part inside the first 8 bytes: the field moved to the top, then right by `shift`.
        let windowMask = (fieldMask << UInt64(64 - bits)) >> UInt64(shift)
        let windowBits = (field << UInt64(64 - bits)) >> UInt64(shift)
        for index in 0..<8 where first + index < bytes.count {
            let shiftOut = UInt64(56 - 8 * index)
            let mask = UInt8(truncatingIfNeeded: windowMask >> shiftOut)
            if mask == 0 { continue }
            let byte = UInt8(truncatingIfNeeded: windowBits >> shiftOut)
            bytes[first + index] = bytes[first + index] & ~mask | byte
        }
        // A field reaching past the window ends in the top `spill` bits of the ninth byte.
        let spill = shift + bits - 64
        if spill > 0 {
            let mask = UInt8(truncatingIfNeeded: 0xFF00 >> spill)
            let byte = UInt8(truncatingIfNeeded: field << UInt64(8 - spill))
            bytes[first + 8] = bytes[first + 8] & ~mask | byte
        }
    }

    /// A `bits`-wide two's-complement field as an Int64.
    static func signExtend(_ field: UInt64, bits: Int) -> Int64 {
        guard bits < 64, field & (1 << UInt64(bits - 1)) != 0 else { return Int64(bitPattern: field) }
        return Int64(bitPattern: field | ~0 << UInt64(bits))
    }

    /// nil when `value + increment` fits an unsigned field of `bits` bits (`value` itself may
    /// not: SET checks its argument with a zero increment); otherwise what it becomes under
    /// `mode`. Redis's arithmetic, wrap-arounds included.
    static func unsignedOverflow(
        _ value: UInt64, adding increment: Int64, bits: Int, _ mode: BitFieldOperation.OverflowMode
    ) -> Overflow? {
        let max: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        let maxIncrement = Int64(bitPattern: max &- value)
        let minIncrement = Int64(bitPattern: 0 &- value)
        let wrapped = Int64(bitPattern: (value &+ UInt64(bitPattern: increment)) & max)
        if value > max || (increment > 0 && increment > maxIncrement) {
            return Overflow(limit: mode == .sat ? Int64(bitPattern: max) : wrapped)
        }
        if increment < 0 && increment < minIncrement {
            return Overflow(limit: mode == .sat ? 0 : wrapped)
        }
        return nil
    }

    /// nil when `value + increment` fits a signed field of `bits` bits; otherwise what it
    /// becomes under `mode`. Redis's arithmetic, wrap-arounds included.
    static func signedOverflow(
        _ value: Int64, adding increment: Int64, bits: Int, _ mode: BitFieldOperation.OverflowMode
    ) -> Overflow? {
        let max: Int64 = bits == 64 ? .max : (1 << Int64(bits - 1)) - 1
        let min = -max - 1
        let maxIncrement = Int64(bitPattern: UInt64(bitPattern: max) &- UInt64(bitPattern: value))
        let minIncrement = min &- value
        var sum = UInt64(bitPattern: value) &+ UInt64(bitPattern: increment)
        if bits < 64 {
            let high: UInt64 = ~0 << UInt64(bits)
            sum = sum & (1 << UInt64(bits - 1)) != 0 ? sum | high : sum & ~high
        }
        let wrapped = Int64(bitPattern: sum)
        if value > max || (bits != 64 && increment > maxIncrement)
            || (value >= 0 && increment > 0 && increment > maxIncrement) {
            return Overflow(limit: mode == .sat ? max : wrapped)
        }
        if value < min || (bits != 64 && increment < minIncrement)
            || (value < 0 && increment < 0 && increment < minIncrement) {
            return Overflow(limit: mode == .sat ? min : wrapped)
        }
        return nil
    }
}
