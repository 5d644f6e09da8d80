@testable import Engine
import RESP
import Testing

/// SELECT and HELLO argument errors, byte for byte as redis-server 7.0 answers them: both read
/// a 64-bit integer first, then SELECT wants it within 32 bits and an existing database, and
/// HELLO wants protocol 2 or 3.
@Suite struct ConnectionCommandsTests {
    @Test func selectIndexErrors() {
        let e = Engine()
        let notInteger = "-ERR value is not an integer or out of range\r\n"
        let outOf32Bits = "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n"
        #expect(e.reply("SELECT", "1.0") == notInteger)
        #expect(e.reply("SELECT", "9223372036854775808") == notInteger)
        #expect(e.reply("SELECT", "2147483648") == outOf32Bits)
        #expect(e.reply("SELECT", "-2147483649") == outOf32Bits)
        #expect(e.reply("SELECT", "2147483647") == "-ERR DB index is out of range\r\n")
        #expect(e.reply("SELECT", "16") == "-ERR DB index is out of range\r\n")
        #expect(e.reply("SELECT", "-0") == notInteger)  // not canonical, as string2ll wants
        #expect(e.reply("SELECT", "01") == notInteger)
        #expect(e.session.databaseIndex == 0)
        #expect(e.reply("SELECT", "1") == "+OK\r\n")
        #expect(e.session.databaseIndex == 1)
    }

    @Test func helloProtocolVersionErrors() {
        let e = Engine()
        let noProto = "-NOPROTO unsupported protocol version\r\n"
        #expect(e.reply("HELLO", "4294967296") == noProto)
        #expect(e.reply("HELLO", "2147483648") == noProto)
        #expect(e.reply("HELLO", "-1") == noProto)
        #expect(e.reply("HELLO", "1.5") == "-ERR Protocol version is not an integer or out of range\r\n")
        #expect(e.reply("HELLO", "9223372036854775808") == "-ERR Protocol version is not an integer or out of range\r\n")
        #expect(e.session.protocolVersion == 2)
    }
}
