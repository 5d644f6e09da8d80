import Engine
import Testing

/// SETBIT GETBIT BITCOUNT BITPOS BITOP, with replies checked byte for byte against Redis 7.0.15
/// (every expected reply below was produced by a real redis-server). Keys of another type do
/// not exist yet, so the WRONGTYPE paths wait for lists.
@Suite struct StringBitsTests {
    @Test func setbitAndGetbit() {
        let e = Engine()
        #expect(e.reply("SETBIT", "k", "7", "1") == ":0\r\n")
        #expect(e.reply("GET", "k") == "$1\r\n\u{01}\r\n")
        #expect(StringProbe.encoding(e, "k") == "raw")
        #expect(e.reply("SETBIT", "k", "7", "1") == ":1\r\n")
        #expect(e.reply("SETBIT", "k", "7", "0") == ":1\r\n")
        #expect(e.reply("SETBIT", "k", "8", "1") == ":0\r\n")
        #expect(e.run("GET", "k") == [36, 50, 13, 10, 0, 128, 13, 10])
        #expect(e.reply("GETBIT", "k", "0") == ":0\r\n")
        #expect(e.reply("GETBIT", "k", "8") == ":1\r\n")
        #expect(e.reply("GETBIT", "k", "9") == ":0\r\n")
        #expect(e.reply("GETBIT", "k", "100") == ":0\r\n")
        #expect(e.reply("GETBIT", "k", "4294967295") == ":0\r\n")
        #expect(e.reply("GETBIT", "nokey", "0") == ":0\r\n")
        #expect(e.reply("SETBIT", "k", "1") == "-ERR wrong number of arguments for 'setbit' command\r\n")
        #expect(e.reply("GETBIT", "k") == "-ERR wrong number of arguments for 'getbit' command\r\n")
        #expect(e.reply("SETBIT", "k", "0", "1", "2") == "-ERR wrong number of arguments for 'setbit' command\r\n")
    }

    @Test func setbitGrowsWithZeros() {
        let e = Engine()
        #expect(e.reply("SETBIT", "k", "23", "1") == ":0\r\n")
        #expect(e.reply("STRLEN", "k") == ":3\r\n")
        #expect(e.reply("GET", "k") == "$3\r\n\0\0\u{01}\r\n")
        #expect(e.reply("SETBIT", "k", "0", "0") == ":0\r\n")
        #expect(e.reply("GET", "k") == "$3\r\n\0\0\u{01}\r\n")
        #expect(e.reply("SETBIT", "e", "0", "0") == ":0\r\n")
        #expect(e.reply("GET", "e") == "$1\r\n\0\r\n")
        #expect(StringProbe.encoding(e, "e") == "raw")
        #expect(e.reply("SET", "s", "") == "+OK\r\n")
        #expect(e.reply("SETBIT", "s", "0", "0") == ":0\r\n")
        #expect(e.reply("GET", "s") == "$1\r\n\0\r\n")
    }

    @Test func setbitOffsetAndValueErrors() {
        let e = Engine()
        #expect(e.reply("SETBIT", "k", "-1", "1") == "-ERR bit offset is not an integer or out of range\r\n")
        #expect(e.reply("SETBIT", "k", "abc", "1") == "-ERR bit offset is not an integer or out of range\r\n")
        #expect(e.reply("SETBIT", "k", "1.5", "1") == "-ERR bit offset is not an integer or out of range\r\n")
        #expect(e.reply("SETBIT", "k", "4294967296", "1") == "-ERR bit offset is not an integer or out of range\r\n")
        #expect(
            e.reply("SETBIT", "k", "9223372036854775807", "1")
                == "-ERR bit offset is not an integer or out of range\r\n")
        #expect(e.reply("SETBIT", "k", "0", "2") == "-ERR bit is not an integer or out of range\r\n")
        #expect(e.reply("SETBIT", "k", "0", "-1") == "-ERR bit is not an integer or out of range\r\n")
        #expect(e.reply("SETBIT", "k", "0", "abc") == "-ERR bit is not an integer or out of range\r\n")
        #expect(e.reply("SETBIT", "k", "0", "01") == "-ERR bit is not an integer or out of range\r\n")
        #expect(e.reply("SETBIT", "k", "0", "") == "-ERR bit is not an integer or out of range\r\n")
        // The offset is checked before the bit value, both before the key.
        #expect(e.reply("SETBIT", "k", "4294967296", "2") == "-ERR bit offset is not an integer or out of range\r\n")
        #expect(e.reply("GETBIT", "k", "-1") == "-ERR bit offset is not an integer or out of range\r\n")
        #expect(e.reply("GETBIT", "k", "4294967296") == "-ERR bit offset is not an integer or out of range\r\n")
        #expect(e.reply("GETBIT", "k", "x") == "-ERR bit offset is not an integer or out of range\r\n")
        #expect(e.reply("EXISTS", "k") == ":0\r\n")
    }

    @Test func bitCommandsSeeIntegerEncodedValuesAsDigits() {
        let e = Engine()
        #expect(e.reply("SET", "i", "123") == "+OK\r\n")
        #expect(StringProbe.encoding(e, "i") == "int")
        #expect(e.reply("GETBIT", "i", "2") == ":1\r\n")
        #expect(e.reply("GETBIT", "i", "3") == ":1\r\n")
        #expect(e.reply("GETBIT", "i", "7") == ":1\r\n")
        #expect(e.reply("GETBIT", "i", "23") == ":1\r\n")
        #expect(e.reply("GETBIT", "i", "24") == ":0\r\n")
        #expect(e.reply("BITCOUNT", "i") == ":10\r\n")
        #expect(e.reply("BITCOUNT", "i", "1", "1") == ":3\r\n")
        #expect(e.reply("BITPOS", "i", "0") == ":0\r\n")
        #expect(e.reply("BITPOS", "i", "1", "1") == ":10\r\n")
        #expect(e.reply("SETBIT", "i", "23", "0") == ":1\r\n")
        #expect(e.reply("GET", "i") == "$3\r\n122\r\n")
        #expect(StringProbe.encoding(e, "i") == "raw")
        #expect(e.reply("SET", "n", "-45") == "+OK\r\n")
        #expect(e.reply("BITCOUNT", "n") == ":11\r\n")
        #expect(e.reply("GETBIT", "n", "2") == ":1\r\n")
    }

    @Test func setbitMakesRaw() {
        let e = Engine()
        #expect(e.reply("SET", "e", "abc") == "+OK\r\n")
        #expect(StringProbe.encoding(e, "e") == "embstr")
        #expect(e.reply("SETBIT", "e", "0", "0") == ":0\r\n")
        #expect(StringProbe.encoding(e, "e") == "raw")
        #expect(e.reply("GET", "e") == "$3\r\nabc\r\n")
        #expect(e.reply("SET", "i", "7") == "+OK\r\n")
        #expect(e.reply("SETBIT", "i", "100", "0") == ":0\r\n")
        #expect(StringProbe.encoding(e, "i") == "raw")
        #expect(e.reply("STRLEN", "i") == ":13\r\n")
    }

    @Test func bitcount() {
        let e = Engine()
        #expect(e.reply("SET", "s", "foobar") == "+OK\r\n")
        #expect(e.reply("BITCOUNT", "s") == ":26\r\n")
        #expect(e.reply("BITCOUNT", "s", "0", "0") == ":4\r\n")
        #expect(e.reply("BITCOUNT", "s", "1", "1") == ":6\r\n")
        #expect(e.reply("BITCOUNT", "s", "1", "1", "BYTE") == ":6\r\n")
        #expect(e.reply("BITCOUNT", "s", "1", "1", "byte") == ":6\r\n")
        #expect(e.reply("BITCOUNT", "s", "5", "30", "BIT") == ":17\r\n")
        #expect(e.reply("BITCOUNT", "s", "5", "30", "bit") == ":17\r\n")
        #expect(e.reply("BITCOUNT", "s", "0", "-1", "BIT") == ":26\r\n")
        #expect(e.reply("BITCOUNT", "s", "0", "0", "BIT") == ":0\r\n")
        #expect(e.reply("BITCOUNT", "s", "7", "7", "BIT") == ":0\r\n")
        #expect(e.reply("BITCOUNT", "s", "1", "6", "BIT") == ":4\r\n")
        #expect(e.reply("BITCOUNT", "s", "40", "47", "BIT") == ":4\r\n")
        #expect(e.reply("BITCOUNT", "s", "47", "47", "BIT") == ":0\r\n")
        #expect(e.reply("BITCOUNT", "nokey") == ":0\r\n")
        #expect(e.reply("BITCOUNT", "nokey", "0") == ":0\r\n")
        #expect(e.reply("SET", "e", "") == "+OK\r\n")
        #expect(e.reply("BITCOUNT", "e") == ":0\r\n")
        #expect(e.reply("BITCOUNT", "e", "0", "-1") == ":0\r\n")
        #expect(e.reply("BITCOUNT", "e", "0", "-1", "BIT") == ":0\r\n")
    }

    @Test func bitcountRanges() {
        let e = Engine()
        #expect(e.reply("SET", "s", "foobar") == "+OK\r\n")
        #expect(e.reply("BITCOUNT", "s", "-1", "-1") == ":4\r\n")
        #expect(e.reply("BITCOUNT", "s", "-2", "-1", "BIT") == ":1\r\n")
        #expect(e.reply("BITCOUNT", "s", "-1", "-2") == ":0\r\n")
        #expect(e.reply("BITCOUNT", "s", "0", "-100") == ":4\r\n")
        #expect(e.reply("BITCOUNT", "s", "-100", "-100") == ":4\r\n")
        #expect(e.reply("BITCOUNT", "s", "100", "200") == ":0\r\n")
        #expect(e.reply("BITCOUNT", "s", "3", "1") == ":0\r\n")
        #expect(e.reply("BITCOUNT", "s", "9223372036854775807", "-9223372036854775808", "BIT") == ":0\r\n")
        #expect(e.reply("BITCOUNT", "s", "-9223372036854775808", "9223372036854775807", "BIT") == ":26\r\n")
        #expect(e.reply("BITCOUNT", "s", "-9223372036854775808", "9223372036854775807") == ":26\r\n")
    }

    @Test func bitcountErrors() {
        let e = Engine()
        #expect(e.reply("SET", "s", "foobar") == "+OK\r\n")
        #expect(e.reply("BITCOUNT", "s", "0") == "-ERR syntax error\r\n")
        #expect(e.reply("BITCOUNT", "s", "0", "1", "2", "3") == "-ERR syntax error\r\n")
        #expect(e.reply("BITCOUNT", "s", "0", "-1", "foo") == "-ERR syntax error\r\n")
        #expect(e.reply("BITCOUNT", "s", "a", "1") == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("BITCOUNT", "s", "1", "a") == "-ERR value is not an integer or out of range\r\n")
        #expect(
            e.reply("BITCOUNT", "s", "1", "9223372036854775808")
                == "-ERR value is not an integer or out of range\r\n")
        // Both negative with start past end answers before the unit is read.
        #expect(e.reply("BITCOUNT", "s", "-1", "-2", "foo") == ":0\r\n")
        // A missing key answers 0 before anything else is read.
        #expect(e.reply("BITCOUNT", "nokey", "0") == ":0\r\n")
        #expect(e.reply("BITCOUNT", "nokey", "a", "b", "c", "d", "e") == ":0\r\n")
        #expect(e.reply("BITCOUNT") == "-ERR wrong number of arguments for 'bitcount' command\r\n")
    }

    @Test func bitposFindsSetAndClearBits() {
        let e = Engine()
        #expect(e.set("s", bytes: [255, 240, 0]) == "+OK\r\n")
        #expect(e.reply("BITPOS", "s", "0") == ":12\r\n")
        #expect(e.reply("BITPOS", "s", "1") == ":0\r\n")
        #expect(e.reply("BITPOS", "s", "0", "2") == ":16\r\n")
        #expect(e.reply("BITPOS", "s", "1", "2") == ":-1\r\n")
        #expect(e.reply("BITPOS", "s", "1", "2", "-1") == ":-1\r\n")
        #expect(e.reply("BITPOS", "s", "0", "0", "-1") == ":12\r\n")
        #expect(e.reply("BITPOS", "s", "0", "1", "1") == ":12\r\n")
        #expect(e.reply("BITPOS", "s", "0", "1", "1", "BYTE") == ":12\r\n")
        #expect(e.reply("BITPOS", "s", "0", "7", "15", "BIT") == ":12\r\n")
        #expect(e.reply("BITPOS", "s", "1", "7", "15", "BIT") == ":7\r\n")
        #expect(e.reply("BITPOS", "s", "0", "0", "11", "BIT") == ":-1\r\n")
        #expect(e.reply("BITPOS", "s", "0", "0", "12", "BIT") == ":12\r\n")
        #expect(e.reply("BITPOS", "s", "1", "12", "23", "BIT") == ":-1\r\n")
        #expect(e.reply("BITPOS", "s", "1", "-1", "-1") == ":-1\r\n")
        #expect(e.reply("BITPOS", "s", "0", "-100") == ":12\r\n")
        #expect(e.reply("BITPOS", "s", "1", "100") == ":-1\r\n")
        #expect(e.reply("BITPOS", "s", "0", "100") == ":-1\r\n")
        #expect(e.reply("BITPOS", "s", "0", "2", "1") == ":-1\r\n")
        #expect(e.reply("BITPOS", "s", "0", "-3", "-1", "bit") == ":21\r\n")
    }

    @Test func bitposClearBitPastTheEnd() {
        let e = Engine()
        #expect(e.set("f", bytes: [255, 255, 255]) == "+OK\r\n")
        // Without an end the string is zero-padded on the right: the first clear bit is past it.
        #expect(e.reply("BITPOS", "f", "0") == ":24\r\n")
        #expect(e.reply("BITPOS", "f", "0", "1") == ":24\r\n")
        #expect(e.reply("BITPOS", "f", "0", "-1") == ":24\r\n")
        // With an explicit end there is none.
        #expect(e.reply("BITPOS", "f", "0", "0", "0") == ":-1\r\n")
        #expect(e.reply("BITPOS", "f", "0", "1", "-1") == ":-1\r\n")
        #expect(e.reply("BITPOS", "f", "0", "0", "-1", "BIT") == ":-1\r\n")
        #expect(e.reply("BITPOS", "f", "0", "0", "-1", "BYTE") == ":-1\r\n")
        #expect(e.reply("BITPOS", "f", "1", "3", "5", "BIT") == ":3\r\n")
        #expect(e.reply("SET", "z", "\0\0\0") == "+OK\r\n")
        #expect(e.reply("BITPOS", "z", "1") == ":-1\r\n")
        #expect(e.reply("BITPOS", "z", "1", "0", "-1", "BIT") == ":-1\r\n")
        #expect(e.reply("BITPOS", "z", "0", "3", "5", "BIT") == ":3\r\n")
        #expect(e.reply("BITPOS", "nokey", "0") == ":0\r\n")
        #expect(e.reply("BITPOS", "nokey", "1") == ":-1\r\n")
        #expect(e.reply("SET", "e", "") == "+OK\r\n")
        #expect(e.reply("BITPOS", "e", "0") == ":-1\r\n")
        #expect(e.reply("BITPOS", "e", "1") == ":-1\r\n")
        #expect(e.reply("BITPOS", "e", "0", "0") == ":-1\r\n")
        #expect(e.reply("BITPOS", "e", "0", "0", "-1", "BIT") == ":-1\r\n")
    }

    @Test func bitposErrors() {
        let e = Engine()
        #expect(e.reply("SET", "s", "abc") == "+OK\r\n")
        #expect(e.reply("BITPOS", "s", "0", "0", "-1", "foo") == "-ERR syntax error\r\n")
        #expect(e.reply("BITPOS", "s", "0", "a", "1", "foo") == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("BITPOS", "s", "0", "0", "a", "foo") == "-ERR syntax error\r\n")
        #expect(e.reply("BITPOS", "s", "0", "0", "a", "BIT") == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("BITPOS", "s", "0", "a") == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("BITPOS", "s", "2") == "-ERR The bit argument must be 1 or 0.\r\n")
        #expect(e.reply("BITPOS", "s", "-1") == "-ERR The bit argument must be 1 or 0.\r\n")
        #expect(e.reply("BITPOS", "s", "a") == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("BITPOS", "s", "0", "0", "1", "BIT", "5") == "-ERR syntax error\r\n")
        #expect(e.reply("BITPOS", "nokey", "2") == "-ERR The bit argument must be 1 or 0.\r\n")
        #expect(e.reply("BITPOS", "nokey", "0", "a", "b", "c") == ":0\r\n")
        #expect(e.reply("BITPOS", "s") == "-ERR wrong number of arguments for 'bitpos' command\r\n")
    }

    @Test func bitposLongStrings() {
        let e = Engine()
        #expect(e.reply("SETBIT", "k", "1000", "1") == ":0\r\n")
        #expect(e.reply("BITPOS", "k", "1") == ":1000\r\n")
        #expect(e.reply("BITPOS", "k", "1", "2") == ":1000\r\n")
        #expect(e.reply("BITPOS", "k", "1", "0", "-1", "BIT") == ":1000\r\n")
        #expect(e.reply("BITPOS", "k", "1", "1001", "-1", "BIT") == ":-1\r\n")
        #expect(e.reply("BITPOS", "k", "0") == ":0\r\n")
        #expect(e.reply("BITPOS", "k", "0", "125") == ":1001\r\n")
        #expect(e.reply("SETBIT", "z", "1000", "0") == ":0\r\n")
        #expect(e.reply("BITPOS", "z", "1", "1", "-1") == ":-1\r\n")
        #expect(e.reply("BITPOS", "z", "0", "1", "-1") == ":8\r\n")
        #expect(e.set("ones", bytes: [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 254, 255]) == "+OK\r\n")
        #expect(e.reply("BITPOS", "ones", "0") == ":183\r\n")
        #expect(e.reply("BITPOS", "ones", "0", "3") == ":183\r\n")
        #expect(e.reply("BITPOS", "ones", "0", "3", "20") == ":-1\r\n")
        #expect(e.reply("BITPOS", "ones", "0", "5", "-1", "BIT") == ":183\r\n")
        #expect(e.reply("BITPOS", "ones", "0", "185", "190", "BIT") == ":-1\r\n")
        #expect(e.reply("BITCOUNT", "ones") == ":191\r\n")
        #expect(e.reply("BITCOUNT", "ones", "3", "190", "BIT") == ":187\r\n")
    }

    @Test func bitop() {
        let e = Engine()
        #expect(e.reply("SET", "a", "foobar") == "+OK\r\n")
        #expect(e.reply("SET", "b", "abcdef") == "+OK\r\n")
        #expect(e.reply("BITOP", "AND", "d", "a", "b") == ":6\r\n")
        #expect(e.reply("GET", "d") == "$6\r\n`bc`ab\r\n")
        #expect(StringProbe.encoding(e, "d") == "raw")
        #expect(e.reply("BITOP", "OR", "d", "a", "b") == ":6\r\n")
        #expect(e.reply("GET", "d") == "$6\r\ngoofev\r\n")
        #expect(e.reply("BITOP", "XOR", "d", "a", "b") == ":6\r\n")
        #expect(e.reply("GET", "d") == "$6\r\n\u{07}\r\u{0C}\u{06}\u{04}\u{14}\r\n")
        #expect(e.reply("BITOP", "NOT", "d", "a") == ":6\r\n")
        #expect(e.run("GET", "d") == [36, 54, 13, 10, 153, 144, 144, 157, 158, 141, 13, 10])
        #expect(e.reply("BITOP", "and", "d", "a", "b") == ":6\r\n")
        #expect(e.reply("BITOP", "Or", "d", "a", "b") == ":6\r\n")
        #expect(e.reply("BITOP", "xOr", "d", "a", "b") == ":6\r\n")
        #expect(e.reply("BITOP", "not", "d", "a") == ":6\r\n")
    }

    @Test func bitopZeroFillsShortAndMissingKeys() {
        let e = Engine()
        #expect(e.reply("SET", "a", "foobarbaz") == "+OK\r\n")
        #expect(e.reply("SET", "b", "ab") == "+OK\r\n")
        #expect(e.reply("BITOP", "AND", "d", "a", "b") == ":9\r\n")
        #expect(e.reply("GET", "d") == "$9\r\n`b\0\0\0\0\0\0\0\r\n")
        #expect(e.reply("BITOP", "OR", "d", "a", "b") == ":9\r\n")
        #expect(e.reply("GET", "d") == "$9\r\ngoobarbaz\r\n")
        #expect(e.reply("BITOP", "XOR", "d", "b", "a") == ":9\r\n")
        #expect(e.reply("GET", "d") == "$9\r\n\u{07}\robarbaz\r\n")
        #expect(e.reply("BITOP", "OR", "d", "a", "nokey") == ":9\r\n")
        #expect(e.reply("GET", "d") == "$9\r\nfoobarbaz\r\n")
        #expect(e.reply("BITOP", "AND", "d", "nokey", "a") == ":9\r\n")
        #expect(e.reply("GET", "d") == "$9\r\n\0\0\0\0\0\0\0\0\0\r\n")
        #expect(e.reply("BITOP", "AND", "d", "a", "nokey", "b") == ":9\r\n")
        #expect(e.reply("GET", "d") == "$9\r\n\0\0\0\0\0\0\0\0\0\r\n")
        #expect(e.reply("BITOP", "XOR", "d", "a", "b", "a") == ":9\r\n")
        #expect(e.reply("GET", "d") == "$9\r\nab\0\0\0\0\0\0\0\r\n")
        #expect(e.reply("SET", "i", "12") == "+OK\r\n")
        #expect(e.reply("BITOP", "OR", "d", "i") == ":2\r\n")
        #expect(e.reply("GET", "d") == "$2\r\n12\r\n")
        #expect(StringProbe.encoding(e, "d") == "raw")
    }

    @Test func bitopEmptyResultDeletesTheDestination() {
        let e = Engine()
        #expect(e.reply("SET", "d", "x") == "+OK\r\n")
        #expect(e.reply("BITOP", "OR", "d", "nokey") == ":0\r\n")
        #expect(e.reply("EXISTS", "d") == ":0\r\n")
        #expect(e.reply("SET", "d", "x") == "+OK\r\n")
        #expect(e.reply("SET", "e", "") == "+OK\r\n")
        #expect(e.reply("BITOP", "AND", "d", "e", "nokey") == ":0\r\n")
        #expect(e.reply("EXISTS", "d") == ":0\r\n")
        #expect(e.reply("BITOP", "NOT", "d", "nokey") == ":0\r\n")
    }

    @Test func bitopReplacesTheDestination() {
        let e = Engine()
        #expect(e.reply("SET", "d", "old", "PX", "100000") == "+OK\r\n")
        #expect(e.reply("SET", "a", "1") == "+OK\r\n")
        #expect(e.reply("BITOP", "OR", "d", "a") == ":1\r\n")
        #expect(e.reply("GET", "d") == "$1\r\n1\r\n")
        #expect(e.reply("TTL", "d") == ":-1\r\n")
        #expect(StringProbe.encoding(e, "d") == "raw")
        #expect(e.reply("BITOP", "OR", "a", "a", "a") == ":1\r\n")
        #expect(e.reply("GET", "a") == "$1\r\n1\r\n")
    }

    @Test func bitopErrors() {
        let e = Engine()
        #expect(e.reply("BITOP", "FOO", "d", "a") == "-ERR syntax error\r\n")
        #expect(e.reply("BITOP", "NOT", "d", "a", "b") == "-ERR BITOP NOT must be called with a single source key.\r\n")
        #expect(e.reply("BITOP", "NOT", "d") == "-ERR wrong number of arguments for 'bitop' command\r\n")
        #expect(e.reply("BITOP", "AND", "d") == "-ERR wrong number of arguments for 'bitop' command\r\n")
        #expect(e.reply("BITOP") == "-ERR wrong number of arguments for 'bitop' command\r\n")
        #expect(e.reply("SET", "a", "abc") == "+OK\r\n")
        #expect(e.reply("BITOP", "NOT", "d", "a", "a") == "-ERR BITOP NOT must be called with a single source key.\r\n")
        #expect(e.reply("EXISTS", "d") == ":0\r\n")
    }
    @Test func editsKeepTheTimeToLive() {
        let e = Engine()
        #expect(e.reply("SET", "k", "abc", "PX", "100000") == "+OK\r\n")
        #expect(e.reply("SETBIT", "k", "100", "1") == ":0\r\n")
        #expect(e.reply("BITFIELD", "k", "SET", "u8", "200", "1") == "*1\r\n:0\r\n")
        #expect(e.reply("STRLEN", "k") == ":26\r\n")
        // Redis answers PTTL 99999 a moment later; the engine's clock stands still.
        #expect(StringProbe.pttl(e, "k") == 100000)
    }
}

extension Engine {
    /// SET with a value given as bytes (a byte above 0x7F is two bytes in a Swift String).
    func set(_ key: String, bytes: [UInt8]) -> String {
        String(decoding: run([Array("SET".utf8), Array(key.utf8), bytes]), as: UTF8.self)
    }
}
