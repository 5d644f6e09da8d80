#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Memory for records: size classes of 8-byte granularity up to 4 KiB, carved from chunks
/// obtained with mmap, with one free list per class. Larger blocks come from malloc.
/// The first 32 chunks are 256 KiB; past 8 MiB chunks are 4 MiB, 2 MiB-aligned and marked
/// for transparent huge pages, since GETs on a big keyspace land on random records and a TLB
/// miss costs as much as the cache miss.
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
    static let smallChunkLimit = 32
    static let hugeChunkSize = 4 * 1024 * 1024
    static let hugePageSize = 2 * 1024 * 1024

    private let freeLists: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    private var bumpNext: UnsafeMutableRawPointer?
    private var bumpEnd: UnsafeMutableRawPointer?
    private var chunks: [(base: UnsafeMutableRawPointer, size: Int)] = []
    private var mappedBytes = 0
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

    /// Bytes the allocator mapped itself: chunks up to the bump pointer (the untouched rest of
    /// the current chunk costs no memory). Large blocks are malloc's, counted in `largeBytes`.
    var reservedBytes: Int {
        let untouched = bumpNext.map { bumpEnd.unsafelyUnwrapped - $0 } ?? 0
        return mappedBytes - untouched
    }

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
        for chunk in chunks { munmap(chunk.base, chunk.size) }
        chunks.removeAll()
        mappedBytes = 0
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
        let huge = chunks.count >= UnsafeSlabAllocator.smallChunkLimit
        let chunkSize = huge ? UnsafeSlabAllocator.hugeChunkSize : UnsafeSlabAllocator.chunkSize
        let chunk = huge ? UnsafeSlabAllocator.mapAlignedHugeChunk() : UnsafeSlabAllocator.map(chunkSize)
        chunks.append((chunk, chunkSize))
        mappedBytes += chunkSize
        bumpNext = chunk + size
        bumpEnd = chunk + chunkSize
        return chunk
    }

    private static func map(_ bytes: Int) -> UnsafeMutableRawPointer {
        let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let chunk = mapped, chunk != MAP_FAILED else { fatalError("out of memory mapping a record chunk") }
        return chunk
    }

    /// A `hugeChunkSize` chunk starting on a huge-page boundary, advised to use huge pages:
    /// over-map by one huge page, then unmap the unaligned head and the tail.
    private static func mapAlignedHugeChunk() -> UnsafeMutableRawPointer {
        let mapped = map(hugeChunkSize + hugePageSize)
        let address = UInt(bitPattern: mapped)
        let aligned = (address + UInt(hugePageSize - 1)) & ~UInt(hugePageSize - 1)
        let head = Int(aligned - address)
        if head > 0 { munmap(mapped, head) }
        let tail = hugePageSize - head
        let chunk = mapped + head
        if tail > 0 { munmap(chunk + hugeChunkSize, tail) }
        madvise(chunk, hugeChunkSize, Int32(MADV_HUGEPAGE))
        return chunk
    }
}
