/// The keyspace's own random numbers (wyrand): sampling keys for active expiry and RANDOMKEY.
///
/// Why not `SystemRandomNumberGenerator`: a syscall-backed generator per sample is too slow for
/// the expiry cycle, and tests want reproducible sequences from a seed. Not cryptographic.
struct KeyspaceRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0xa076_1d64_78bd_642f
        return KeyHasher.mix(state, state ^ 0xe703_7ed1_a0b4_28db)
    }

    /// A number in `0 ..< bound` (`bound` > 0), by fastrange.
    @inline(__always)
    mutating func next(below bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}
