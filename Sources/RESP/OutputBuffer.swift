#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A connection's growable output buffer: replies are appended at `writerIndex`, the socket
/// drains from `readerIndex`.
///
/// ```
/// +-------------------+------------------+------------------+
/// | already sent      | waiting to send  | free             |
/// +-------------------+------------------+------------------+
/// 0            readerIndex         writerIndex          capacity
/// ```
///
/// Memory: allocated with `malloc`, owned by this object, freed in `deinit`; one buffer per
/// connection, reused for its lifetime, so replies cost no allocation once it has grown.
/// Thread: owned by the connection's shard thread (not Sendable).
public final class OutputBuffer {
    public private(set) var storage: UnsafeMutableRawPointer
    public private(set) var capacity: Int
    public private(set) var readerIndex = 0
    /// Backing store of `writerIndex`, internal so the inlinable append paths can advance it.
    @usableFromInline var _writerIndex = 0
    @inlinable public var writerIndex: Int { _writerIndex }
    /// Capacity a drained buffer shrinks back to, so one huge reply does not pin memory forever.
    public let initialCapacity: Int

    public init(capacity: Int = 16 * 1024) {
        // Growth doubles the capacity: from 0 it would never grow.
        precondition(capacity > 0, "OutputBuffer capacity \(capacity) must be positive")
        self.initialCapacity = capacity
        self.capacity = capacity
        self.storage = malloc(capacity)!
    }

    deinit { free(storage) }

    /// Bytes written and not yet consumed.
    @inlinable public var readableBytes: Int { writerIndex - readerIndex }
    @inlinable public var isEmpty: Bool { writerIndex == readerIndex }

    /// The unsent bytes; valid until the next mutation.
    @inlinable public var readableRegion: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage + readerIndex, count: readableBytes)
    }

    /// Marks `count` bytes as sent. When everything is sent the buffer rewinds (and shrinks if
    /// a big reply had grown it).
    public func consume(_ count: Int) {
        precondition(count >= 0 && count <= readableBytes, "consume \(count) of \(readableBytes)")
        readerIndex += count
        if readerIndex == writerIndex {
            readerIndex = 0
            _writerIndex = 0
            if capacity > 4 * initialCapacity {
                storage = realloc(storage, initialCapacity)!
                capacity = initialCapacity
            }
        }
    }

    /// Makes room for `count` more bytes and returns where to write them; call `commit`.
    @inlinable
    public func reserve(_ count: Int) -> UnsafeMutableRawPointer {
        if capacity - writerIndex < count { grow(count) }
        return storage + writerIndex
    }

    @inlinable
    public func commit(_ count: Int) {
        _writerIndex += count
    }

    /// Grows by doubling. Never moves bytes within the buffer: offsets taken while writing a
    /// reply (deferred headers) stay valid. `compact()` slides between replies.
    @usableFromInline
    func grow(_ count: Int) {
        var newCapacity = capacity
        while newCapacity - writerIndex < count { newCapacity *= 2 }
        storage = realloc(storage, newCapacity)!
        capacity = newCapacity
    }

    /// Moves unsent bytes to the front. Call only between replies (the server does before
    /// processing a batch of requests).
    public func compact() {
        guard readerIndex > 0 else { return }
        memmove(storage, storage + readerIndex, readableBytes)
        _writerIndex -= readerIndex
        readerIndex = 0
    }

    @inlinable
    public func append(_ bytes: UnsafeRawPointer, count: Int) {
        let destination = reserve(count)
        destination.copyMemory(from: bytes, byteCount: count)
        _writerIndex += count
    }

    @inlinable
    public func append(_ literal: StaticString) {
        append(literal.utf8Start, count: literal.utf8CodeUnitCount)
    }

    @inlinable
    public func append(_ byte: UInt8) { append(byte: byte) }

    @inlinable
    public func append(byte: UInt8) {
        let destination = reserve(1)
        destination.storeBytes(of: byte, as: UInt8.self)
        _writerIndex += 1
    }

    public func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0.baseAddress!, count: $0.count) }
    }

    /// Inserts `count` bytes at `offset` (an index of already written bytes), shifting the rest:
    /// the deferred array header of replies whose length is known only at the end.
    func insert(_ bytes: UnsafeRawPointer, count: Int, at offset: Int) {
        precondition(offset >= readerIndex && offset <= writerIndex, "insert at \(offset)")
        _ = reserve(count)
        memmove(storage + offset + count, storage + offset, writerIndex - offset)
        (storage + offset).copyMemory(from: bytes, byteCount: count)
        _writerIndex += count
    }

    /// Drops everything written after `offset` (used to take back a partial reply).
    public func truncate(to offset: Int) {
        precondition(offset >= readerIndex && offset <= writerIndex, "truncate to \(offset)")
        _writerIndex = offset
    }

    /// Test convenience: the unsent bytes as an array.
    public var readableArray: [UInt8] { Array(readableRegion) }
}
