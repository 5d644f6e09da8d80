import Engine
import Testing

/// CLUSTER KEYSLOT and the hash-slot function behind shard ownership. Expected slots were
/// taken from Debian's redis-server 7.0 started with `--cluster-enabled yes`.
@Suite struct ClusterKeyslotTests {
    @Test(arguments: [
        ("foo", 12182), ("bar", 5061), ("", 0),
        ("{user1000}.following", 3443), ("{user1000}.followers", 3443),  // same tag, same slot
        ("{}x", 10595),  // empty tag: the whole key is hashed
        ("a{}b{c}", 7353),  // the first "}" after the first "{" closes the tag, even when empty
        ("foo{bar", 15278), ("{b", 6215),  // no closing brace: the whole key
    ])
    func keyslotMatchesRedis(key: String, slot: Int) {
        #expect(Engine().reply("CLUSTER", "KEYSLOT", key) == ":\(slot)\r\n")
    }

    @Test func tagIsHashedAlone() {
        let e = Engine()
        #expect(e.reply("CLUSTER", "KEYSLOT", "x{foo}y") == e.reply("CLUSTER", "KEYSLOT", "foo"))
        #expect(e.reply("CLUSTER", "KEYSLOT", "{foo}{bar}") == e.reply("CLUSTER", "KEYSLOT", "foo"))
    }

    /// The XMODEM check value: CRC16 of "123456789" is 0x31C3.
    @Test func crc16CheckValue() {
        let digits = Array("123456789".utf8)
        #expect(digits.withUnsafeBytes { HashSlot.crc16($0) } == 0x31C3)
    }

    /// The sliced CRC (eight bytes per step) against the definition, bit by bit, for every
    /// length up to 40 — every split between the sliced steps and the byte-at-a-time tail.
    @Test func crc16MatchesBitwiseDefinition() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...40 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                var expected: UInt16 = 0
                for byte in bytes {
                    expected ^= UInt16(byte) << 8
                    for _ in 0..<8 { expected = expected & 0x8000 != 0 ? (expected << 1) ^ 0x1021 : expected << 1 }
                }
                #expect(bytes.withUnsafeBytes { HashSlot.crc16($0) } == expected, "bytes \(bytes)")
            }
        }
    }

    @Test func errorsAsRedis() {
        let e = Engine()
        #expect(e.reply("CLUSTER", "KEYSLOT") == "-ERR wrong number of arguments for 'cluster|keyslot' command\r\n")
        #expect(e.reply("CLUSTER", "KEYSLOT", "a", "b") == "-ERR wrong number of arguments for 'cluster|keyslot' command\r\n")
        #expect(e.reply("CLUSTER", "NOSUCH") == "-ERR unknown subcommand 'NOSUCH'. Try CLUSTER HELP.\r\n")
        #expect(e.reply("CLUSTER") == "-ERR wrong number of arguments for 'cluster' command\r\n")
    }
}
