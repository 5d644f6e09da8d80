#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A connection's reply bytes: `read` (epoll) or a copy from a provided buffer (io_uring) adds
/// at `writerIndex`, the reply scanner consumes from `readerIndex`.
///
/// ```
/// +------------------+-------------------+---------------+
/// | consumed         | received, unread  | free          |
/// +------------------+-------------------+---------------+
/// 0           readerIndex          writerIndex        capacity
/// ```
/// Memory: `malloc`ed, owned by this object, freed in `deinit`; grows only when one reply is
/// larger than the buffer, so steady state allocates nothing.
/// Thread: the worker thread that owns the connection.
final class ReceiveBuffer {
    private(set) var storage: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private(set) var readerIndex = 0
    private(set) var writerIndex = 0

    init(capacity: Int) {
        precondition(capacity > 0, "ReceiveBuffer capacity \(capacity) must be positive")
        self.capacity = capacity
        storage = malloc(capacity)!
    }

    deinit { free(storage) }

    var readable: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage + readerIndex, count: writerIndex - readerIndex)
    }

    var writableBytes: Int { capacity - writerIndex }
    var writableStart: UnsafeMutableRawPointer { storage + writerIndex }

    func didWrite(_ count: Int) {
        precondition(count >= 0 && count <= writableBytes, "didWrite \(count) of \(writableBytes)")
        writerIndex += count
    }

    func consume(_ count: Int) {
        precondition(count >= 0 && readerIndex + count <= writerIndex, "consume \(count)")
        readerIndex += count
        if readerIndex == writerIndex {
            readerIndex = 0
            writerIndex = 0
        }
    }

    /// Adds `count` received bytes from `bytes`.
    func append(_ bytes: UnsafeRawPointer, count: Int) {
        prepareForReceive(minimum: count)
        memcpy(storage + writerIndex, bytes, count)
        writerIndex += count
    }

    /// Makes room for at least `minimum` more bytes: slides unread bytes to the front, grows
    /// (doubling) only when that is not enough.
    func prepareForReceive(minimum: Int) {
        if writableBytes >= minimum { return }
        if readerIndex > 0 {
            memmove(storage, storage + readerIndex, writerIndex - readerIndex)
            writerIndex -= readerIndex
            readerIndex = 0
        }
        if writableBytes >= minimum { return }
        var newCapacity = capacity
        while newCapacity - writerIndex < minimum { newCapacity *= 2 }
        storage = realloc(storage, newCapacity)!
        capacity = newCapacity
    }
}
