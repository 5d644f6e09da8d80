#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Where one argument of a parsed request lies, relative to the start of its frame.
/// Offsets rather than pointers, because a connection's input buffer may move between reads.
public struct ArgumentSpan: Equatable, Sendable {
    public var offset: Int
    public var count: Int

    @inlinable
    public init(offset: Int, count: Int) {
        self.offset = offset
        self.count = count
    }
}

/// Incremental, zero-copy parser for client requests: RESP multibulk frames and inline
/// (telnet-style) commands, with Redis's limits and exact protocol errors (Redis `networking.c`,
/// `processMultibulkBuffer`/`processInlineBuffer`).
///
/// Usage: call `parse(_:)` with the bytes from the start of the current frame to the end of what
/// has been received. It returns `.incomplete` until the frame is whole; the caller appends more
/// bytes and calls again with the same frame start (state is kept, so a large frame is scanned
/// once, not once per read). On `.command` the spans in `arguments` locate the arguments inside
/// the frame; the caller consumes `consumed` bytes and starts the next frame there.
///
/// Inline requests are unquoted in place (unquoting only shrinks), which is why the frame is
/// mutable. The parser keeps its argument storage between frames: no allocation per request.
///
/// Noncopyable because it owns that storage: a plain allocation rather than an array, so that
/// setting a span costs no copy-on-write check (an array inside a connection paid a call to the
/// runtime's uniqueness test per argument, and a generic `removeAll` per request).
/// Memory: `spans` holds `spanCapacity` spans, grown as frames need more, freed in `deinit`.
public struct RequestParser: ~Copyable {
    public enum Outcome: Equatable, Sendable {
        /// A whole request; its arguments are in `arguments` (at least one).
        case command(consumed: Int)
        /// A frame with no command (`*0`, `*-1`, a blank inline line): skip `consumed` bytes.
        case empty(consumed: Int)
        /// More bytes are needed.
        case incomplete
        /// The request breaks the protocol: reply with the error and close the connection.
        case error(ProtocolError)
    }

    /// Redis's `PROTO_INLINE_MAX_SIZE`: the longest inline line or count header looked for.
    public static let inlineMaxSize = 64 * 1024

    /// The `proto-max-bulk-len` limit for a single argument.
    public var maxBulkLength: Int

    /// Set while the client must still authenticate: a frame may then hold at most
    /// `unauthenticatedMaxArguments` arguments of at most `unauthenticatedMaxBulkLength` bytes
    /// (Redis's limits, so that a stranger cannot make the server buffer much).
    public var isUnauthenticated = false
    public static let unauthenticatedMaxArguments = 10
    public static let unauthenticatedMaxBulkLength = 16384

    /// The arguments of the last `.command`, as spans relative to the frame start; valid until
    /// the next `parse` or `reset`.
    public var arguments: UnsafeBufferPointer<ArgumentSpan> { UnsafeBufferPointer(start: spans, count: argumentCount) }

    // `argumentCount` spans of the current frame, in storage for `spanCapacity`.
    private var spans: UnsafeMutablePointer<ArgumentSpan>
    private var spanCapacity: Int
    private var argumentCount = 0
    /// Where `InlineSplitter` puts an inline request's arguments (kept, like `spans`).
    private var inlineSpans: [ArgumentSpan] = []

    // Resume state for a multibulk frame that is still incomplete.
    private var remainingArguments = 0  // 0: no multibulk header parsed yet
    private var pendingBulkLength = -1  // -1: the next "$<n>" header is not parsed yet
    private var position = 0  // next unparsed byte, relative to the frame start

    public init(maxBulkLength: Int = 512 * 1024 * 1024) {
        self.maxBulkLength = maxBulkLength
        spanCapacity = 16
        spans = .allocate(capacity: spanCapacity)
    }

    deinit { spans.deallocate() }

    /// Makes room for `capacity` spans, keeping those already parsed.
    private mutating func reserveSpans(_ capacity: Int) {
        guard capacity > spanCapacity else { return }
        let larger = UnsafeMutablePointer<ArgumentSpan>.allocate(capacity: capacity)
        larger.initialize(from: spans, count: argumentCount)
        spans.deallocate()
        spans = larger
        spanCapacity = capacity
    }

    @inline(__always)
    private mutating func appendSpan(_ span: ArgumentSpan) {
        if argumentCount == spanCapacity { reserveSpans(spanCapacity * 2) }
        (spans + argumentCount).initialize(to: span)
        argumentCount += 1
    }

    /// True when a frame has been partly parsed; the caller must pass the same frame start.
    public var isMidFrame: Bool { position != 0 }

    /// Bytes of the current incomplete frame already parsed into arguments. Redis counts only
    /// the rest against `client-query-buffer-limit` (it moves parsed arguments out of its
    /// query buffer as it goes).
    public var parsedBytes: Int { position }

    /// The number of bytes the current incomplete frame needs at least, when known (a bulk
    /// argument's payload); lets the caller grow its buffer once for a large argument.
    /// Saturates at `Int.max` (a `maxBulkLength` near `Int.max` allows such lengths).
    public var bytesNeededHint: Int {
        guard pendingBulkLength >= 0 else { return 0 }
        return pendingBulkLength > Int.max - 2 - position ? Int.max : position + pendingBulkLength + 2
    }

    /// Parses the frame starting at `frame.baseAddress`. See the type's documentation.
    public mutating func parse(_ frame: UnsafeMutableRawBufferPointer) -> Outcome {
        guard frame.count > 0 else { return .incomplete }
        if position == 0 {
            argumentCount = 0
            if frame[0] != UInt8(ascii: "*") { return parseInline(frame) }
            if !isUnauthenticated, let outcome = parseWholeFrame(frame) { return outcome }
            argumentCount = 0  // what the one-pass path took before it gave up
        }
        return parseMultibulk(frame)
    }

    /// The usual request — a whole frame, every number plainly written — in one pass with no
    /// resume state; nil for anything else (a frame still arriving, odd digits, a missing LF,
    /// many arguments, a bulk over the limit), which `parseMultibulk` then parses from its start.
    /// It accepts only frames `parseMultibulk` accepts, with the same spans, so the two cannot
    /// disagree; wrapping arithmetic is safe because header numbers have at most nine digits.
    @inline(__always)
    private mutating func parseWholeFrame(_ frame: UnsafeMutableRawBufferPointer) -> Outcome? {
        let base = UnsafeRawPointer(frame.baseAddress!)
        let end = frame.count
        var cursor = 1  // not `position`: the resume state stays untouched here
        guard let count = RedisInteger.parseHeaderNumber(base, end: end, at: &cursor), count >= 1, count <= 1024 else { return nil }
        reserveSpans(count)
        for _ in 0..<count {
            guard cursor < end, base.load(fromByteOffset: cursor, as: UInt8.self) == UInt8(ascii: "$") else { return nil }
            cursor &+= 1
            guard let length = RedisInteger.parseHeaderNumber(base, end: end, at: &cursor), length <= maxBulkLength,
                end &- cursor >= length &+ 2
            else { return nil }
            appendSpan(ArgumentSpan(offset: cursor, count: length))
            cursor &+= length &+ 2
        }
        return .command(consumed: cursor)
    }

    /// Forgets a partly parsed frame (the connection is being reset or closed).
    public mutating func reset() {
        remainingArguments = 0
        pendingBulkLength = -1
        position = 0
        argumentCount = 0
    }

    private mutating func finish(_ outcome: Outcome) -> Outcome {
        remainingArguments = 0
        pendingBulkLength = -1
        position = 0
        return outcome
    }

    /// Finds the first `byte` at or after `from`, the way Redis's `strchr` over its NUL-terminated
    /// query buffer does: a NUL byte before it hides it, so nil (Redis then waits for more bytes
    /// until the inline limit, and so do we). Headers are a few bytes long ("$3\r\n"), so the
    /// first bytes are looked at here; `memchr` takes over only beyond them.
    @inline(__always)
    private static func findByte(_ byte: UInt8, in frame: UnsafeMutableRawBufferPointer, from: Int) -> Int? {
        guard from < frame.count, let base = frame.baseAddress else { return nil }
        let nearEnd = min(frame.count, from + 16)
        var index = from
        while index < nearEnd {
            let candidate = base.load(fromByteOffset: index, as: UInt8.self)
            if candidate == byte { return index }
            if candidate == 0 { return nil }
            index += 1
        }
        return index < frame.count ? findFar(byte, in: frame, from: index) : nil
    }

    /// `findByte` past its first bytes (none of them NUL).
    @inline(never)
    private static func findFar(_ byte: UInt8, in frame: UnsafeMutableRawBufferPointer, from: Int) -> Int? {
        let base = frame.baseAddress!
        guard let hit = memchr(base + from, Int32(byte), frame.count - from) else { return nil }
        let index = base.distance(to: UnsafeMutableRawPointer(hit))
        if index > from && memchr(base + from, 0, index - from) != nil { return nil }
        return index
    }

    private mutating func parseMultibulk(_ frame: UnsafeMutableRawBufferPointer) -> Outcome {
        let base = UnsafeRawPointer(frame.baseAddress!)
        if remainingArguments == 0 {
            guard let cr = Self.findByte(13, in: frame, from: 0) else {
                return frame.count > Self.inlineMaxSize ? finish(.error(.tooBigMultibulkCount)) : .incomplete
            }
            // Redis needs the CR and one more byte (taken to be LF, unchecked) in the buffer.
            if cr > frame.count - 2 { return .incomplete }
            guard let count = RedisInteger.parse(base + 1, count: cr - 1), count <= Int64(Int32.max) else {
                return finish(.error(.invalidMultibulkLength))
            }
            if count > Self.unauthenticatedMaxArguments && isUnauthenticated {
                return finish(.error(.unauthenticatedMultibulkLength))
            }
            if count <= 0 { return finish(.empty(consumed: cr + 2)) }
            remainingArguments = Int(count)
            position = cr + 2
            reserveSpans(min(Int(count), 1024))
        }
        while remainingArguments > 0 {
            if pendingBulkLength < 0 {
                guard let cr = Self.findByte(13, in: frame, from: position) else {
                    if frame.count - position > Self.inlineMaxSize { return finish(.error(.tooBigBulkCount)) }
                    return .incomplete
                }
                if cr - position > frame.count - position - 2 { return .incomplete }
                let marker = frame[position]
                if marker != UInt8(ascii: "$") { return finish(.error(.unexpectedByte(marker))) }
                guard let length = RedisInteger.parse(base + position + 1, count: cr - position - 1),
                    length >= 0, length <= Int64(maxBulkLength)
                else { return finish(.error(.invalidBulkLength)) }
                if length > Self.unauthenticatedMaxBulkLength && isUnauthenticated {
                    return finish(.error(.unauthenticatedBulkLength))
                }
                pendingBulkLength = Int(length)
                position = cr + 2
            }
            if frame.count - position - 2 < pendingBulkLength { return .incomplete }
            appendSpan(ArgumentSpan(offset: position, count: pendingBulkLength))
            position += pendingBulkLength + 2
            pendingBulkLength = -1
            remainingArguments -= 1
        }
        return finish(.command(consumed: position))
    }

    private mutating func parseInline(_ frame: UnsafeMutableRawBufferPointer) -> Outcome {
        guard let newline = Self.findByte(10, in: frame, from: 0) else {
            return frame.count > Self.inlineMaxSize ? finish(.error(.tooBigInlineRequest)) : .incomplete
        }
        var lineEnd = newline
        if lineEnd > 0 && frame[lineEnd - 1] == 13 { lineEnd -= 1 }
        guard InlineSplitter.split(frame, lineLength: lineEnd, into: &inlineSpans) else {
            return finish(.error(.unbalancedQuotes))
        }
        reserveSpans(inlineSpans.count)
        for span in inlineSpans { appendSpan(span) }
        let consumed = newline + 1
        return finish(argumentCount == 0 ? .empty(consumed: consumed) : .command(consumed: consumed))
    }
}
