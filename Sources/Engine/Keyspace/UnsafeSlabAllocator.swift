#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Memory for records: size classes of 8-byte granularity up to 4 KiB, carved from 256 KiB
/// chunks obtained with mmap, with one free list per class. Larger blocks come from malloc.
///
/// Why: malloc spends 8–16 bytes of header and rounding per block; an 80-byte record would
/// cost ~96. Here it costs 80, and FLUSHDB returns every chunk at once.
///
/// ```
/// chunk (256 KiB, mmap):  [blk80][blk80][blk24][blk80] ...... [bump →      free tail    ]
/// freeLists[class]:       blk → blk → nil     (next pointer stored in the free block)
/// ```
/// Blocks are handed out bump-first from the current chunk; a chunk's unusable tail becomes
/// a free block of its own size. Freed blocks go to their class's list and are reused; chunks
/// are only returned by `releaseAll()` (like Redis without active defragmentation).
///
/// Ownership: owned by one `Keyspace`, which calls `releaseAll()` and `destroy()`; the
/// allocator frees chunks, the keyspace frees large blocks it allocated through `allocate`
/// (by calling `deallocate`) before `releaseAll()`. Not copyable in spirit: the keyspace
/// keeps the only copy. Shard thread only.
struct UnsafeSlabAllocator {
    static let granularity = 8
    static let largestClassSize = 4096
    static let classCount = largestClassSize / granularity
    static let chunkSize = 256 * 1024

    private let freeLists: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    private var bumpNext: UnsafeMutableRawPointer?
    private var bumpEnd: UnsafeMutableRawPointer?
    private var chunks: [UnsafeMutableRawPointer] = []
    /// Bytes in blocks currently handed out.
    private(set) var liveBytes = 0
    /// Bytes in blocks from malloc currently handed out (part of `liveBytes`).
    private(set) var largeBytes = 0
    /// Number of blocks from malloc currently handed out.
    private(set) var largeBlocks = 0

    init() {
        freeLists = .allocate(capacity: UnsafeSlabAllocator.classCount + 1)
        freeLists.initialize(repeating: nil, count: UnsafeSlabAllocator.classCount + 1)
    }

    /// Bytes obtained from the system: all chunks plus large blocks.
    var reservedBytes: Int { chunks.count * UnsafeSlabAllocator.chunkSize + largeBytes }

    /// A block of `size` bytes (a positive multiple of 8), 8-byte aligned.
    @inline(__always)
    mutating func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        assert(size > 0 && size % UnsafeSlabAllocator.granularity == 0, "block size \(size)")
        liveBytes += size
        if size > UnsafeSlabAllocator.largestClassSize {
            largeBytes += size
            largeBlocks += 1
            guard let block = malloc(size) else { fatalError("out of memory allocating a \(size)-byte record") }
            return block
        }
        let sizeClass = size / UnsafeSlabAllocator.granularity
        if let block = freeLists[sizeClass] {
            freeLists[sizeClass] = block.load(as: UnsafeMutableRawPointer?.self)
            return block
        }
        if let next = bumpNext, bumpEnd.unsafelyUnwrapped - next >= size {
            bumpNext = next + size
            return next
        }
        return allocateFromNewChunk(size)
    }

    /// Returns a block of `size` bytes obtained from `allocate(size)`.
    @inline(__always)
    mutating func deallocate(_ block: UnsafeMutableRawPointer, size: Int) {
        liveBytes -= size
        if size > UnsafeSlabAllocator.largestClassSize {
            largeBytes -= size
            largeBlocks -= 1
            free(block)
            return
        }
        push(block, sizeClass: size / UnsafeSlabAllocator.granularity)
    }

    /// Unmaps every chunk. Every large block must have been deallocated first.
    mutating func releaseAll() {
        precondition(largeBlocks == 0, "\(largeBlocks) large blocks still allocated")
        for chunk in chunks { munmap(chunk, UnsafeSlabAllocator.chunkSize) }
        chunks.removeAll()
        freeLists.update(repeating: nil, count: UnsafeSlabAllocator.classCount + 1)
        bumpNext = nil
        bumpEnd = nil
        liveBytes = 0
    }

    /// `releaseAll()` and frees the allocator's own bookkeeping; the allocator is dead after.
    mutating func destroy() {
        releaseAll()
        freeLists.deallocate()
    }

    @inline(__always)
    private func push(_ block: UnsafeMutableRawPointer, sizeClass: Int) {
        block.storeBytes(of: freeLists[sizeClass], as: UnsafeMutableRawPointer?.self)
        freeLists[sizeClass] = block
    }

    private mutating func allocateFromNewChunk(_ size: Int) -> UnsafeMutableRawPointer {
        if let next = bumpNext, let end = bumpEnd, end - next >= UnsafeSlabAllocator.granularity {
            push(next, sizeClass: (end - next) / UnsafeSlabAllocator.granularity)
        }
        let mapped = mmap(nil, UnsafeSlabAllocator.chunkSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let chunk = mapped, chunk != MAP_FAILED else { fatalError("out of memory mapping a record chunk") }
        chunks.append(chunk)
        bumpNext = chunk + size
        bumpEnd = chunk + UnsafeSlabAllocator.chunkSize
        return chunk
    }
}
