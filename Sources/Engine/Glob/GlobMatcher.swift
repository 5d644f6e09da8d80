import RESP

/// Redis's glob-style pattern matching (`stringmatchlen` in Redis's `util.c`), used by KEYS,
/// SCAN MATCH and CONFIG GET. Why not a regex or `fnmatch`: clients rely on Redis's exact quirks,
/// and the answer for odd patterns must be the same byte for byte.
///
/// The grammar:
/// - `*` any run of bytes (consecutive stars count as one), `?` any one byte;
/// - `[abc]` one of the bytes, `[^abc]` none of them, `[a-z]` a range (ends may come in either
///   order), `\x` inside a class the byte `x`; an unclosed `[` ends the class at the pattern's end;
/// - `\x` the byte `x` literally (a trailing `\` matches a backslash);
/// - anything else matches itself; with `caseInsensitive`, ASCII letters match either case.
///
/// Quirks kept on purpose: range ends and the subject byte compare as C's signed `char`, so
/// 0x80…0xFF sort below 0x00 and `[a-\xff]` means -1…97 (0x00…0x61 and 0xFF); `*` alone does
/// not match the empty string (KEYS and SCAN skip matching for `*`); and a pattern
/// whose stars nest more than 1000 deep matches nothing (Redis's guard against abusive patterns).
/// Matching never allocates: the pattern and subject are borrowed for the call.
public struct GlobMatcher {
    /// Redis's limit on `*` recursion depth; deeper patterns do not match.
    static let maximumNesting = 1000

    public let pattern: ByteView
    public let caseInsensitive: Bool

    /// A matcher for `pattern`, which must stay valid while the matcher is used.
    @inlinable
    public init(pattern: ByteView, caseInsensitive: Bool = false) {
        self.pattern = pattern
        self.caseInsensitive = caseInsensitive
    }

    /// True when the pattern is exactly `*`: callers skip matching altogether, as Redis does.
    public var matchesEverything: Bool { pattern.count == 1 && pattern[0] == UInt8(ascii: "*") }

    /// Whether `subject` matches the whole pattern.
    public func matches(_ subject: ByteView) -> Bool {
        var skipLongerMatches = false
        return Self.match(
            pattern: pattern.bytes, subject: subject.bytes, caseInsensitive: caseInsensitive,
            skipLongerMatches: &skipLongerMatches, nesting: 0)
    }

    /// Whether `subject` matches the whole pattern (names held in arrays, such as config names).
    public func matches(_ subject: [UInt8]) -> Bool {
        subject.withUnsafeBytes { raw in
            var skipLongerMatches = false
            return Self.match(
                pattern: pattern.bytes, subject: raw, caseInsensitive: caseInsensitive,
                skipLongerMatches: &skipLongerMatches, nesting: 0)
        }
    }

    /// The matching loop, step for step as Redis's `stringmatchlen_impl`. `skipLongerMatches`
    /// records that the rest of the pattern after a star matched nowhere in the remaining
    /// subject, so enclosing stars need not try longer runs (this bounds the work to
    /// O(pattern × subject)).
    private static func match(
        pattern: UnsafeRawBufferPointer, subject: UnsafeRawBufferPointer, caseInsensitive: Bool,
        skipLongerMatches: inout Bool, nesting: Int
    ) -> Bool {
        if nesting > maximumNesting { return false }
        var p = 0  // index into pattern
        var s = 0  // index into subject
        let patternEnd = pattern.count
        let subjectEnd = subject.count
        /// The pattern byte at `index`, or 0 past its end (Redis reads the string's terminator).
        func byte(_ index: Int) -> UInt8 { index < patternEnd ? pattern[index] : 0 }

        while p < patternEnd && s < subjectEnd {
            switch pattern[p] {
            case UInt8(ascii: "*"):
                while p < patternEnd && byte(p + 1) == UInt8(ascii: "*") { p += 1 }
                if p == patternEnd - 1 { return true }
                while s < subjectEnd {
                    let rest = UnsafeRawBufferPointer(rebasing: pattern[(p + 1)...])
                    let tail = UnsafeRawBufferPointer(rebasing: subject[s...])
                    if match(
                        pattern: rest, subject: tail, caseInsensitive: caseInsensitive,
                        skipLongerMatches: &skipLongerMatches, nesting: nesting + 1)
                    {
                        return true
                    }
                    if skipLongerMatches { return false }
                    s += 1
                }
                skipLongerMatches = true
                return false
            case UInt8(ascii: "?"):
                s += 1
            case UInt8(ascii: "["):
                p += 1
                let negated = byte(p) == UInt8(ascii: "^")
                if negated { p += 1 }
                let c = subject[s]
                var matched = false
                while true {
                    if byte(p) == UInt8(ascii: "\\") && patternEnd - p >= 2 {
                        p += 1
                        if pattern[p] == c { matched = true }
                    } else if byte(p) == UInt8(ascii: "]") {
                        break
                    } else if p == patternEnd {
                        p -= 1
                        break
                    } else if patternEnd - p >= 3 && pattern[p + 1] == UInt8(ascii: "-") {
                        var start = signedChar(pattern[p])
                        var end = signedChar(pattern[p + 2])
                        var value = signedChar(c)
                        if start > end { swap(&start, &end) }
                        if caseInsensitive {
                            start = lowercased(start)
                            end = lowercased(end)
                            value = lowercased(value)
                        }
                        p += 2
                        if value >= start && value <= end { matched = true }
                    } else if equal(pattern[p], c, caseInsensitive) {
                        matched = true
                    }
                    p += 1
                }
                if negated { matched.toggle() }
                if !matched { return false }
                s += 1
            default:
                if pattern[p] == UInt8(ascii: "\\") && patternEnd - p >= 2 { p += 1 }
                if !equal(pattern[p], subject[s], caseInsensitive) { return false }
                s += 1
            }
            p += 1
            if s == subjectEnd {
                while p < patternEnd && pattern[p] == UInt8(ascii: "*") { p += 1 }
                break
            }
        }
        return p == patternEnd && s == subjectEnd
    }

    /// The byte as C's `char` on x86-64, where it is signed: Redis compares range ends that way.
    /// (On ARM64 Linux `char` is unsigned and Redis answers differently; x86-64 is the reference.)
    @inline(__always)
    private static func signedChar(_ byte: UInt8) -> Int { Int(Int8(bitPattern: byte)) }

    /// C's `tolower` in the C locale: only `A`…`Z` change.
    @inline(__always)
    private static func lowercased(_ value: Int) -> Int {
        (value >= 65 && value <= 90) ? value | 0x20 : value
    }

    @inline(__always)
    private static func equal(_ a: UInt8, _ b: UInt8, _ caseInsensitive: Bool) -> Bool {
        if !caseInsensitive { return a == b }
        return lowercased(Int(a)) == lowercased(Int(b))
    }
}
