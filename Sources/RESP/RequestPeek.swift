/// Looks at the next multibulk request in a buffer without parsing state: where it ends and
/// its second argument, which is the key of almost every keyed command. A server uses it to
/// start fetching a pipeline's keys from memory before the first of its requests runs.
///
/// Only a hint, never a judge: anything unusual — an inline command, a frame not yet complete,
/// bad syntax, a frame of many arguments — ends the peek, and `RequestParser` decides what the
/// bytes mean.
public enum RequestPeek {
    /// Frames with more arguments than this are not peeked: walking them would cost as much
    /// as parsing them, and they are not the short commands prefetching is for.
    public static let maximumArguments = 8

    public struct Frame {
        /// Bytes from the frame's start to the next frame.
        public let length: Int
        /// The second argument, when there is one.
        public let key: ByteView?
    }

    /// The complete multibulk frame at the start of `bytes`, or nil.
    public static func frame(in bytes: UnsafeRawBufferPointer) -> Frame? {
        guard bytes.count >= 4, bytes[0] == UInt8(ascii: "*") else { return nil }
        var position = 1
        guard let count = number(in: bytes, at: &position), count >= 1, count <= maximumArguments else { return nil }
        var key: ByteView?
        for argument in 0..<count {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "$") else { return nil }
            position &+= 1
            guard let length = number(in: bytes, at: &position), bytes.count &- position >= length &+ 2 else { return nil }
            if argument == 1 { key = ByteView(base: bytes.baseAddress! + position, count: length) }
            position &+= length &+ 2
        }
        return Frame(length: position, key: key)
    }

    /// The decimal number at `position` and its "\r\n" (at most 9 digits); moves past both.
    /// Wrapping arithmetic: nine digits and a buffer's positions cannot overflow.
    @inline(__always)
    private static func number(in bytes: UnsafeRawBufferPointer, at position: inout Int) -> Int? {
        // One digit, as in most counts and command names: no loop.
        if bytes.count &- position >= 3 && bytes[position &+ 1] == UInt8(ascii: "\r") && bytes[position &+ 2] == UInt8(ascii: "\n") {
            let digit = bytes[position] &- UInt8(ascii: "0")
            guard digit <= 9 else { return nil }
            position &+= 3
            return Int(digit)
        }
        var value = 0
        var digits = 0
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\r") {
                guard digits > 0, position &+ 1 < bytes.count, bytes[position &+ 1] == UInt8(ascii: "\n") else { return nil }
                position &+= 2
                return value
            }
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") && digits < 9 else { return nil }
            value = value &* 10 &+ Int(byte &- UInt8(ascii: "0"))
            digits &+= 1
            position &+= 1
        }
        return nil
    }
}
