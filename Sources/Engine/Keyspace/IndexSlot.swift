/// One 8-byte slot of the hash index: where a record lives, how far the slot is from the
/// record's home position, and a few hash bits so a probe rarely has to read the record.
///
/// ```
///  63          52 51        45 44                                        0
/// +--------------+------------+-------------------------------------------+
/// |   tag (12)   |  disp (7)  |        record address >> 3   (45)         |
/// +--------------+------------+-------------------------------------------+
/// ```
/// - address: records are 8-byte aligned and user-space addresses on Linux (x86-64, arm64)
///   stay below 2^48 unless a mapping is explicitly requested above it, so 45 bits hold them.
/// - disp: slot position minus home position. 0…126 are exact; 127 means "127 or more: hash
///   the record's key to find out" (rare: it needs a run of 127 displaced entries).
/// - tag: the hash's low 12 bits. Home positions come from the hash's *top* bits (fastrange),
///   so the tag is independent of the home and filters out 4095 of 4096 foreign keys.
/// The all-zero word is the empty slot: no record lives at address 0.
struct IndexSlot: Equatable {
    var raw: UInt64

    static let empty = IndexSlot(raw: 0)

    static let addressMask: UInt64 = (1 << 45) - 1
    static let displacementShift: UInt64 = 45
    static let displacementMask: UInt64 = 0x7F
    static let tagShift: UInt64 = 52
    /// Stored displacement meaning "at least this much; recompute from the key".
    static let saturatedDisplacement = 127

    @inline(__always)
    init(raw: UInt64) { self.raw = raw }

    @inline(__always)
    init(record: UnsafeMutableRawPointer, displacement: Int, tag: UInt64) {
        let address = UInt64(UInt(bitPattern: record))
        precondition(address & 7 == 0 && address >> 48 == 0, "record address \(record) not indexable")
        raw = (tag << IndexSlot.tagShift)
            | (UInt64(min(displacement, IndexSlot.saturatedDisplacement)) << IndexSlot.displacementShift)
            | (address >> 3)
    }

    /// The tag a key with this hash carries.
    @inline(__always)
    static func tag(of hash: UInt64) -> UInt64 { hash & 0xFFF }

    @inline(__always)
    var isEmpty: Bool { raw == 0 }

    @inline(__always)
    var record: UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: UInt((raw & IndexSlot.addressMask) << 3))!
    }

    @inline(__always)
    var tag: UInt64 { raw >> IndexSlot.tagShift }

    /// The displacement as stored: exact below `saturatedDisplacement`.
    @inline(__always)
    var storedDisplacement: Int { Int((raw >> IndexSlot.displacementShift) & IndexSlot.displacementMask) }

    @inline(__always)
    func with(displacement: Int) -> IndexSlot {
        let cleared = raw & ~(IndexSlot.displacementMask << IndexSlot.displacementShift)
        return IndexSlot(raw: cleared | (UInt64(min(displacement, IndexSlot.saturatedDisplacement)) << IndexSlot.displacementShift))
    }

    @inline(__always)
    func with(record: UnsafeMutableRawPointer) -> IndexSlot {
        IndexSlot(record: record, displacement: storedDisplacement, tag: tag)
    }
}
