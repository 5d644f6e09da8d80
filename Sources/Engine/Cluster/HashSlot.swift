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
        guard let open = bytes.firstIndex(of: UInt8(ascii: "{")) else {
            return Int(crc16(bytes) & UInt16(count - 1))
        }
        let rest = UnsafeRawBufferPointer(rebasing: bytes[(open + 1)...])
        guard let close = rest.firstIndex(of: UInt8(ascii: "}")), close > 0 else {
            return Int(crc16(bytes) & UInt16(count - 1))
        }
        return Int(crc16(UnsafeRawBufferPointer(rebasing: rest[..<close])) & UInt16(count - 1))
    }

    /// CRC16-XMODEM, one table lookup per byte.
    @inlinable
    public static func crc16(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        var crc: UInt16 = 0
        table.withUnsafeBufferPointer { table in
            for byte in bytes {
                crc = (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
            }
        }
        return crc
    }

    /// The CRC of every byte value, computed bit by bit once.
    @usableFromInline
    static let table: [UInt16] = (0..<256).map { byte in
        var crc = UInt16(byte) << 8
        for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        return crc
    }
}
