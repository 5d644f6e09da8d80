#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The slot array of one generation of the hash index: `capacity` home positions followed by
/// an overflow tail, so linear probing never wraps around and slot order is hash order.
///
/// ```
///   home positions 0 ..< capacity                     overflow tail
/// +---+---+---+---+---+---+---+---+---+---+---+---+ +---+---+---+---+
/// | a | b | b |   | c | d | e | e | f |   | g |   | | g |   |   |   |
/// +---+---+---+---+---+---+---+---+---+---+---+---+ +---+---+---+---+
/// ```
/// A hash's home is `fastrange(hash, capacity)` = the high word of `hash × capacity`, which is
/// monotone in the hash. `HashIndex` keeps every run sorted by home, so reading the slots left
/// to right reads the keys in hash order whatever the capacity: SCAN's cursor is a hash.
///
/// Ownership: `HashIndex` creates tables and calls `deallocate()` exactly once when it retires
/// one; copies of this struct share the memory and must not outlive that call. Large tables
/// are mapped with mmap so a retired table goes straight back to the kernel. Shard thread only.
struct UnsafeSlotTable {
    private(set) var slots: UnsafeMutablePointer<IndexSlot>?
    /// Number of home positions.
    let capacity: Int
    /// Number of slots, home positions plus overflow tail.
    private(set) var length: Int
    /// Occupied slots.
    var count = 0
    /// Bytes at the start of a mapped table already given back to the kernel.
    private(set) var releasedBytes = 0

    private static let initialTail = 64
    private static let mmapThreshold = 256 * 1024
    private static let releaseStep = 64 * 1024
    private static let hugePageThreshold = 4 * 1024 * 1024

    /// The table of a keyspace that has never held a key.
    static var none: UnsafeSlotTable { UnsafeSlotTable() }

    private init() {
        slots = nil
        capacity = 0
        length = 0
    }

    init(capacity: Int) {
        precondition(capacity > 0, "table capacity \(capacity)")
        self.capacity = capacity
        length = capacity + UnsafeSlotTable.initialTail
        slots = UnsafeSlotTable.allocateSlots(length)
    }

    var isAllocated: Bool { slots != nil }
    /// Memory held: the slot array minus any prefix given back by `releasePrefix`.
    var byteCount: Int { length * MemoryLayout<IndexSlot>.stride - releasedBytes }

    @inline(__always)
    subscript(position: Int) -> IndexSlot {
        get { slots.unsafelyUnwrapped[position] }
        nonmutating set { slots.unsafelyUnwrapped[position] = newValue }
    }

    /// The home position of a hash: ⌊hash × capacity / 2^64⌋.
    @inline(__always)
    func home(of hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash.multipliedFullWidth(by: UInt64(truncatingIfNeeded: capacity)).high)
    }

    /// The smallest hash whose home is `position`, or nil when `position` is past the last home.
    func firstHash(atHome position: Int) -> UInt64? {
        guard position < capacity else { return nil }
        let divided = UInt64(capacity).dividingFullWidth((high: UInt64(position), low: 0))
        return divided.quotient + (divided.remainder == 0 ? 0 : 1)
    }

    /// Gives the pages of slots below `position` back to the kernel (mapped tables only, in
    /// 64 KiB steps). Those slots must be empty and never written again: the migrated prefix
    /// of a draining table, which then costs memory only for what it still holds. Reads
    /// there see zeros, i.e. empty slots.
    mutating func releasePrefix(below position: Int) {
        guard let slots, length * MemoryLayout<IndexSlot>.stride >= UnsafeSlotTable.mmapThreshold else { return }
        let bytes = (position * MemoryLayout<IndexSlot>.stride) & ~(UnsafeSlotTable.releaseStep - 1)
        guard bytes > releasedBytes else { return }
        madvise(UnsafeMutableRawPointer(slots) + releasedBytes, bytes - releasedBytes, Int32(MADV_DONTNEED))
        releasedBytes = bytes
    }

    /// Doubles the overflow tail (a run reached the end of the array; very rare).
    mutating func extendTail() {
        precondition(releasedBytes == 0, "extending a draining table")
        let newLength = capacity + (length - capacity) * 2
        let newSlots = UnsafeSlotTable.allocateSlots(newLength)
        newSlots.update(from: slots.unsafelyUnwrapped, count: length)
        UnsafeSlotTable.freeSlots(slots.unsafelyUnwrapped, length)
        slots = newSlots
        length = newLength
    }

    /// Returns the memory. The table must not be used afterwards.
    func deallocate() {
        if let slots { UnsafeSlotTable.freeSlots(slots, length) }
    }

    private static func allocateSlots(_ length: Int) -> UnsafeMutablePointer<IndexSlot> {
        let bytes = length * MemoryLayout<IndexSlot>.stride
        let memory: UnsafeMutableRawPointer?
        if bytes >= mmapThreshold {
            let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            memory = mapped == MAP_FAILED ? nil : mapped
            // Probes land anywhere in a big table: huge pages save a TLB miss per lookup.
            if let memory, bytes >= hugePageThreshold { madvise(memory, bytes, Int32(MADV_HUGEPAGE)) }
        } else {
            memory = calloc(length, MemoryLayout<IndexSlot>.stride)
        }
        guard let memory else { fatalError("out of memory allocating \(bytes) bytes of hash index") }
        // Fresh mmap and calloc memory is zero: every slot empty.
        return memory.bindMemory(to: IndexSlot.self, capacity: length)
    }

    private static func freeSlots(_ slots: UnsafeMutablePointer<IndexSlot>, _ length: Int) {
        let bytes = length * MemoryLayout<IndexSlot>.stride
        if bytes >= mmapThreshold {
            munmap(slots, bytes)
        } else {
            free(slots)
        }
    }
}
