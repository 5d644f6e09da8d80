import Engine
import RESP
import Testing

/// Redis's glob matching, case by case. Every case-sensitive answer was checked with KEYS
/// against Redis 7.0 (one key, one pattern); case-insensitive ones with CONFIG GET.
@Suite struct GlobMatcherTests {
    /// (pattern, subject, matches)
    static let caseSensitive: [(String, String, Bool)] = [
        ("*", "", false), ("**", "", false), ("", "", true), ("a*", "a", true), ("a**", "a", true),
        ("*", "abc", true), ("a*c", "abc", true), ("a*c", "ac", true), ("a*c", "abd", false),
        ("*b*", "abc", true), ("*a*b*c*", "aXbYc", true), ("*a*b*c*", "acb", false),
        ("?", "a", true), ("?", "", false), ("??", "a", false), ("a?c", "abc", true), ("*?", "a", true),
        ("abc", "ABC", false), ("h[ae]llo", "hello", true), ("h[ae]llo", "hallo", true),
        ("h[ae]llo", "hillo", false), ("h[^e]llo", "hallo", true), ("h[^e]llo", "hello", false),
        ("h[a-b]llo", "hbllo", true), ("h[a-b]llo", "hcllo", false), ("h[b-a]llo", "hallo", true),
        ("[a-]", "-", false), ("[a-]", "a", true), ("[-a]", "-", true), ("[]", "]", false),
        ("[]]", "]", false), ("[", "[", false), ("[a", "a", true), ("[ab", "b", true), ("[ab", "c", false),
        ("[^", "a", true), ("x[a", "xa", true), ("[a-", "a", true), ("[a-", "-", true), ("[a-", "b", false),
        ("[\\]]", "]", true), ("[\\-]", "-", true), ("[a\\", "\\", true), ("[a\\", "a", true),
        ("\\*", "*", true), ("\\*", "a", false), ("\\?", "?", true), ("\\[a]", "[a]", true),
        ("a\\", "a\\", true), ("\\", "\\", true), ("\\a", "a", true), ("a\\*b", "a*b", true),
        ("a\\*b", "axb", false), ("[*]", "*", true), ("[?]", "a", false), ("[^a-z]", "A", true),
        ("[^a-z]", "q", false), ("[A-Z]", "a", false), ("*[0-9]", "key7", true), ("*[0-9]", "key", false),
        ("user:*:name", "user:42:name", true), ("user:*:name", "user:42:mail", false),
        ("*a", "aaaa", true), ("a*a*a", "aa", false), ("a*a*a", "aaa", true), ("*.*", "a.b.c", true),
    ]

    @Test func caseSensitiveMatching() {
        for (pattern, subject, expected) in Self.caseSensitive {
            #expect(matches(pattern, subject) == expected, "pattern \(pattern) subject \(subject)")
        }
    }

    /// Range ends compare as x86-64's signed `char`: 0x80…0xFF sort below 0x00, so `[a-\xff]`
    /// is the range -1…97: the bytes 0x00…0x61 and 0xFF.
    @Test func highBytesCompareAsSignedChars() {
        #expect(matches(bytes: [UInt8(ascii: "["), 0x61, UInt8(ascii: "-"), 0xFF, UInt8(ascii: "]")], [0x30]))
        #expect(matches(bytes: [UInt8(ascii: "["), 0x61, UInt8(ascii: "-"), 0xFF, UInt8(ascii: "]")], [0xFF]))
        #expect(!matches(bytes: [UInt8(ascii: "["), 0x61, UInt8(ascii: "-"), 0xFF, UInt8(ascii: "]")], [0x80]))
        #expect(!matches(bytes: [UInt8(ascii: "["), 0x61, UInt8(ascii: "-"), 0xFF, UInt8(ascii: "]")], [0x62]))
        #expect(matches(bytes: [UInt8(ascii: "["), 0x80, UInt8(ascii: "-"), 0xFF, UInt8(ascii: "]")], [0xC0]))
        #expect(!matches(bytes: [UInt8(ascii: "["), 0x80, UInt8(ascii: "-"), 0xFF, UInt8(ascii: "]")], [0x7F]))
        #expect(matches(bytes: [UInt8(ascii: "?"), 0xE9], [0x00, 0xE9]))
        #expect(matches(bytes: [UInt8(ascii: "*"), 0x00], [0x61, 0x00]))
    }

    @Test func caseInsensitiveMatching() {
        #expect(matches("MAXMEM*", "maxmemory", caseInsensitive: true))
        #expect(matches("maxmemory", "MaxMemory", caseInsensitive: true))
        #expect(matches("[L-M]axmemory", "maxmemory", caseInsensitive: true))
        #expect(matches("[l-m]AXMEMORY", "Maxmemory", caseInsensitive: true))
        #expect(matches("[M]axmemory", "maxmemory", caseInsensitive: true))
        #expect(!matches("[\\M]axmemory", "maxmemory", caseInsensitive: true))
        #expect(matches("\\Maxmemor?", "maxmemory", caseInsensitive: true))
        #expect(matches("maxmemory-polic[X-Z]", "maxmemory-policy", caseInsensitive: true))
        #expect(!matches("[^M]axmemory", "maxmemory", caseInsensitive: true))
        #expect(!matches("MAXMEM*", "maxmemory"))
    }

    /// Stars nested more than 1000 deep match nothing; consecutive stars count once.
    @Test func nestingLimit() {
        let subject = String(repeating: "a", count: 2000)
        #expect(matches(String(repeating: "*a", count: 1000), subject))
        #expect(!matches(String(repeating: "*a", count: 1001), subject))
        #expect(matches(String(repeating: "*", count: 5000) + "ab", "ab"))
    }

    /// The early exit keeps hostile patterns fast (Redis's CVE-2022-36021 fix).
    @Test func pathologicalPatternFinishes() {
        let pattern = String(repeating: "a*", count: 40) + "b"
        #expect(!matches(pattern, String(repeating: "a", count: 200)))
    }

    @Test func matchesEverything() {
        #expect(GlobMatcherTests.matcher("*") { $0.matchesEverything })
        #expect(!GlobMatcherTests.matcher("**") { $0.matchesEverything })
        #expect(!GlobMatcherTests.matcher("a") { $0.matchesEverything })
    }

    private func matches(_ pattern: String, _ subject: String, caseInsensitive: Bool = false) -> Bool {
        matches(bytes: Array(pattern.utf8), Array(subject.utf8), caseInsensitive: caseInsensitive)
    }

    private func matches(bytes pattern: [UInt8], _ subject: [UInt8], caseInsensitive: Bool = false) -> Bool {
        pattern.withUnsafeBytes { raw in
            let view = ByteView(base: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: raw.count)
            return GlobMatcher(pattern: view, caseInsensitive: caseInsensitive).matches(subject)
        }
    }

    private static func matcher<R>(_ pattern: String, _ body: (GlobMatcher) -> R) -> R {
        Array(pattern.utf8).withUnsafeBytes { raw in
            body(GlobMatcher(pattern: ByteView(base: raw.baseAddress!, count: raw.count)))
        }
    }
}
