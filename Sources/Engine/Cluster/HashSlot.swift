import Glibc
import RESP

/// Redis Cluster's key → slot mapping: CRC16 (XMODEM: polynomial 0x1021, initial value 0) of
/// the key, or of its hash tag, modulo 16384. Shards own slots, so this decides which shard a
/// key lives on, and `{tag}`s let a client keep related keys together.
///
/// Hash tag rule (Redis `keyHashSlot`): if the key has a `{`, and a `}` somewhere after it,
/// and at least one byte between them, only the bytes between the first `{` and the first `}`
/// after it are hashed. `{}x` therefore hashes whole, and `a{b}{c}` hashes `b`.
public enum HashSlot {
    public static let count = 16384

    /// The slot of `key`.
    @inlinable
    public static func of(_ key: ByteView) -> Int {
        let bytes = key.bytes
        guard let open = offset(of: UInt8(ascii: "{"), in: bytes) else {
            return Int(crc16(bytes) & UInt16(count - 1))
        }
        let rest = UnsafeRawBufferPointer(rebasing: bytes[(open + 1)...])
        guard let close = offset(of: UInt8(ascii: "}"), in: rest), close > 0 else {
            return Int(crc16(bytes) & UInt16(count - 1))
        }
        return Int(crc16(UnsafeRawBufferPointer(rebasing: rest[..<close])) & UInt16(count - 1))
    }

    /// Where `byte` first is in `bytes`: libc's vectorised `memchr`, not a byte-by-byte loop.
    @inlinable
    static func offset(of byte: UInt8, in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, let found = memchr(base, Int32(byte), bytes.count) else { return nil }
        return UnsafeRawPointer(found) - base
    }

    /// CRC16-XMODEM. Eight bytes per step by slicing: the register is folded into the step's
    /// first two bytes, and each byte's contribution is a lookup in the table for its distance
    /// from the step's end — eight independent loads instead of a chain of eight dependent
    /// ones, which is what a byte-at-a-time CRC of a typical 10–20 byte key waits on.
    @inlinable
    public static func crc16(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        var crc: UInt16 = 0
        var index = 0
        tables.withUnsafeBufferPointer { table in
            @inline(__always) func entry(_ distance: Int, _ byte: UInt8) -> UInt16 { table[distance &* 256 &+ Int(byte)] }
            while bytes.count - index >= 8 {
                crc = entry(7, bytes[index] ^ UInt8(truncatingIfNeeded: crc >> 8))
                    ^ entry(6, bytes[index + 1] ^ UInt8(truncatingIfNeeded: crc))
                    ^ entry(5, bytes[index + 2]) ^ entry(4, bytes[index + 3])
                    ^ entry(3, bytes[index + 4]) ^ entry(2, bytes[index + 5])
                    ^ entry(1, bytes[index + 6]) ^ entry(0, bytes[index + 7])
                index += 8
            }
            while index < bytes.count {
                crc = (crc << 8) ^ entry(0, UInt8(truncatingIfNeeded: crc >> 8) ^ bytes[index])
                index += 1
            }
        }
        return crc
    }

    /// Eight tables of 256: entry `d * 256 + b` is the register after byte `b` followed by `d`
    /// zero bytes, starting from 0. Table 0 is the classic byte-at-a-time table, computed bit
    /// by bit once.
    @usableFromInline
    static let tables: [UInt16] = {
        var tables = (0..<256).map { byte in
            var crc = UInt16(byte) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
            return crc
        }
        for distance in 1..<8 {
            for byte in 0..<256 {
                let previous = tables[(distance - 1) * 256 + byte]
                tables.append((previous << 8) ^ tables[Int(previous >> 8)])
            }
        }
        return tables
    }()
}
