import RESP
import Testing

/// Malformed requests and the exact reply each gets. Every expectation below is what Redis
/// 7.0.15 sent back for the same bytes over a raw socket (after which it closed the
/// connection); `.incomplete` marks inputs on which Redis kept the connection open, silent.
@Suite struct RequestParserErrorTests {
    static let invalidMultibulkLength = "-ERR Protocol error: invalid multibulk length\r\n"
    static let invalidBulkLength = "-ERR Protocol error: invalid bulk length\r\n"
    static let unbalancedQuotes = "-ERR Protocol error: unbalanced quotes in request\r\n"

    static let corpus: [(String, ParseEvent)] = [
        ("*abc\r\n", .error(invalidMultibulkLength)),
        ("*\r\n", .error(invalidMultibulkLength)),
        ("*-\r\n", .error(invalidMultibulkLength)),
        ("*-0\r\n", .error(invalidMultibulkLength)),
        ("*01\r\n", .error(invalidMultibulkLength)),
        ("* 1\r\n", .error(invalidMultibulkLength)),
        ("*+1\r\n", .error(invalidMultibulkLength)),
        ("*1 \r\n", .error(invalidMultibulkLength)),
        ("*2147483648\r\n", .error(invalidMultibulkLength)),
        ("*9223372036854775807\r\n", .error(invalidMultibulkLength)),
        ("*9223372036854775808\r\n", .error(invalidMultibulkLength)),
        ("*3\r\n$x\r\n", .error(invalidBulkLength)),
        ("*1\r\n$\r\n", .error(invalidBulkLength)),
        ("*1\r\n$-1\r\n", .error(invalidBulkLength)),
        ("*1\r\n$-0\r\n", .error(invalidBulkLength)),
        ("*1\r\n$01\r\n", .error(invalidBulkLength)),
        ("*1\r\n$+1\r\n", .error(invalidBulkLength)),
        ("*1\r\n$ 1\r\n", .error(invalidBulkLength)),
        ("*1\r\n$536870913\r\n", .error(invalidBulkLength)),
        ("*1\r\n$99999999999999999999\r\n", .error(invalidBulkLength)),
        ("*2\r\n$4\r\nECHO\r\n$-5\r\n", .error(invalidBulkLength)),
        ("*1\r\n:1\r\n", .error("-ERR Protocol error: expected '$', got ':'\r\n")),
        ("*2\r\n$4\r\nECHO\r\n*1\r\n", .error("-ERR Protocol error: expected '$', got '*'\r\n")),
        // CR and LF in the echoed byte become spaces.
        ("*1\r\n\r\n", .error("-ERR Protocol error: expected '$', got ' '\r\n")),
        ("*1\r\n\n\r\n", .error("-ERR Protocol error: expected '$', got ' '\r\n")),
        ("\"abc\r\n", .error(unbalancedQuotes)),
        ("'a'b\r\n", .error(unbalancedQuotes)),
        ("\"a\"b\r\n", .error(unbalancedQuotes)),
        ("ECHO \"abc\r\n", .error(unbalancedQuotes)),
        ("ECHO 'abc\r\n", .error(unbalancedQuotes)),
        ("ECHO a\"b\r\n", .error(unbalancedQuotes)),
        ("ECHO \"abc\\\"\r\n", .error(unbalancedQuotes)),
        ("ECHO \"\\x41\"x\r\n", .error(unbalancedQuotes)),
        // Redis finds line ends with strchr over its NUL-terminated buffer: a NUL before the CR
        // (or, inline, the LF) hides it, and Redis waits for more bytes.
        ("*1\u{0}\r\n", .incomplete),
        ("*1\r\n\u{0}\r\n", .incomplete),
        ("*1\r\n$\u{0}1\r\n", .incomplete),
        ("ECHO a\u{0}b\r\nPING\r\n", .incomplete),
        ("\u{0}\r\n", .incomplete),
    ]

    @Test(arguments: corpus.indices)
    func redisReply(_ index: Int) {
        let (input, expected) = Self.corpus[index]
        #expect(ParserHarness.whole(bytes(input)) == expected)
    }

    /// The error comes only once its line is whole, however the bytes arrive.
    @Test(arguments: corpus.indices)
    func sameReplyWhenSplitAtEveryOffset(_ index: Int) {
        let (input, expected) = Self.corpus[index]
        #expect(ParserHarness.splitAtEveryOffset(bytes(input), expecting: expected) == [])
        #expect(ParserHarness.byteByByte(bytes(input), expecting: expected) == [])
    }

    /// Commands before a malformed frame in the same read still run (Redis answered `+PONG`
    /// and then the error).
    @Test func errorAfterValidFramesInAPipeline() {
        let stream = bytes("*1\r\n$4\r\nPING\r\n*-1\r\nPING\r\n*1\r\n:1\r\n*1\r\n$4\r\nPING\r\n")
        let expected: [ParseEvent] = [
            .command("PING", consumed: 14), .empty(consumed: 5), .command("PING", consumed: 6),
            .error("-ERR Protocol error: expected '$', got ':'\r\n"),
        ]
        for chunk in [1, 3, stream.count] {
            #expect(ParserHarness.stream(stream, chunks: [chunk]) == expected, "chunk \(chunk)")
        }
    }

    // MARK: The 64 KB line limit (PROTO_INLINE_MAX_SIZE)

    static let filler = [UInt8](repeating: UInt8(ascii: "x"), count: 70_000)

    /// Redis 7.0 replied these to 70,000 bytes with no line end.
    @Test func tooBigLinesWithoutTerminator() {
        #expect(ParserHarness.whole(bytes("*") + Self.filler)
            == .error("-ERR Protocol error: too big mbulk count string\r\n"))
        #expect(ParserHarness.whole(bytes("*1\r\n") + Self.filler)
            == .error("-ERR Protocol error: too big bulk count string\r\n"))
        #expect(ParserHarness.whole(Self.filler) == .error("-ERR Protocol error: too big inline request\r\n"))
        #expect(ParserHarness.whole(bytes("*1\r\n$4\r\nPING\r\n*1\r\n") + Self.filler) == .command("PING", consumed: 14))
    }

    /// A NUL before the line end keeps hiding it until the limit (Redis 7.0, same replies).
    @Test func nulBeforeLineEndRunsIntoTheLimit() {
        #expect(ParserHarness.whole(bytes("*1\u{0}\r\n") + Self.filler)
            == .error("-ERR Protocol error: too big mbulk count string\r\n"))
        #expect(ParserHarness.whole(bytes("*1\r\n$\u{0}1\r\n") + Self.filler)
            == .error("-ERR Protocol error: too big bulk count string\r\n"))
        #expect(ParserHarness.whole(bytes("ECHO a\u{0}b\r\n") + Self.filler)
            == .error("-ERR Protocol error: too big inline request\r\n"))
    }

    /// The limit is "more than 64 KB pending" (Redis: `sdslen(querybuf) - qb_pos > PROTO_INLINE_MAX_SIZE`);
    /// exactly 64 KB still waits.
    @Test func limitBoundary() {
        let limit = RequestParser.inlineMaxSize
        #expect(limit == 65_536)
        let line = [UInt8](repeating: UInt8(ascii: "a"), count: limit)
        #expect(ParserHarness.whole(line) == .incomplete)
        #expect(ParserHarness.whole(line + [UInt8(ascii: "a")]) == .error("-ERR Protocol error: too big inline request\r\n"))
        let count = bytes("*") + [UInt8](repeating: UInt8(ascii: "1"), count: limit - 1)
        #expect(ParserHarness.whole(count) == .incomplete)
        #expect(ParserHarness.whole(count + bytes("1")) == .error("-ERR Protocol error: too big mbulk count string\r\n"))
        let header = bytes("*1\r\n$") + [UInt8](repeating: UInt8(ascii: "1"), count: limit - 1)
        #expect(ParserHarness.whole(header) == .incomplete)
        #expect(ParserHarness.whole(header + bytes("1")) == .error("-ERR Protocol error: too big bulk count string\r\n"))
        // When the line end arrives in the same read as the overflowing bytes, the line is
        // judged on its content (Redis 7.0 answered `*` + 70,000 ones + CRLF this way).
        #expect(ParserHarness.whole(bytes("*") + [UInt8](repeating: UInt8(ascii: "1"), count: 70_000) + bytes("\r\n"))
            == .error(Self.invalidMultibulkLength))
        // A long inline line whose LF has arrived is accepted, as Redis does when the whole
        // line is read before the limit check.
        #expect(ParserHarness.whole(line + bytes("\r\n")) == .command([line], consumed: limit + 2))
    }

    // MARK: proto-max-bulk-len

    @Test func maxBulkLengthLimit() {
        #expect(ParserHarness.whole(bytes("*1\r\n$10\r\n"), maxBulkLength: 10) == .incomplete)
        #expect(ParserHarness.whole(bytes("*1\r\n$11\r\n"), maxBulkLength: 10) == .error(Self.invalidBulkLength))
        #expect(ParserHarness.whole(bytes("*1\r\n$1\r\n"), maxBulkLength: 0) == .error(Self.invalidBulkLength))
        // The default is Redis's 512 MB.
        #expect(RequestParser().maxBulkLength == 536_870_912)
    }

    /// A client that must still authenticate (`isUnauthenticated`) gets Redis's tighter limits:
    /// more than 10 arguments, or a bulk over 16384 bytes, is a protocol error; the error
    /// checks of any client come first; inline requests have no such limit.
    @Test func unauthenticatedLimits() {
        func parse(_ text: String) -> ParseEvent {
            var parser = RequestParser()
            parser.isUnauthenticated = true
            return ParserHarness.feed(&parser, bytes(text)[...])
        }
        let tooMany = "-ERR Protocol error: unauthenticated multibulk length\r\n"
        let tooLong = "-ERR Protocol error: unauthenticated bulk length\r\n"
        #expect(parse("*11\r\n") == .error(tooMany))
        #expect(parse("*2147483648\r\n") == .error(Self.invalidMultibulkLength))
        #expect(parse("*10\r\n") == .incomplete)
        #expect(parse("*-5\r\n") == .empty(consumed: 5))
        #expect(parse("*1\r\n$16385\r\n") == .error(tooLong))
        #expect(parse("*1\r\n$-1\r\n") == .error(Self.invalidBulkLength))
        #expect(parse("*1\r\n$16384\r\n") == .incomplete)
        #expect(parse("*1\r\n$4\r\nPING\r\n") == .command("PING", consumed: 14))
        let longInline = "ECHO " + String(repeating: "x", count: 20000) + " " + String(repeating: "y ", count: 12) + "\r\n"
        guard case .command(let arguments, _) = parse(longInline) else { Issue.record("inline refused"); return }
        #expect(arguments.count == 14)
        // The same frames from a client that has authenticated.
        #expect(ParserHarness.whole(bytes("*11\r\n")) == .incomplete)
        #expect(ParserHarness.whole(bytes("*1\r\n$16385\r\n")) == .incomplete)
    }
}
