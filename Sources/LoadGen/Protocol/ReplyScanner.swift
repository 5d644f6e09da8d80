import RESP

/// The client side of RESP: finds where one complete reply (RESP2 or RESP3) ends in the bytes
/// received so far and what kind of reply it is, validating every header and terminator.
/// `RESP` parses requests (what servers receive); this is what a client needs instead, and it
/// lives here because only the load generator needs it.
///
/// Aggregates are walked without recursion or a stack: `needed` counts the values still
/// missing before the top-level reply is complete (an array of n adds n, a map 2n).
enum ReplyScanner {
    enum Kind: Equatable {
        case status      // +...
        case error       // - or ! (blob error)
        case integer     // : , # ( (RESP3 doubles, booleans and big numbers count here too)
        case null        // $-1, *-1, _
        case bulk        // $n or =n (verbatim)
        case aggregate   // * % ~ |
        case push        // > (out-of-band: not the answer to a request)
    }

    enum Result: Equatable {
        /// A complete reply of `length` bytes. For `.bulk`, `payload` is its content range;
        /// for `.status`, the text after '+'.
        case reply(kind: Kind, length: Int, payload: Range<Int>)
        case incomplete
        /// Not RESP: the connection cannot be trusted any more.
        case malformed(String)
    }

    /// Scans the reply that starts at `bytes[0]`. The common replies are recognised inline
    /// where the caller is (the worker's hot loop); the rest take a call to the general walk.
    @inline(__always)
    static func scan(_ bytes: UnsafeRawBufferPointer) -> Result {
        commonReply(bytes) ?? walk(bytes)
    }

    /// Any reply, walked header by header.
    @inline(never)
    private static func walk(_ bytes: UnsafeRawBufferPointer) -> Result {
        var position = 0
        var needed = 1
        var topKind = Kind.null
        var payload = 0..<0
        var first = true
        while needed > 0 {
            guard position < bytes.count else { return .incomplete }
            let type = bytes[position]
            guard let lineEnd = lineEnd(bytes, from: position + 1) else {
                return bytes.count - position > 64 * 1024 ? .malformed("reply header without CRLF") : .incomplete
            }
            guard lineEnd >= 0 else { return .malformed("CR without LF in a reply header") }
            let line = (position + 1)..<lineEnd
            var next = lineEnd + 2
            var kind: Kind
            var children = 0
            switch type {
            case UInt8(ascii: "+"):
                kind = .status
            case UInt8(ascii: "-"):
                kind = .error
            case UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "#"), UInt8(ascii: "("):
                kind = .integer
                if type == UInt8(ascii: ":") && integer(bytes, line) == nil { return .malformed("bad integer reply") }
            case UInt8(ascii: "_"):
                kind = .null
                guard line.isEmpty else { return .malformed("bad null reply") }
            case UInt8(ascii: "$"), UInt8(ascii: "="), UInt8(ascii: "!"):
                guard let length = integer(bytes, line), length >= -1 else { return .malformed("bad bulk length") }
                if length == -1 {
                    guard type == UInt8(ascii: "$") else { return .malformed("bad bulk length") }
                    kind = .null
                } else {
                    kind = type == UInt8(ascii: "!") ? .error : .bulk
                    let end = next + Int(length)
                    guard end + 2 <= bytes.count else { return .incomplete }
                    guard bytes[end] == 13 && bytes[end + 1] == 10 else { return .malformed("bulk reply without CRLF") }
                    if first { payload = next..<end }
                    next = end + 2
                }
            case UInt8(ascii: "*"), UInt8(ascii: "%"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "|"):
                guard let count = integer(bytes, line), count >= -1 else { return .malformed("bad aggregate length") }
                if count == -1 {
                    guard type == UInt8(ascii: "*") else { return .malformed("bad aggregate length") }
                    kind = .null
                } else {
                    kind = type == UInt8(ascii: ">") ? .push : .aggregate
                    let pairs = type == UInt8(ascii: "%") || type == UInt8(ascii: "|")
                    children = Int(count) * (pairs ? 2 : 1)
                    // An attribute (|) precedes the value it describes: one more value follows.
                    if type == UInt8(ascii: "|") { children += 1 }
                }
            default:
                return .malformed("unknown reply type byte \(type)")
            }
            if first {
                topKind = kind
                if kind == .status { payload = line }
                first = false
            }
            needed += children - 1
            position = next
        }
        return .reply(kind: topKind, length: position, payload: payload)
    }

    /// The replies a GET/SET load gets nearly always, `+OK`, a GET's miss (`$-1`) and a
    /// complete bulk string shorter than 10,000 bytes, recognised without the general walk and
    /// its integer parser. Anything else, including anything incomplete or wrong, is nil: the
    /// general walk then decides, so both paths accept and reject exactly the same bytes.
    @inline(__always)
    private static func commonReply(_ bytes: UnsafeRawBufferPointer) -> Result? {
        guard bytes.count >= 5 else { return nil }
        if bytes[0] == UInt8(ascii: "+") {
            guard bytes[1] == UInt8(ascii: "O") && bytes[2] == UInt8(ascii: "K") && bytes[3] == 13 && bytes[4] == 10 else { return nil }
            return .reply(kind: .status, length: 5, payload: 1..<3)
        }
        guard bytes[0] == UInt8(ascii: "$") else { return nil }
        if bytes[1] == UInt8(ascii: "-") {
            guard bytes[2] == UInt8(ascii: "1") && bytes[3] == 13 && bytes[4] == 10 else { return nil }
            return .reply(kind: .null, length: 5, payload: 0..<0)
        }
        var length = 0
        var index = 1
        while index < 5 {
            let digit = bytes[index] &- UInt8(ascii: "0")
            if digit > 9 { break }
            length = length * 10 + Int(digit)
            index += 1
        }
        // No digits ("$-1"), a leading zero (Redis's grammar rejects "05"), or a longer length.
        guard index > 1 && (bytes[1] != UInt8(ascii: "0") || index == 2) else { return nil }
        let start = index + 2
        let end = start + length
        guard end + 2 <= bytes.count && bytes[index] == 13 && bytes[index + 1] == 10 && bytes[end] == 13 && bytes[end + 1] == 10 else {
            return nil
        }
        return .reply(kind: .bulk, length: end + 2, payload: start..<end)
    }

    /// Index of the CR of the first CRLF at or after `start`; -1 for a CR not followed by LF;
    /// nil when the line is not complete yet.
    @inline(__always)
    private static func lineEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 13 {
                return bytes[index + 1] == 10 ? index : -1
            }
            index += 1
        }
        return nil
    }

    @inline(__always)
    private static func integer(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int64? {
        guard let base = bytes.baseAddress else { return nil }
        return RedisInteger.parse(base + range.lowerBound, count: range.count)
    }
}
