import RESP
import Testing

/// `RequestPeek`: where the next multibulk request ends and its second argument, or nil for
/// anything it leaves to the parser.
@Suite struct RequestPeekTests {
    func peek(_ text: String) -> (length: Int, key: String?)? {
        Array(text.utf8).withUnsafeBytes { bytes in
            RequestPeek.frame(in: bytes).map { frame in
                (frame.length, frame.key.map { String(decoding: $0.bytes, as: UTF8.self) })
            }
        }
    }

    @Test func findsTheKeyAndTheFrameEnd() {
        let get = "*2\r\n$3\r\nGET\r\n$7\r\nkey:123\r\n"
        #expect(peek(get + "*1\r\n$4\r\nPING\r\n")?.length == get.utf8.count)
        #expect(peek(get)?.key == "key:123")
        let set = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n"
        #expect(peek(set)?.key == "k")
        #expect(peek(set + get)?.length == set.utf8.count)
        #expect(peek("*1\r\n$4\r\nPING\r\n")?.key == nil)
        #expect(peek("*1\r\n$4\r\nPING\r\n")?.length == 14)
    }

    @Test func anIncompleteFrameIsNotPeekedAtAnySplit() {
        let get = Array("*2\r\n$3\r\nGET\r\n$7\r\nkey:123\r\n".utf8)
        for end in 0..<get.count {
            #expect(get[..<end].withUnsafeBytes { RequestPeek.frame(in: $0) } == nil, "first \(end) bytes")
        }
    }

    @Test(arguments: [
        "GET key\r\n",  // inline
        "*0\r\n", "*-1\r\n", "*x\r\n$3\r\nGET\r\n", "*2\r\n+3\r\nGET\r\n$1\r\nk\r\n",
        "*2\r\n$3\r\nGET\r\n$-1\r\n", "*1\r\n$3\nGET\r\n",
        "*1\r\n$1234567890\r\n",  // ten digits
        "*9\r\n" + String(repeating: "$1\r\nx\r\n", count: 9),  // more arguments than peeked
    ])
    func leavesAnythingUnusualToTheParser(text: String) {
        #expect(peek(text) == nil)
    }
}
