#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import RESP

/// Text ⇄ `long double` exactly as Redis converts them for INCRBYFLOAT (and later HINCRBYFLOAT):
/// `string2ld` (C's `strtold`, strict about what surrounds the number) and `ld2string` in its
/// human-friendly mode (`%.17Lf`, trailing zeros removed).
///
/// Why C's functions and `Float80`: Redis computes in x87 extended precision and prints with
/// glibc, and replies must match digit for digit ("3010.60000000000000009" after 10.6 + 3.0e3);
/// Swift's own parsing and printing work in `Double` and round differently.
enum LongDoubleText {
    /// Redis's `MAX_LONG_DOUBLE_CHARS`: longer inputs are refused, and every printed finite value
    /// (at most 4933 integer digits, a point and 17 decimals) fits.
    static let maximumLength = 5 * 1024

    /// Parses `text` as Redis's `string2ld`: the whole text must be a number for `strtold`, with
    /// no leading space; NaN and values that overflow or underflow to zero are refused
    /// ("inf" itself is accepted). nil when not a valid float.
    static func parse(_ text: ByteView) -> Float80? {
        if text.count == 0 || text.count >= maximumLength { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: text.count + 1) { buffer in
            let start = buffer.baseAddress!
            UnsafeMutableRawPointer(start).copyMemory(from: text.base, byteCount: text.count)
            start[text.count] = 0
            if isspace(Int32(UInt8(bitPattern: start[0]))) != 0 { return nil }
            errno = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let value = strtold(start, &end)
            let failedRange = errno == ERANGE && (value.isInfinite || value == 0)
            guard let end, end.pointee == 0, end - start == text.count, !failedRange, errno != EINVAL,
                !value.isNaN
            else { return nil }
            return value
        }
    }

    /// Prints `value` (finite) as Redis's `ld2string` with `LD_STR_HUMAN`: `%.17Lf`, then the
    /// trailing zeros of the fraction and a bare point removed, and "-0" written "0".
    /// `body` gets the text, valid only during the call.
    static func withHumanFriendlyText<R>(_ value: Float80, _ body: (ByteView) -> R) -> R {
        precondition(value.isFinite, "ld2string human mode of \(value)")
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: maximumLength) { buffer in
            let start = buffer.baseAddress!
            var length = Int(withVaList([value]) { vsnprintf(start, maximumLength, "%.17Lf", $0) })
            precondition(length > 0 && length < maximumLength, "%.17Lf printed \(length) bytes")
            if memchr(start, Int32(UInt8(ascii: ".")), length) != nil {
                while start[length - 1] == CChar(UInt8(ascii: "0")) { length -= 1 }
                if start[length - 1] == CChar(UInt8(ascii: ".")) { length -= 1 }
            }
            if length == 2 && start[0] == CChar(UInt8(ascii: "-")) && start[1] == CChar(UInt8(ascii: "0")) {
                start[0] = CChar(UInt8(ascii: "0"))
                length = 1
            }
            return body(ByteView(base: start, count: length))
        }
    }
}
