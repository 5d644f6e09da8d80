/// Unsigned LEB128 lengths inside records: 7 bits a byte, high bit = "more follows".
///
/// Why: a key or value length under 128 costs one byte instead of four. A field may be written
/// wider than needed (padding with continuation bytes, which LEB128 allows) so a raw string's
/// length can change in place without moving the bytes after it. Pure functions over memory
/// the caller owns.
enum VarInt {
    /// Bytes needed for `value`.
    @inline(__always)
    static func width(_ value: Int) -> Int {
        var width = 1
        var rest = value >> 7
        while rest != 0 {
            width += 1
            rest >>= 7
        }
        return width
    }

    /// Writes `value` in exactly `width` bytes (at least `width(value)`); returns `width`.
    @inline(__always)
    @discardableResult
    static func write(_ value: Int, width: Int, at start: UnsafeMutableRawPointer) -> Int {
        assert(width >= VarInt.width(value), "varint \(value) does not fit \(width) bytes")
        var rest = UInt(value)
        for offset in 0..<(width - 1) {
            start.storeBytes(of: UInt8(truncatingIfNeeded: rest & 0x7F) | 0x80, toByteOffset: offset, as: UInt8.self)
            rest >>= 7
        }
        start.storeBytes(of: UInt8(truncatingIfNeeded: rest), toByteOffset: width - 1, as: UInt8.self)
        return width
    }

    /// Reads a value; returns it and the number of bytes it occupied.
    @inline(__always)
    static func read(_ start: UnsafeRawPointer) -> (value: Int, width: Int) {
        let first = start.load(as: UInt8.self)
        if first < 0x80 { return (Int(first), 1) }
        var value = Int(first & 0x7F)
        var shift = 7
        var offset = 1
        while true {
            let byte = start.load(fromByteOffset: offset, as: UInt8.self)
            value |= Int(byte & 0x7F) << shift
            offset += 1
            if byte < 0x80 { return (value, offset) }
            shift += 7
        }
    }
}
