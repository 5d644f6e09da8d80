#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Plays a byte stream into `RequestParser` the way a connection does — bytes arrive in chunks,
/// each call sees the current frame from its start to the last byte received — and checks the
/// parser's invariants after every call.
///
/// Each call gets a fresh `malloc`ed buffer of exactly the bytes available (freed before the next
/// call), so AddressSanitizer catches any read past them and the parser cannot rely on its
/// frame staying at one address between calls.
struct ParserDriver {
    let stream: [UInt8]
    let maxBulkLength: Int

    /// Runs the stream with chunk sizes from `nextChunk` (each ≥ 1); returns the events, stopping
    /// at the first error or at an incomplete frame when the stream runs out.
    func events(nextChunk: () -> Int) -> [FrameEvent] {
        var parser = RequestParser(maxBulkLength: maxBulkLength)
        var result: [FrameEvent] = []
        var start = 0
        var received = 0
        var largestHint = 0  // of the current frame: its length is at least this
        while start < stream.count {
            if received == start {
                received = min(stream.count, received + max(1, nextChunk()))
            }
            let available = received - start
            let frame = UnsafeMutableRawBufferPointer.allocate(byteCount: available, alignment: 1)
            defer { frame.deallocate() }
            stream.withUnsafeBytes { frame.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[start..<received])) }
            let outcome = parser.parse(frame)
            switch outcome {
            case .incomplete:
                let hint = parser.bytesNeededHint
                check(hint == 0 || hint > available, "hint \(hint) with \(available) bytes available")
                largestHint = max(largestHint, hint)
                if received == stream.count {
                    result.append(.incomplete)
                    return result
                }
                received = min(stream.count, received + max(1, nextChunk()))
            case .command(let consumed):
                check(consumed >= 1 && consumed <= available, "consumed \(consumed) of \(available)")
                check(consumed >= largestHint, "consumed \(consumed) < hint \(largestHint)")
                check(!parser.arguments.isEmpty, "command without arguments")
                var arguments: [[UInt8]] = []
                for span in parser.arguments {
                    check(span.offset >= 0 && span.count >= 0 && span.offset + span.count <= consumed,
                        "span \(span) outside frame of \(consumed)")
                    arguments.append(Array(UnsafeRawBufferPointer(rebasing: frame[span.offset..<(span.offset + span.count)])))
                }
                check(!parser.isMidFrame, "mid-frame after a command")
                result.append(.command(consumed: consumed, arguments: arguments))
                start += consumed
                largestHint = 0
            case .empty(let consumed):
                check(consumed >= 1 && consumed <= available, "consumed \(consumed) of \(available)")
                check(!parser.isMidFrame, "mid-frame after an empty frame")
                result.append(.empty(consumed: consumed))
                start += consumed
                largestHint = 0
            case .error(let error):
                check(!parser.isMidFrame, "mid-frame after an error")
                check(!error.message.contains(13) && !error.message.contains(10), "CR or LF in \(error)")
                result.append(.error(error))
                return result
            }
        }
        return result
    }
}

/// Stops the fuzzer with a message when an invariant fails (libFuzzer records the input).
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        fatalError("invariant violated: \(message())")
    }
}
