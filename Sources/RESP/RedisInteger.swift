/// Redis's strict integer grammar (`string2ll` in Redis's util.c), shared by the wire parser and
/// every command that takes an integer argument.
///
/// Why not `Int(String)`: Redis rejects what Swift accepts ("+1", "007", " 1", "-0") and
/// the error a client sees depends on exactly that grammar. Accepted: "0", or an optional '-'
/// followed by a digit 1-9 and more digits, fewer than 21 bytes, fitting in Int64.
public enum RedisInteger {
    /// Longest accepted text, exclusive (Redis's `LONG_STR_SIZE`).
    static let maximumLength = 21

    /// Parses `count` bytes at `start`; nil when they are not a Redis integer.
    @inlinable
    public static func parse(_ start: UnsafeRawPointer, count: Int) -> Int64? {
        if count <= 0 || count >= 21 { return nil }
        let p = start.assumingMemoryBound(to: UInt8.self)
        if count == 1 && p[0] == UInt8(ascii: "0") { return 0 }
        var index = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") {
            negative = true
            index = 1
            if index == count { return nil }
        }
        guard p[index] >= UInt8(ascii: "1") && p[index] <= UInt8(ascii: "9") else { return nil }
        var value = UInt64(p[index] &- UInt8(ascii: "0"))
        index += 1
        while index < count {
            let digit = p[index] &- UInt8(ascii: "0")
            guard digit <= 9 else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            if o1 { return nil }
            let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
            if o2 { return nil }
            value = sum
            index += 1
        }
        if negative {
            if value > UInt64(Int64.max) + 1 { return nil }
            return value == UInt64(Int64.max) + 1 ? Int64.min : -Int64(value)
        }
        if value > UInt64(Int64.max) { return nil }
        return Int64(value)
    }

    /// Parses a byte view; see `parse(_:count:)`.
    @inlinable
    public static func parse(_ view: ByteView) -> Int64? {
        parse(view.base, count: view.count)
    }

    /// Writes the decimal form of `value` into `buffer` (at least 20 bytes) and returns the
    /// number of bytes written. No allocation: the reply writer's hot path uses it.
    @inlinable
    public static func format(_ value: Int64, into buffer: UnsafeMutableRawPointer) -> Int {
        var magnitude = value.magnitude
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of stack
        return withUnsafeMutableBytes(of: &scratch) { digits -> Int in
            var position = 24
            repeat {
                position -= 1
                digits[position] = UInt8(truncatingIfNeeded: magnitude % 10) &+ UInt8(ascii: "0")
                magnitude /= 10
            } while magnitude != 0
            if value < 0 {
                position -= 1
                digits[position] = UInt8(ascii: "-")
            }
            let length = 24 - position
            buffer.copyMemory(from: digits.baseAddress! + position, byteCount: length)
            return length
        }
    }
}
