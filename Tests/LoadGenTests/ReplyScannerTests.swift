import Testing
@testable import LoadGen

/// The client-side reply scanner: every RESP2/RESP3 reply shape, at every split point, and
/// replies that are not RESP.
@Suite struct ReplyScannerTests {
    private func scan(_ text: String) -> ReplyScanner.Result {
        Array(text.utf8).withUnsafeBytes { ReplyScanner.scan($0) }
    }

    @Test(arguments: [
        ("+OK\r\n", ReplyScanner.Kind.status),
        ("-ERR wrong\r\n", .error),
        (":42\r\n", .integer),
        ("$-1\r\n", .null),
        ("*-1\r\n", .null),
        ("_\r\n", .null),
        ("$5\r\nhello\r\n", .bulk),
        ("$0\r\n\r\n", .bulk),
        ("$12\r\nhello world!\r\n", .bulk),
        ("+OKAY\r\n", .status),
        ("=8\r\ntxt:abcd\r\n", .bulk),
        ("!5\r\nERROR\r\n", .error),
        (",3.14\r\n", .integer),
        ("#t\r\n", .integer),
        ("*2\r\n$1\r\na\r\n*1\r\n:1\r\n", .aggregate),
        ("%1\r\n+k\r\n$1\r\nv\r\n", .aggregate),
        ("~0\r\n", .aggregate),
        (">2\r\n+message\r\n+x\r\n", .push),
        ("*3\r\n$-1\r\n*0\r\n%0\r\n", .aggregate),
    ])
    func completeRepliesAndEveryPrefix(text: String, kind: ReplyScanner.Kind) {
        let bytes = Array(text.utf8)
        guard case .reply(let found, let length, _) = scan(text) else {
            Issue.record("\(text.debugDescription) not complete")
            return
        }
        #expect(found == kind)
        #expect(length == bytes.count)
        for cut in 0..<bytes.count {
            let prefix = Array(bytes[..<cut])
            #expect(prefix.withUnsafeBytes { ReplyScanner.scan($0) } == .incomplete, "cut at \(cut) of \(text.debugDescription)")
        }
        // A following reply is not consumed.
        guard case .reply(_, let again, _) = scan(text + "+OK\r\n") else {
            Issue.record("not complete with a second reply after it")
            return
        }
        #expect(again == bytes.count)
    }

    @Test func payloadOfBulkAndStatus() {
        #expect(scan("$5\r\nhello\r\n+OK\r\n") == .reply(kind: .bulk, length: 11, payload: 4..<9))
        #expect(scan("+OK\r\n") == .reply(kind: .status, length: 5, payload: 1..<3))
    }

    /// Bulk lengths of every digit count, on both sides of the 4-digit fast path.
    @Test(arguments: [0, 9, 10, 99, 100, 999, 1000, 9999, 10_000, 123_456])
    func bulkOfEveryLengthWithItsPayload(length: Int) {
        let text = "$\(length)\r\n" + String(repeating: "v", count: length) + "\r\n"
        let header = "$\(length)\r\n".utf8.count
        #expect(scan(text + "+OK\r\n") == .reply(kind: .bulk, length: header + length + 2, payload: header..<(header + length)))
        #expect(scan(String(text.dropLast())) == .incomplete)
    }

    @Test(arguments: ["?x\r\n", "$abc\r\nxyz\r\n", "$3\r\nabcde\r\n", "$05\r\nhello\r\n", "$00\r\n\r\n", "$5\r\nhello\rX", ":1x\r\n", "$-2\r\n", "$-10\r\n", "$-1\rX", "*-5\r\n", "+OK\rX", "_x\r\n", "%-1\r\n"])
    func malformed(text: String) {
        guard case .malformed = scan(text) else {
            Issue.record("\(text.debugDescription) accepted: \(scan(text))")
            return
        }
    }
}
