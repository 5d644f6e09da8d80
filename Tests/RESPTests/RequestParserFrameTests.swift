import RESP
import Testing

/// Well-formed requests: every frame kind, split at every byte offset and fed a byte at a time,
/// and long pipelines in many chunkings. Inline expectations were checked against Redis 7.0.15
/// (`ECHO` of the argument over a raw socket).
@Suite struct RequestParserFrameTests {
    /// One frame each and its arguments (nil: a frame with no command). A parser must consume
    /// exactly the whole frame.
    static let samples: [(String, [[UInt8]]?)] = [
        ("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n", ["SET", "k", "value"].map(bytes)),
        ("*1\r\n$4\r\nPING\r\n", ["PING"].map(bytes)),
        ("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", ["ECHO", ""].map(bytes)),
        ("*2\r\n$4\r\nECHO\r\n$4\r\na\r\nb\r\n", ["ECHO", "a\r\nb"].map(bytes)),
        ("*1\r\n$11\r\n$3\r\n*1\r\nabc\r\n", ["$3\r\n*1\r\nabc"].map(bytes)),
        // Redis reads the byte after CR without checking it is LF, and skips the two bytes after
        // a payload unchecked.
        ("*1\rx$4\r\nPING\r\n", ["PING"].map(bytes)),
        ("*1\r\n$4\rxPINGxx", ["PING"].map(bytes)),
        ("*0\r\n", nil),
        ("*-1\r\n", nil),
        ("*-2147483649\r\n", nil),
        ("PING\r\n", ["PING"].map(bytes)),
        ("PING\n", ["PING"].map(bytes)),
        ("\r\n", nil),
        ("\n", nil),
        ("   \t \r\n", nil),
        ("  SET  k\t v  \r\n", ["SET", "k", "v"].map(bytes)),
        ("ECHO \"a\\x41\\x4g\\n\"\r\n", ["ECHO", "aAx4g\n"].map(bytes)),
        ("ECHO \"\\n\\r\\t\\b\\a\\\\\\\"\"\r\n", ["ECHO", "\n\r\t\u{8}\u{7}\\\""].map(bytes)),
        ("ECHO \"\\xff\\x00\\xAb\"\n", [bytes("ECHO"), [0xFF, 0x00, 0xAB]]),
        ("ECHO 'it\\'s'\r\n", ["ECHO", "it's"].map(bytes)),
        ("ECHO 'a\\nb'\r\n", ["ECHO", "a\\nb"].map(bytes)),
        ("ECHO \"a\\\"b\"\r\n", ["ECHO", "a\"b"].map(bytes)),
        ("ECHO \"\" ''\r\n", ["ECHO", "", ""].map(bytes)),
        ("ECHO \"a\\zb\"\r\n", ["ECHO", "azb"].map(bytes)),
        ("ECHO \"\\xZZ\"\r\n", ["ECHO", "xZZ"].map(bytes)),
        ("ECHO \"a b\"\tc\r\n", ["ECHO", "a b", "c"].map(bytes)),
        // A vertical tab separates arguments only where blanks are skipped, not inside one.
        ("ECHO\ta\u{0B}b\r\n", ["ECHO", "a\u{0B}b"].map(bytes)),
        ("ECHO x\"y z\"\r\n", ["ECHO", "xy z"].map(bytes)),
        // A CR not before the LF is part of the line; unquoted it ends an argument.
        ("a\rb\r\n", ["a", "b"].map(bytes)),
    ]

    static func sample(_ index: Int) -> ([UInt8], ParseEvent) {
        let (text, arguments) = samples[index]
        let frame = bytes(text)
        guard let arguments else { return (frame, .empty(consumed: frame.count)) }
        return (frame, .command(arguments, consumed: frame.count))
    }

    @Test(arguments: samples.indices)
    func wholeFrame(_ index: Int) {
        let (frame, expected) = Self.sample(index)
        #expect(ParserHarness.whole(frame) == expected)
    }

    @Test(arguments: samples.indices)
    func splitAtEveryOffset(_ index: Int) {
        let (frame, expected) = Self.sample(index)
        #expect(ParserHarness.splitAtEveryOffset(frame, expecting: expected) == [])
    }

    @Test(arguments: samples.indices)
    func byteByByte(_ index: Int) {
        let (frame, expected) = Self.sample(index)
        #expect(ParserHarness.byteByByte(frame, expecting: expected) == [])
    }

    @Test func binaryArgumentsIncludingNULAndCRLF() {
        let payload: [UInt8] = Array(0...255)
        let frame = bytes("*2\r\n$3\r\nSET\r\n$256\r\n") + payload + bytes("\r\n")
        #expect(ParserHarness.whole(frame) == .command([bytes("SET"), payload], consumed: frame.count))
        #expect(ParserHarness.byteByByte(frame, expecting: .command([bytes("SET"), payload], consumed: frame.count)) == [])
    }

    @Test func blankInlineLinesAndEmptyMultibulksAreSkippedInAPipeline() {
        // Redis answers this stream with a single +PONG.
        let stream = bytes("\r\n\n   \r\n*0\r\n*-1\r\nPING\r\n")
        let expected: [ParseEvent] = [
            .empty(consumed: 2), .empty(consumed: 1), .empty(consumed: 5), .empty(consumed: 4),
            .empty(consumed: 5), .command("PING", consumed: 6),
        ]
        for chunk in [1, 2, 3, 7, stream.count] {
            #expect(ParserHarness.stream(stream, chunks: [chunk]) == expected, "chunk \(chunk)")
        }
    }

    /// 1,000 frames of every kind back to back, in one read and in many irregular chunkings.
    @Test func longPipelineInManyChunkings() {
        var stream: [UInt8] = []
        var expected: [ParseEvent] = []
        for i in 0..<1000 {
            let key = "key:\(i)"
            let value = String(repeating: "v", count: i % 37)
            let frame: [UInt8]
            switch i % 4 {
            case 0:
                frame = bytes("*3\r\n$3\r\nSET\r\n$\(key.utf8.count)\r\n\(key)\r\n$\(value.utf8.count)\r\n\(value)\r\n")
                expected.append(.command("SET", key, value, consumed: frame.count))
            case 1:
                frame = bytes("GET \"\(key)\"\r\n")
                expected.append(.command("GET", key, consumed: frame.count))
            case 2:
                frame = bytes("*0\r\n")
                expected.append(.empty(consumed: 4))
            default:
                frame = bytes("*2\r\n$6\r\nEXISTS\r\n$\(key.utf8.count)\r\n\(key)\r\n")
                expected.append(.command("EXISTS", key, consumed: frame.count))
            }
            stream += frame
        }
        for chunks in [[stream.count], [1], [2], [3, 1, 4, 1, 5, 9, 2, 6], [16384], [4096, 1], [13, 170, 7]] {
            #expect(ParserHarness.stream(stream, chunks: chunks) == expected, "chunks \(chunks)")
        }
    }

    @Test func aStreamEndingMidFrameIsIncomplete() {
        let stream = bytes("PING\r\n*2\r\n$4\r\nECHO\r\n$5\r\nhel")
        #expect(ParserHarness.stream(stream, chunks: [5]) == [.command("PING", consumed: 6), .incomplete])
    }

    @Test func largestCountsRedisWaitsFor() {
        // Redis 7.0 keeps these connections open, waiting for the rest.
        #expect(ParserHarness.whole(bytes("*2147483647\r\n")) == .incomplete)
        #expect(ParserHarness.whole(bytes("*1\r\n$536870912\r\n")) == .incomplete)
    }

    @Test func bytesNeededHintIsTheWholeFrameOnceABulkHeaderIsParsed() {
        var parser = RequestParser()
        #expect(ParserHarness.feed(&parser, bytes("*2\r\n$3\r\nGET\r\n$100\r\nab")[...]) == .incomplete)
        let midFrame = parser.isMidFrame  // read first: #expect cannot take apart a noncopyable value
        #expect(midFrame)
        #expect(parser.bytesNeededHint == 13 + 6 + 100 + 2)
        var fresh = RequestParser()
        #expect(ParserHarness.feed(&fresh, bytes("*2\r\n$3\r\nGET\r\n$1")[...]) == .incomplete)
        #expect(fresh.bytesNeededHint == 0)
    }

    @Test func resetForgetsAPartialFrame() {
        var parser = RequestParser()
        #expect(ParserHarness.feed(&parser, bytes("*2\r\n$3\r\nGET\r\n")[...]) == .incomplete)
        parser.reset()
        let midFrame = parser.isMidFrame
        #expect(!midFrame)
        #expect(ParserHarness.feed(&parser, bytes("PING\r\n")[...]) == .command("PING", consumed: 6))
    }

    /// Whole frames take a one-pass path that must answer exactly as the incremental parser
    /// does (a byte at a time it never sees a whole frame at its start): on plain frames, and on
    /// every way a frame can fall off that path.
    @Test(arguments: [
        "*2\r\n$3\r\nGET\r\n$16\r\nkey:000000012345\r\n",
        "*1\r\n$0\r\n\r\n",
        "*2\r\n$03\r\nGET\r\n$1\r\nk\r\n",
        "*01\r\n$4\r\nPING\r\n",
        "*1\r\n$4\rxPING\r\n",
        "*1\r\n$+4\r\nPING\r\n",
        "*1\r\n$999999999\r\nx",
        "*1\r\n$1234567890\r\nx",
        "*1\r\n$5\r\nhello\r\n",
        "*2\r\n$4\r\nECHO\r\n:4\r\nPING\r\n",
        "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n*1\r\n$4\r\nPING\r\n",
        "*1\r\n$4\r\nPI",
        "*1024\r\n" + String(repeating: "$1\r\nx\r\n", count: 1024),
        "*1025\r\n" + String(repeating: "$1\r\nx\r\n", count: 1025),
    ], [512 * 1024 * 1024, 4])
    func wholeFramesParseAsByteByByte(text: String, maxBulkLength: Int) {
        let frame = bytes(text)
        let whole = ParserHarness.stream(frame, chunks: [frame.count], maxBulkLength: maxBulkLength)
        let byteByByte = ParserHarness.stream(frame, chunks: [1], maxBulkLength: maxBulkLength)
        #expect(whole == byteByByte)
    }

    @Test func maxBulkLengthIsInclusive() {
        #expect(ParserHarness.whole(bytes("*1\r\n$4\r\nPING\r\n"), maxBulkLength: 4) == .command("PING", consumed: 14))
        #expect(ParserHarness.whole(bytes("*1\r\n$0\r\n\r\n"), maxBulkLength: 0) == .command([[]], consumed: 10))
    }
}
