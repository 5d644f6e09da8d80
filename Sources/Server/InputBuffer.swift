#if canImport(Glibc)
import Glibc
#endif

/// A connection's query buffer: bytes received and not yet parsed.
///
/// ```
/// +----------------+----------------------+-----------+
/// | parsed, done   | unparsed (frame...)  | free      |
/// +----------------+----------------------+-----------+
/// 0           readerIndex            writerIndex   capacity
/// ```
/// Memory: malloc'd and owned by this object, freed in `deinit`; used by the connection's shard
/// thread only. The parser keeps offsets relative to `readerIndex`, so the buffer may be
/// compacted or grown between reads but never while a command executes.
final class InputBuffer {
    private(set) var storage: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private(set) var readerIndex = 0
    private(set) var writerIndex = 0
    let initialCapacity: Int

    init(capacity: Int = 16 * 1024) {
        initialCapacity = capacity
        self.capacity = capacity
        storage = malloc(capacity)!
    }

    deinit { free(storage) }

    var readableBytes: Int { writerIndex - readerIndex }

    /// The unparsed bytes, mutable because inline requests are unquoted in place.
    var unparsed: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: storage + readerIndex, count: readableBytes)
    }

    /// Appends received bytes.
    func append(_ bytes: UnsafeRawPointer, count: Int) {
        ensureWritable(count)
        (storage + writerIndex).copyMemory(from: bytes, byteCount: count)
        writerIndex += count
    }

    /// Room for at least `count` more bytes at `writerIndex` (for reading straight into it).
    func ensureWritable(_ count: Int) {
        if capacity - writerIndex >= count { return }
        if readerIndex > 0 {
            memmove(storage, storage + readerIndex, readableBytes)
            writerIndex -= readerIndex
            readerIndex = 0
            if capacity - writerIndex >= count { return }
        }
        var newCapacity = capacity
        while newCapacity - writerIndex < count { newCapacity *= 2 }
        storage = realloc(storage, newCapacity)!
        capacity = newCapacity
    }

    var writableRegion: UnsafeMutableRawPointer { storage + writerIndex }
    var writableBytes: Int { capacity - writerIndex }

    func didWrite(_ count: Int) { writerIndex += count }

    /// Marks `count` parsed bytes as done; an emptied buffer rewinds and gives back memory a
    /// huge request made it take.
    func consume(_ count: Int) {
        readerIndex += count
        if readerIndex == writerIndex {
            readerIndex = 0
            writerIndex = 0
            if capacity > 4 * initialCapacity {
                storage = realloc(storage, initialCapacity)!
                capacity = initialCapacity
            }
        }
    }
}
