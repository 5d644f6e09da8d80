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
        let base = bytes.baseAddress!
        guard let count = RedisInteger.parseHeaderNumber(base, end: bytes.count, at: &position), count >= 1,
            count <= maximumArguments
        else { return nil }
        var key: ByteView?
        for argument in 0..<count {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "$") else { return nil }
            position &+= 1
            guard let length = RedisInteger.parseHeaderNumber(base, end: bytes.count, at: &position),
                bytes.count &- position >= length &+ 2
            else { return nil }
            if argument == 1 { key = ByteView(base: base + position, count: length) }
            position &+= length &+ 2
        }
        return Frame(length: position, key: key)
    }
}
