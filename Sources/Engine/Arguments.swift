import RESP

/// The arguments of one command, viewed in place inside the connection's input buffer
/// (`args[0]` is the command name).
///
/// Safety: built by the caller from memory it keeps unchanged for the duration of one command
/// execution on the shard thread; handlers must copy whatever they keep (the keyspace copies
/// keys and values into its records).
public struct Arguments {
    @usableFromInline let base: UnsafeRawPointer
    @usableFromInline let spans: UnsafeBufferPointer<ArgumentSpan>

    @inlinable
    public init(base: UnsafeRawPointer, spans: UnsafeBufferPointer<ArgumentSpan>) {
        self.base = base
        self.spans = spans
    }

    @inlinable public var count: Int { spans.count }

    @inlinable
    public subscript(index: Int) -> ByteView {
        let span = spans[index]
        return ByteView(base: base + span.offset, count: span.count)
    }

    /// Runs `body` with arguments made of `strings` (in-process use and tests).
    public static func with<R>(_ strings: [[UInt8]], _ body: (Arguments) throws -> R) rethrows -> R {
        try StoredArguments(strings).withArguments(body)
    }
}

/// Arguments copied out of the buffer they arrived in, for a command that runs later (queued
/// by MULTI) or that comes from elsewhere (the in-process engine): all bytes in one array.
public struct StoredArguments {
    private var bytes: [UInt8] = []
    private var spans: [ArgumentSpan] = []

    public init(_ strings: [[UInt8]]) {
        for string in strings {
            spans.append(ArgumentSpan(offset: bytes.count, count: string.count))
            bytes += string
        }
        bytes.append(0)  // never an empty buffer, so the base pointer is valid
    }

    public init(_ args: Arguments) {
        spans.reserveCapacity(args.count)
        for index in 0..<args.count {
            let argument = args[index]
            spans.append(ArgumentSpan(offset: bytes.count, count: argument.count))
            bytes.append(contentsOf: argument.bytes)
        }
        bytes.append(0)
    }

    /// Runs `body` with views of the stored arguments.
    public func withArguments<R>(_ body: (Arguments) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { raw in
            try spans.withUnsafeBufferPointer { spanBuffer in
                try body(Arguments(base: raw.baseAddress!, spans: spanBuffer))
            }
        }
    }
}
