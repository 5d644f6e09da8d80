/// Redis's strict integer grammar (`string2ll` in Redis's util.c), shared by the wire parser and
/// every command that takes an integer argument.
///
/// Why not `Int(String)`: Redis rejects what Swift accepts ("+1", "007", " 1", "-0") and
/// the error a client sees depends on exactly that grammar. Accepted: "0", or an optional '-'
/// followed by a digit 1-9 and more digits, fewer than 21 bytes, fitting in Int64.
public enum RedisInteger {
    /// Longest accepted text, exclusive (Redis's `LONG_STR_SIZE`).
    static let maximumLength = 21

    /// Parses `count` bytes at `start`; nil when they are not a Redis integer. One or two
    /// digits (RESP's counts and lengths: "*3", "$64") are decided inline where the caller is;
    /// anything else takes a call.
    @inlinable @inline(__always)
    public static func parse(_ start: UnsafeRawPointer, count: Int) -> Int64? {
        let p = start.assumingMemoryBound(to: UInt8.self)
        if count == 1 {
            let digit = p[0] &- UInt8(ascii: "0")
            return digit <= 9 ? Int64(digit) : nil
        }
        if count == 2 {
            let tens = p[0] &- UInt8(ascii: "0"), ones = p[1] &- UInt8(ascii: "0")
            if tens >= 1 && tens <= 9 && ones <= 9 { return Int64(tens) * 10 + Int64(ones) }
        }
        return parseAnyNumber(start, count: count)
    }

    /// `parse` for text that is not one or two digits: signs, longer numbers, and everything
    /// to reject. Never a single byte (`parse` decides those, "0" included).
    @inlinable @inline(never)
    static func parseAnyNumber(_ start: UnsafeRawPointer, count: Int) -> Int64? {
        if count <= 1 || count >= 21 { return nil }
        let p = start.assumingMemoryBound(to: UInt8.self)
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

    /// A plainly written count or length of a RESP header at `position` — "0", or one to nine
    /// digits not starting with 0 — and the CR LF after it, moving past both; nil for anything
    /// else (a sign, a leading zero, more digits, a missing LF, too few bytes before `end`).
    /// Looks at no more than ten bytes before the CR LF. For one-pass walks over whole frames
    /// (`RequestPeek`, `RequestParser`), which leave anything unusual to the full parser.
    @inline(__always)
    static func parseHeaderNumber(_ base: UnsafeRawPointer, end: Int, at position: inout Int) -> Int? {
        // One digit, as in most counts and command names: no loop.
        if end &- position >= 3 && base.loadUnaligned(fromByteOffset: position &+ 1, as: UInt16.self) == UInt16(0x0A0D).littleEndian {
            let digit = base.load(fromByteOffset: position, as: UInt8.self) &- UInt8(ascii: "0")
            guard digit <= 9 else { return nil }
            position &+= 3
            return Int(digit)
        }
        let limit = min(end, position &+ 10)
        var index = position
        var value = 0
        while index < limit {
            let digit = base.load(fromByteOffset: index, as: UInt8.self) &- UInt8(ascii: "0")
            if digit > 9 { break }
            value = value &* 10 &+ Int(digit)
            index &+= 1
        }
        let digits = index &- position
        guard digits >= 1, digits <= 9, end &- index >= 2,
            base.load(fromByteOffset: index, as: UInt8.self) == 13,
            base.load(fromByteOffset: index &+ 1, as: UInt8.self) == 10,
            digits == 1 || base.load(fromByteOffset: position, as: UInt8.self) != UInt8(ascii: "0")
        else { return nil }
        position = index &+ 2
        return value
    }

    /// Writes the decimal form of `value` into `buffer` (at least 20 bytes) and returns the
    /// number of bytes written. No allocation and no copy: the digits go straight to their place
    /// (the reply writer's and the load generator's hot paths use it). Lengths in headers
    /// ("$64", "*3") are nearly always below 100: one or two stores, inlined where they are
    /// written; other numbers take a call.
    @inlinable @inline(__always)
    public static func format(_ value: Int64, into buffer: UnsafeMutableRawPointer) -> Int {
        if value >= 0 && value < 100 {
            if value < 10 {
                buffer.storeBytes(of: UInt8(truncatingIfNeeded: value) &+ UInt8(ascii: "0"), as: UInt8.self)
                return 1
            }
            let pair = UnsafeRawPointer(digitPairs.utf8Start).loadUnaligned(fromByteOffset: Int(value) * 2, as: UInt16.self)
            buffer.storeBytes(of: pair, as: UInt16.self)
            return 2
        }
        return formatAnyNumber(value, into: buffer)
    }

    /// `format` for numbers that are negative or have three digits or more.
    @inlinable @inline(never)
    static func formatAnyNumber(_ value: Int64, into buffer: UnsafeMutableRawPointer) -> Int {
        let magnitude = value.magnitude
        let digits = digitCount(magnitude)
        if value < 0 {
            buffer.storeBytes(of: UInt8(ascii: "-"), as: UInt8.self)
            writeDigits(magnitude, count: digits, into: buffer + 1)
            return digits + 1
        }
        writeDigits(magnitude, count: digits, into: buffer)
        return digits
    }

    /// How many bytes `format` writes for `value`: its digits and, when negative, the sign.
    @inlinable
    public static func decimalLength(of value: Int64) -> Int {
        digitCount(value.magnitude) + (value < 0 ? 1 : 0)
    }

    /// How many decimal digits `value` has (1 for 0): lets a writer put a length header before
    /// digits it has not written yet. A tree of comparisons for up to ten digits (key ids,
    /// lengths, counters: three or four branches, no loop), counting on from there.
    @inlinable @inline(__always)
    public static func digitCount(_ value: UInt64) -> Int {
        if value < 10_000_000_000 {
            if value < 100_000 {
                if value < 100 { return value < 10 ? 1 : 2 }
                return value < 1_000 ? 3 : (value < 10_000 ? 4 : 5)
            }
            if value < 10_000_000 { return value < 1_000_000 ? 6 : 7 }
            return value < 100_000_000 ? 8 : (value < 1_000_000_000 ? 9 : 10)
        }
        var count = 11
        var threshold: UInt64 = 100_000_000_000
        while count < 20 && value >= threshold {
            count += 1
            threshold &*= 10
        }
        return count
    }

    /// Writes exactly `count` (= `digitCount(value)`) digits of `value` at `buffer`, two per
    /// division, from the last one back.
    @inlinable
    public static func writeDigits(_ value: UInt64, count: Int, into buffer: UnsafeMutableRawPointer) {
        let pairs = UnsafeRawPointer(digitPairs.utf8Start)
        var rest = value
        var position = count
        while rest >= 100 {
            position -= 2
            let pair = pairs.loadUnaligned(fromByteOffset: Int(rest % 100) * 2, as: UInt16.self)
            buffer.storeBytes(of: pair, toByteOffset: position, as: UInt16.self)
            rest /= 100
        }
        if rest >= 10 {
            let pair = pairs.loadUnaligned(fromByteOffset: Int(rest) * 2, as: UInt16.self)
            buffer.storeBytes(of: pair, toByteOffset: position - 2, as: UInt16.self)
        } else {
            buffer.storeBytes(of: UInt8(truncatingIfNeeded: rest) &+ UInt8(ascii: "0"), toByteOffset: position - 1, as: UInt8.self)
        }
    }

    /// "00" "01" … "99": the two digits of every number below 100, side by side. A literal, so
    /// it lives in the binary's read-only data (no lazy initialisation on the hot path).
    @inlinable
    static var digitPairs: StaticString {
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
    }
}
