import RESP

/// The 64-bit hash of keys, in the style of wyhash: a handful of 64×64→128-bit multiplies for
/// short keys, which is what almost every key is.
///
/// Why our own: the index needs a fast, well-mixed 64-bit hash whose *top* bits place a key
/// (fastrange) and whose *low* bits tag it, and a per-keyspace seed so clients cannot choose
/// keys that collide. Swift's `Hasher` is slower for raw bytes and its output is not stable
/// within a process across seeds we control. Pure value type, no memory ownership.
struct KeyHasher {
    private static let secret0: UInt64 = 0xa076_1d64_78bd_642f
    private static let secret1: UInt64 = 0xe703_7ed1_a0b4_28db
    private static let secret2: UInt64 = 0x8ebc_6af0_9c88_c6db
    private static let secret3: UInt64 = 0x5899_65cc_7537_4cc3

    private let seed: UInt64

    init(seed: UInt64) {
        self.seed = seed ^ KeyHasher.mix(seed ^ KeyHasher.secret0, KeyHasher.secret1)
    }

    /// Folds the 128-bit product of `a` and `b` into 64 bits.
    @inline(__always)
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    @inline(__always)
    private static func read8(_ p: UnsafeRawPointer) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
    }

    @inline(__always)
    private static func read4(_ p: UnsafeRawPointer) -> UInt64 {
        UInt64(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
    }

    @inline(__always)
    func hash(_ key: ByteView) -> UInt64 { hash(key.base, count: key.count) }

    func hash(_ start: UnsafeRawPointer, count: Int) -> UInt64 {
        var seed = self.seed
        var a: UInt64 = 0
        var b: UInt64 = 0
        if count <= 16 {
            if count >= 4 {
                let shift = (count >> 3) << 2
                a = (KeyHasher.read4(start) << 32) | KeyHasher.read4(start + shift)
                b = (KeyHasher.read4(start + count - 4) << 32) | KeyHasher.read4(start + count - 4 - shift)
            } else if count > 0 {
                let p = start.assumingMemoryBound(to: UInt8.self)
                a = (UInt64(p[0]) << 16) | (UInt64(p[count >> 1]) << 8) | UInt64(p[count - 1])
            }
        } else {
            var remaining = count
            var p = start
            if remaining > 48 {
                var lane1 = seed
                var lane2 = seed
                repeat {
                    seed = KeyHasher.mix(KeyHasher.read8(p) ^ KeyHasher.secret1, KeyHasher.read8(p + 8) ^ seed)
                    lane1 = KeyHasher.mix(KeyHasher.read8(p + 16) ^ KeyHasher.secret2, KeyHasher.read8(p + 24) ^ lane1)
                    lane2 = KeyHasher.mix(KeyHasher.read8(p + 32) ^ KeyHasher.secret3, KeyHasher.read8(p + 40) ^ lane2)
                    p += 48
                    remaining -= 48
                } while remaining > 48
                seed ^= lane1 ^ lane2
            }
            while remaining > 16 {
                seed = KeyHasher.mix(KeyHasher.read8(p) ^ KeyHasher.secret1, KeyHasher.read8(p + 8) ^ seed)
                p += 16
                remaining -= 16
            }
            // The last 16 bytes of the key, overlapping bytes already mixed when needed.
            a = KeyHasher.read8(p + remaining - 16)
            b = KeyHasher.read8(p + remaining - 8)
        }
        a ^= KeyHasher.secret1
        b ^= seed
        let product = a.multipliedFullWidth(by: b)
        return KeyHasher.mix(product.low ^ KeyHasher.secret0 ^ UInt64(count), product.high ^ KeyHasher.secret1)
    }
}
