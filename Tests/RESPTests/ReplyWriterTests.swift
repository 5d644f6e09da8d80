import RESP
import Testing

/// Every reply kind in RESP2 and RESP3, byte for byte. The null, map, set and null-array forms
/// are what Redis 7.0.15 sent for GET of a missing key, HGETALL, SMEMBERS and a timed-out BLPOP
/// after `HELLO 2` / `HELLO 3`; the doubles are its ZSCORE replies for the same scores.
@Suite struct ReplyWriterTests {
    static func reply(_ protocolVersion: Int, _ write: (ReplyWriter) -> Void) -> String {
        let buffer = OutputBuffer(capacity: 16)
        write(ReplyWriter(buffer: buffer, protocolVersion: protocolVersion))
        return String(decoding: buffer.readableArray, as: UTF8.self)
    }

    static func both(_ write: (ReplyWriter) -> Void) -> (String, String) {
        (reply(2, write), reply(3, write))
    }

    @Test func simpleAndErrorLines() {
        #expect(Self.both { $0.ok() } == ("+OK\r\n", "+OK\r\n"))
        #expect(Self.reply(2) { $0.simple("PONG") } == "+PONG\r\n")
        #expect(Self.reply(2) { $0.simple(String("QUEUED")) } == "+QUEUED\r\n")
        #expect(Self.reply(2) { $0.error("ERR syntax error") } == "-ERR syntax error\r\n")
        #expect(Self.reply(2) { $0.error(String("ERR a\r\nb\nc")) } == "-ERR a  b c\r\n")
        #expect(Self.reply(2) { $0.error(bytes: bytes("WRONGTYPE x\ry")) } == "-WRONGTYPE x y\r\n")
    }

    @Test func integers() {
        #expect(Self.both { $0.integer(Int64(0)) } == (":0\r\n", ":0\r\n"))
        #expect(Self.reply(2) { $0.integer(Int64.min) } == ":-9223372036854775808\r\n")
        #expect(Self.reply(2) { $0.integer(Int64.max) } == ":9223372036854775807\r\n")
        #expect(Self.reply(3) { $0.integer(-42) } == ":-42\r\n")
    }

    @Test func bulkStrings() {
        #expect(Self.both { $0.bulk("hello" as StaticString) } == ("$5\r\nhello\r\n", "$5\r\nhello\r\n"))
        #expect(Self.reply(2) { $0.bulk(String("")) } == "$0\r\n\r\n")
        #expect(Self.reply(2) { $0.bulk([UInt8]()) } == "$0\r\n\r\n")
        #expect(Self.reply(2) { $0.bulk([0x61, 0x0D, 0x0A, 0x62]) } == "$4\r\na\r\nb\r\n")
        #expect(Self.reply(2) { $0.bulk(String("héllo")) } == "$6\r\nhéllo\r\n")
        #expect(Self.reply(2) { $0.bulk(integer: -123) } == "$4\r\n-123\r\n")
        #expect(Self.reply(2) { $0.bulk(integer: .min) } == "$20\r\n-9223372036854775808\r\n")
        var source = bytes("view")
        let viaView = source.withUnsafeMutableBytes { raw in
            Self.reply(3) { $0.bulk(ByteView(base: raw.baseAddress!, count: raw.count)) }
        }
        #expect(viaView == "$4\r\nview\r\n")
    }

    @Test func nulls() {
        #expect(Self.both { $0.null() } == ("$-1\r\n", "_\r\n"))
        #expect(Self.both { $0.nullArray() } == ("*-1\r\n", "_\r\n"))
    }

    @Test func aggregates() {
        let map = Self.both { w in
            w.mapHeader(1)
            w.bulk("f" as StaticString)
            w.bulk("v" as StaticString)
        }
        #expect(map == ("*2\r\n$1\r\nf\r\n$1\r\nv\r\n", "%1\r\n$1\r\nf\r\n$1\r\nv\r\n"))
        let set = Self.both { w in
            w.setHeader(1)
            w.bulk("m" as StaticString)
        }
        #expect(set == ("*1\r\n$1\r\nm\r\n", "~1\r\n$1\r\nm\r\n"))
        #expect(Self.both { $0.arrayHeader(0) } == ("*0\r\n", "*0\r\n"))
        #expect(Self.both { $0.mapHeader(0) } == ("*0\r\n", "%0\r\n"))
        #expect(Self.reply(2) { $0.header(UInt8(ascii: "*"), 1_000_000) } == "*1000000\r\n")
    }

    @Test func booleans() {
        #expect(Self.both { $0.bool(true) } == (":1\r\n", "#t\r\n"))
        #expect(Self.both { $0.bool(false) } == (":0\r\n", "#f\r\n"))
    }

    /// (score as given to ZADD, its `%.17g` text as Redis 7.0 printed it in ZSCORE).
    static let doubles: [(String, String)] = [
        ("0.1", "0.10000000000000001"), ("1.5", "1.5"), ("3", "3"), ("100", "100"),
        ("1e300", "1.0000000000000001e+300"), ("1e-5", "1.0000000000000001e-05"),
        ("123456789012345678", "1.2345678901234568e+17"), ("2.5e-310", "2.5000000000000171e-310"),
        ("0.30000000000000004", "0.30000000000000004"), ("1e17", "1e+17"), ("1e16", "10000000000000000"),
        ("-1.7976931348623157e308", "-1.7976931348623157e+308"), ("5e-324", "4.9406564584124654e-324"),
        ("inf", "inf"), ("-inf", "-inf"),
    ]

    @Test(arguments: doubles.indices)
    func doublesAsRedisPrintsThem(_ index: Int) {
        let (score, text) = Self.doubles[index]
        let value = Double(score)!  // strtod, as Redis parsed the score
        #expect(Self.both { $0.double(value) } == ("$\(text.utf8.count)\r\n\(text)\r\n", ",\(text)\r\n"))
    }

    @Test func formatDouble17g() {
        #expect(RESP.formatDouble17g(0.1) == "0.10000000000000001")
        #expect(RESP.formatDouble17g(-2) == "-2")
    }

    /// Redis 7.0 sends INFO to RESP3 clients as `=<len>\r\ntxt:<text>\r\n`.
    @Test func verbatim() {
        #expect(Self.both { $0.verbatim("a\r\nb") } == ("$4\r\na\r\nb\r\n", "=8\r\ntxt:a\r\nb\r\n"))
        #expect(Self.reply(3) { $0.verbatim("", format: "mkd") } == "=4\r\nmkd:\r\n")
    }

    // MARK: Deferred headers

    @Test func deferredArrayMapAndSet() {
        let array = Self.both { w in
            let d = w.beginDeferred()
            w.bulk("a" as StaticString)
            w.integer(Int64(2))
            w.endDeferredArray(d, count: 2)
        }
        #expect(array == ("*2\r\n$1\r\na\r\n:2\r\n", "*2\r\n$1\r\na\r\n:2\r\n"))
        let map = Self.both { w in
            let d = w.beginDeferred()
            w.bulk("k" as StaticString)
            w.bulk("v" as StaticString)
            w.endDeferredMap(d, pairs: 1)
        }
        #expect(map == ("*2\r\n$1\r\nk\r\n$1\r\nv\r\n", "%1\r\n$1\r\nk\r\n$1\r\nv\r\n"))
        let set = Self.both { w in
            let d = w.beginDeferred()
            w.endDeferredSet(d, count: 0)
        }
        #expect(set == ("*0\r\n", "~0\r\n"))
    }

    /// The buffer is reallocated many times while the aggregate is open; the header still lands
    /// at its place, after earlier replies and before its elements.
    @Test func deferredHeaderSurvivesBufferGrowth() {
        let buffer = OutputBuffer(capacity: 16)
        let writer = ReplyWriter(buffer: buffer, protocolVersion: 3)
        writer.ok()
        let outer = writer.beginDeferred()
        var expectedElements = ""
        for i in 0..<500 {
            writer.bulk(String(i))
            expectedElements += "$\(String(i).utf8.count)\r\n\(i)\r\n"
        }
        #expect(buffer.capacity > 16)
        let inner = writer.beginDeferred()
        writer.bulk(String(repeating: "z", count: 5000))
        writer.endDeferredSet(inner, count: 1)
        writer.endDeferredArray(outer, count: 501)
        let expected = "+OK\r\n*501\r\n" + expectedElements + "~1\r\n$5000\r\n" + String(repeating: "z", count: 5000) + "\r\n"
        #expect(String(decoding: buffer.readableArray, as: UTF8.self) == expected)
    }

    /// A deferred header may start after bytes that were already partly sent.
    @Test func deferredAfterPartialConsume() {
        let buffer = OutputBuffer(capacity: 8)
        let writer = ReplyWriter(buffer: buffer)
        writer.simple("PONG")
        buffer.consume(3)
        let d = writer.beginDeferred()
        writer.integer(Int64(7))
        writer.endDeferredArray(d, count: 1)
        #expect(String(decoding: buffer.readableArray, as: UTF8.self) == "NG\r\n*1\r\n:7\r\n")
    }
}
