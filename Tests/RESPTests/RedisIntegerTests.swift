import RESP
import Testing

/// `RedisInteger.parse` is Redis's `string2ll`; the accept/reject table below is what Redis 7.0.15
/// answered to `INCRBY k <text>` on a key holding 0 (the value, or "value is not an integer or
/// out of range"). `format` must print exactly the canonical text `parse` accepts.
@Suite struct RedisIntegerTests {
    static func parse(_ text: [UInt8]) -> Int64? {
        text.withUnsafeBytes { RedisInteger.parse($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: $0.count) }
    }

    static func format(_ value: Int64) -> String {
        var scratch = [UInt8](repeating: 0, count: 24)
        let length = scratch.withUnsafeMutableBytes { RedisInteger.format(value, into: $0.baseAddress!) }
        return String(decoding: scratch[0..<length], as: UTF8.self)
    }

    static let table: [(String, Int64?)] = [
        ("0", 0), ("1", 1), ("-1", -1), ("9", 9), ("10", 10),
        ("9223372036854775807", .max), ("-9223372036854775808", .min),
        ("-9223372036854775807", -9_223_372_036_854_775_807), ("-1234567890123456789", -1_234_567_890_123_456_789),
        ("-0", nil), ("+1", nil), ("01", nil), ("00", nil), ("-01", nil), (" 1", nil), ("1 ", nil),
        ("", nil), ("-", nil), ("--1", nil), ("1a", nil), ("a1", nil), ("1.0", nil), ("1e3", nil), ("0x10", nil),
        ("\u{0}1", nil), ("1\u{0}", nil),
        ("9223372036854775808", nil), ("-9223372036854775809", nil),
        ("12345678901234567890", nil), ("-12345678901234567890", nil),  // 20 and 21 bytes, overflow
        ("18446744073709551615", nil), ("18446744073709551616", nil), ("99999999999999999999", nil),
        ("123456789012345678901", nil), ("00000000000000000001", nil),
    ]

    @Test(arguments: table.indices)
    func parseMatchesRedis(_ index: Int) {
        let (text, expected) = Self.table[index]
        #expect(Self.parse(bytes(text)) == expected, "\(text.debugDescription)")
    }

    /// The grammar, said another way: exactly the texts `String(Int64)` prints.
    static func isCanonical(_ text: [UInt8]) -> Int64? {
        guard let value = Int64(String(decoding: text, as: UTF8.self)) else { return nil }
        return bytes(String(value)) == text ? value : nil
    }

    /// Every string of up to two bytes, all 65,793 of them.
    @Test func everyShortString() {
        #expect(Self.parse([]) == nil)
        var mismatches: [[UInt8]] = []
        for a in 0...255 {
            let one = [UInt8(a)]
            if Self.parse(one) != Self.isCanonical(one) { mismatches.append(one) }
            for b in 0...255 {
                let two = [UInt8(a), UInt8(b)]
                if Self.parse(two) != Self.isCanonical(two) { mismatches.append(two) }
            }
        }
        #expect(mismatches == [])
    }

    /// Every string of up to four bytes over the characters that matter to the grammar.
    @Test func everyStringOverTheInterestingAlphabet() {
        let alphabet = bytes("-+0159 a\u{0}")
        var mismatches: [[UInt8]] = []
        var strings: [[UInt8]] = [[]]
        for _ in 1...4 {
            strings = strings.flatMap { prefix in alphabet.map { prefix + [$0] } }
            for text in strings where Self.parse(text) != Self.isCanonical(text) { mismatches.append(text) }
        }
        #expect(mismatches == [])
    }

    /// Around every power of ten and the Int64 limits: the longest valid texts and their
    /// one-past neighbours.
    @Test func boundariesOfEveryLength() {
        var value: Int64 = 1
        while true {
            for candidate in [value - 1, value, value + 1, -(value - 1), -value, -(value + 1)] {
                #expect(Self.parse(bytes(String(candidate))) == candidate)
            }
            let (next, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow { break }
            value = next
        }
        #expect(Self.parse(bytes("1" + String(repeating: "0", count: 19))) == nil)  // 10^19
        #expect(Self.parse(bytes("-1" + String(repeating: "0", count: 19))) == nil)
    }

    @Test func parseAByteView() {
        var text = bytes("-42")
        let value = text.withUnsafeMutableBytes { RedisInteger.parse(ByteView(base: $0.baseAddress!, count: 3)) }
        #expect(value == -42)
    }

    @Test(arguments: [Int64.min, .min + 1, -1_000_000_000_000_000_000, -10, -9, -1, 0, 1, 9, 10, 99, 100,
                      4_294_967_296, 1_000_000_000_000_000_000, .max - 1, .max])
    func formatRoundTrips(_ value: Int64) {
        let text = Self.format(value)
        #expect(text == String(value))
        #expect(Self.parse(bytes(text)) == value)
    }

    /// Every digit count's boundaries (10^k - 1, 10^k, 10^k + 1), both signs: `digitCount`
    /// and the two-digits-at-a-time writer agree with Swift's own decimal text.
    @Test func formatMatchesDecimalTextAtEveryDigitCount() {
        var power: Int64 = 1
        for _ in 0..<19 {
            for value in [power - 1, power, power + 1, power * 2 - 1] {
                #expect(Self.format(value) == String(value))
                #expect(Self.format(-value) == String(-value))
                #expect(RedisInteger.digitCount(UInt64(value)) == String(value).count)
                #expect(RedisInteger.decimalLength(of: -value) == String(-value).count)
            }
            if power > Int64.max / 10 { break }
            power *= 10
        }
        #expect(RedisInteger.digitCount(.max) == 20)
        #expect(RedisInteger.digitCount(10_000_000_000_000_000_000) == 20)
        #expect(RedisInteger.digitCount(9_999_999_999_999_999_999) == 19)
    }

    /// Numbers below 100 take `format`'s one-or-two-store path; the ones around it do not.
    @Test func formatWritesEverySmallNumberAsDecimalText() {
        for value in Int64(-120)...120 {
            #expect(Self.format(value) == String(value))
        }
    }

    /// `format` writes at most 20 bytes (Int64.min), never more than the caller's 20.
    @Test func formatWritesOnlyItsDigits() {
        var scratch = [UInt8](repeating: 0xEE, count: 32)
        let length = scratch.withUnsafeMutableBytes { RedisInteger.format(.min, into: $0.baseAddress!) }
        #expect(length == 20)
        #expect(scratch[20...].allSatisfy { $0 == 0xEE })
    }
}
