import RESP

/// What one `RequestParser.parse` call produced, with the arguments copied out of the frame so
/// tests can compare plain values. Errors are kept as the reply line a client would read.
enum ParseEvent: Equatable, CustomStringConvertible {
    case command([[UInt8]], consumed: Int)
    case empty(consumed: Int)
    case incomplete
    case error(String)

    var description: String {
        switch self {
        case .command(let arguments, let consumed):
            return "command(\(arguments.map { String(decoding: $0, as: UTF8.self) }), consumed: \(consumed))"
        case .empty(let consumed): return "empty(consumed: \(consumed))"
        case .incomplete: return "incomplete"
        case .error(let line): return "error(\(line.debugDescription))"
        }
    }

    /// A command event from text arguments.
    static func command(_ arguments: String..., consumed: Int) -> ParseEvent {
        .command(arguments.map { Array($0.utf8) }, consumed: consumed)
    }
}

/// Drives a `RequestParser` the way a connection does. Every call copies the available bytes
/// into a fresh buffer of exactly that size, so the parser can rely neither on its frame staying
/// at one address between calls nor on bytes beyond those it was given.
enum ParserHarness {
    /// One call on `bytes` (the frame start to the last byte received).
    static func feed(_ parser: inout RequestParser, _ bytes: ArraySlice<UInt8>) -> ParseEvent {
        let frame = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        defer { frame.deallocate() }
        bytes.withUnsafeBytes { frame.copyMemory(from: $0) }
        switch parser.parse(frame) {
        case .command(let consumed):
            let arguments = parser.arguments.map { Array(frame[$0.offset..<($0.offset + $0.count)]) }
            return .command(arguments, consumed: consumed)
        case .empty(let consumed): return .empty(consumed: consumed)
        case .incomplete: return .incomplete
        case .error(let error): return .error("-" + String(decoding: error.message, as: UTF8.self) + "\r\n")
        }
    }

    /// A fresh parser's answer to `bytes` given all at once.
    static func whole(_ bytes: [UInt8], maxBulkLength: Int = 512 * 1024 * 1024) -> ParseEvent {
        var parser = RequestParser(maxBulkLength: maxBulkLength)
        return feed(&parser, bytes[...])
    }

    /// Every event of a stream received in chunks of the given sizes (cycled), stopping at an
    /// error or, when the stream runs out mid-frame, with `.incomplete`.
    static func stream(_ bytes: [UInt8], chunks: [Int], maxBulkLength: Int = 512 * 1024 * 1024) -> [ParseEvent] {
        var parser = RequestParser(maxBulkLength: maxBulkLength)
        var events: [ParseEvent] = []
        var start = 0
        var received = 0
        var chunk = 0
        func receive() {
            received = min(bytes.count, received + chunks[chunk % chunks.count])
            chunk += 1
        }
        while start < bytes.count {
            if received == start { receive() }
            let event = feed(&parser, bytes[start..<received])
            switch event {
            case .incomplete:
                if received == bytes.count {
                    events.append(.incomplete)
                    return events
                }
                receive()
            case .command(_, let consumed), .empty(let consumed):
                events.append(event)
                start += consumed
            case .error:
                events.append(event)
                return events
            }
        }
        return events
    }

    /// For every cut point: feeds the prefix before it to a fresh parser (which must say
    /// `.incomplete`), then the whole frame to that same parser (which must give `expected`).
    /// Returns a description of each deviation; empty means the frame splits cleanly everywhere.
    static func splitAtEveryOffset(_ frame: [UInt8], expecting expected: ParseEvent) -> [String] {
        var problems: [String] = []
        for cut in 0..<frame.count {
            var parser = RequestParser()
            let prefix = feed(&parser, frame[..<cut])
            if prefix != .incomplete { problems.append("prefix \(cut) gave \(prefix)") }
            let full = feed(&parser, frame[...])
            if full != expected { problems.append("split at \(cut) gave \(full)") }
        }
        return problems
    }

    /// Feeds `frame` one more byte per call to one parser; returns any unexpected result.
    static func byteByByte(_ frame: [UInt8], expecting expected: ParseEvent) -> [String] {
        var parser = RequestParser()
        var problems: [String] = []
        for length in 1...frame.count {
            let event = feed(&parser, frame[..<length])
            let wanted = length == frame.count ? expected : .incomplete
            if event != wanted { problems.append("\(length) bytes gave \(event)") }
        }
        return problems
    }
}

/// The bytes of a literal, so test tables read like the wire.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
