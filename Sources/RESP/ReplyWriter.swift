#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Writes replies in the connection's protocol (RESP2 or RESP3) into its `OutputBuffer`.
///
/// Commands describe replies by meaning (null, map, double…) and this type picks the wire form:
/// RESP2 has no null type, map, set, double or boolean, so those fall back to what Redis sends
/// RESP2 clients (`$-1`, flat arrays, bulk strings, integers).
///
/// The buffer is held unretained: a writer is made per command by the buffer's owner, which
/// keeps the buffer alive for longer. The replies every command writes reach it through
/// `write`, which borrows it without touching its reference count (an `unowned(unsafe)` field
/// still costs a retain and a release around each call made through it).
public struct ReplyWriter {
    @usableFromInline let unretainedBuffer: Unmanaged<OutputBuffer>
    /// 2 or 3, as negotiated with HELLO.
    public var protocolVersion: Int

    public init(buffer: OutputBuffer, protocolVersion: Int = 2) {
        self.unretainedBuffer = Unmanaged.passUnretained(buffer)
        self.protocolVersion = protocolVersion
    }

    /// The buffer replies go to (for the rare callers that need it whole).
    public var buffer: OutputBuffer { unretainedBuffer.takeUnretainedValue() }

    /// Runs `body` with the buffer borrowed: no reference counting.
    @inlinable
    func write<R>(_ body: (OutputBuffer) -> R) -> R { unretainedBuffer._withUnsafeGuaranteedRef(body) }

    /// Where the next reply byte goes (replies written since then are `bytes(since:)`).
    @inlinable public var writerIndex: Int { write { $0.writerIndex } }

    /// The first byte written at or after `offset`, nil if nothing was.
    @inlinable
    public func firstByte(since offset: Int) -> UInt8? {
        write { $0.writerIndex > offset ? $0.storage.load(fromByteOffset: offset, as: UInt8.self) : nil }
    }

    @inlinable public var isRESP3: Bool { protocolVersion >= 3 }

    // MARK: Simple values

    /// `+OK`-style status line; `text` must not contain CR or LF.
    @inlinable
    public func simple(_ text: StaticString) {
        write { buffer in
            buffer.append(byte: UInt8(ascii: "+"))
            buffer.append(text)
            buffer.append("\r\n")
        }
    }

    public func simple(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            buffer.append(byte: UInt8(ascii: "+"))
            buffer.append(utf8.baseAddress!, count: utf8.count)
            buffer.append("\r\n")
        }
    }

    @inlinable public func ok() { write { $0.append("+OK\r\n") } }

    /// An error line; `message` includes its code ("ERR …", "WRONGTYPE …").
    @inlinable
    public func error(_ message: StaticString) {
        write { buffer in
            buffer.append(byte: UInt8(ascii: "-"))
            buffer.append(message)
            buffer.append("\r\n")
        }
    }

    /// An error built at run time. CR and LF become spaces, as Redis does.
    public func error(_ message: String) {
        error(bytes: Array(message.utf8))
    }

    public func error(bytes: [UInt8]) {
        buffer.append(byte: UInt8(ascii: "-"))
        for byte in bytes { buffer.append(byte: (byte == 13 || byte == 10) ? 32 : byte) }
        buffer.append("\r\n")
    }

    @inlinable
    public func integer(_ value: Int64) {
        write { buffer in
            let destination = buffer.reserve(24)
            destination.storeBytes(of: UInt8(ascii: ":"), as: UInt8.self)
            let length = RedisInteger.format(value, into: destination + 1)
            (destination + 1 + length).storeBytes(of: 0x0A0D, as: UInt16.self)  // "\r\n"
            buffer.commit(length + 3)
        }
    }

    @inlinable public func integer(_ value: Int) { integer(Int64(value)) }

    /// A length-prefixed header such as `*3\r\n` or `$5\r\n`.
    @inlinable
    public func header(_ marker: UInt8, _ count: Int) {
        write { buffer in
            let destination = buffer.reserve(24)
            destination.storeBytes(of: marker, as: UInt8.self)
            let length = RedisInteger.format(Int64(count), into: destination + 1)
            (destination + 1 + length).storeBytes(of: 0x0A0D, as: UInt16.self)
            buffer.commit(length + 3)
        }
    }

    // MARK: Bulk strings

    @inlinable
    public func bulk(_ bytes: UnsafeRawPointer, count: Int) {
        header(UInt8(ascii: "$"), count)
        write { buffer in
            let destination = buffer.reserve(count + 2)
            destination.copyMemory(from: bytes, byteCount: count)
            (destination + count).storeBytes(of: 0x0A0D, as: UInt16.self)
            buffer.commit(count + 2)
        }
    }

    @inlinable public func bulk(_ view: ByteView) { bulk(view.base, count: view.count) }

    @inlinable
    public func bulk(_ literal: StaticString) {
        bulk(literal.utf8Start, count: literal.utf8CodeUnitCount)
    }

    public func bulk(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { bulk($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: $0.count) }
    }

    public func bulk(_ text: String) {
        var text = text
        text.withUTF8 { bulk(UnsafeRawPointer($0.baseAddress ?? UnsafePointer(bitPattern: 1)!), count: $0.count) }
    }

    /// An integer sent as a bulk string (GET of an int-encoded value).
    @inlinable
    public func bulk(integer value: Int64) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { scratch in
            let length = RedisInteger.format(value, into: scratch.baseAddress!)
            bulk(scratch.baseAddress!, count: length)
        }
    }

    // MARK: Null, aggregates and RESP3 types

    /// The null bulk string: `$-1` in RESP2, `_` in RESP3.
    @inlinable
    public func null() { write { $0.append(isRESP3 ? "_\r\n" : "$-1\r\n") } }

    /// The null array: `*-1` in RESP2, `_` in RESP3.
    @inlinable
    public func nullArray() { buffer.append(isRESP3 ? "_\r\n" : "*-1\r\n") }

    @inlinable public func arrayHeader(_ count: Int) { header(UInt8(ascii: "*"), count) }

    /// A map of `count` pairs: `%` in RESP3, a flat array of 2×count in RESP2.
    @inlinable
    public func mapHeader(_ count: Int) {
        if isRESP3 { header(UInt8(ascii: "%"), count) } else { header(UInt8(ascii: "*"), count * 2) }
    }

    /// A set: `~` in RESP3, an array in RESP2.
    @inlinable
    public func setHeader(_ count: Int) {
        header(isRESP3 ? UInt8(ascii: "~") : UInt8(ascii: "*"), count)
    }

    public func bool(_ value: Bool) {
        if isRESP3 { buffer.append(value ? "#t\r\n" : "#f\r\n") } else { integer(value ? 1 : 0) }
    }

    /// A double as Redis 7.0 prints it (`%.17g`, "inf"/"-inf"): RESP3 `,`, RESP2 bulk string.
    public func double(_ value: Double) {
        let text: String
        if value.isInfinite {
            text = value > 0 ? "inf" : "-inf"
        } else {
            text = formatDouble17g(value)
        }
        if isRESP3 { simpleLine(UInt8(ascii: ","), text) } else { bulk(text) }
    }

    /// Verbatim text (`=` with a 3-letter format in RESP3, a bulk string in RESP2).
    public func verbatim(_ text: String, format: StaticString = "txt") {
        guard isRESP3 else { return bulk(text) }
        var text = text
        text.withUTF8 { utf8 in
            header(UInt8(ascii: "="), utf8.count + 4)
            buffer.append(format)
            buffer.append(byte: UInt8(ascii: ":"))
            buffer.append(utf8.baseAddress!, count: utf8.count)
            buffer.append("\r\n")
        }
    }

    private func simpleLine(_ marker: UInt8, _ text: String) {
        buffer.append(byte: marker)
        buffer.append(Array(text.utf8))
        buffer.append("\r\n")
    }

    // MARK: Deferred lengths

    /// Where an aggregate whose length is not yet known begins.
    public struct Deferred {
        let offset: Int
    }

    /// Starts an aggregate whose element count is known only after writing its elements.
    public func beginDeferred() -> Deferred { Deferred(offset: buffer.writerIndex) }

    /// Writes the header for an aggregate begun with `beginDeferred`.
    public func endDeferredArray(_ deferred: Deferred, count: Int) {
        insertHeader(UInt8(ascii: "*"), count, at: deferred.offset)
    }

    public func endDeferredMap(_ deferred: Deferred, pairs: Int) {
        if isRESP3 {
            insertHeader(UInt8(ascii: "%"), pairs, at: deferred.offset)
        } else {
            insertHeader(UInt8(ascii: "*"), pairs * 2, at: deferred.offset)
        }
    }

    public func endDeferredSet(_ deferred: Deferred, count: Int) {
        insertHeader(isRESP3 ? UInt8(ascii: "~") : UInt8(ascii: "*"), count, at: deferred.offset)
    }

    private func insertHeader(_ marker: UInt8, _ count: Int, at offset: Int) {
        var scratch: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { raw in
            let p = raw.baseAddress!
            p.storeBytes(of: marker, as: UInt8.self)
            let length = RedisInteger.format(Int64(count), into: p + 1)
            (p + 1 + length).storeBytes(of: 0x0A0D, as: UInt16.self)
            buffer.insert(p, count: length + 3, at: offset)
        }
    }
}

/// `%.17g` formatting of a double, the way Redis prints scores and RESP3 doubles.
public func formatDouble17g(_ value: Double) -> String {
    var scratch = [CChar](repeating: 0, count: 64)
    let length = withVaList([value]) { vsnprintf(&scratch, 64, "%.17g", $0) }
    return String(decoding: scratch[0..<Int(length)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
