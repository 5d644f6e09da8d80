import Engine
import Testing

/// BITFIELD and BITFIELD_RO, with replies checked byte for byte against Redis 7.0.15 (every
/// expected reply below was produced by a real redis-server), Redis's overflow corners included.
@Suite struct StringBitFieldTests {
    @Test func getSetIncrby() {
        let e = Engine()
        #expect(e.reply("BITFIELD", "k", "SET", "u8", "0", "255") == "*1\r\n:0\r\n")
        #expect(e.run("GET", "k") == [36, 49, 13, 10, 255, 13, 10])
        #expect(StringProbe.encoding(e, "k") == "raw")
        #expect(e.reply("BITFIELD", "k", "GET", "u8", "0") == "*1\r\n:255\r\n")
        #expect(e.reply("BITFIELD", "k", "GET", "i8", "0") == "*1\r\n:-1\r\n")
        #expect(
            e.reply("BITFIELD", "k", "GET", "u4", "0", "GET", "u4", "4", "GET", "i4", "0")
                == "*3\r\n:15\r\n:15\r\n:-1\r\n")
        #expect(
            e.reply("BITFIELD", "k", "SET", "i8", "0", "-100", "GET", "i8", "0", "GET", "u8", "0")
                == "*3\r\n:-1\r\n:-100\r\n:156\r\n")
        #expect(
            e.reply("BITFIELD", "k", "INCRBY", "u8", "0", "10", "INCRBY", "u8", "0", "10")
                == "*2\r\n:166\r\n:176\r\n")
        #expect(e.reply("BITFIELD", "k", "INCRBY", "i5", "100", "1", "GET", "u4", "0") == "*2\r\n:1\r\n:11\r\n")
        #expect(e.reply("STRLEN", "k") == ":14\r\n")
        #expect(e.run("GET", "k") == [36, 49, 52, 13, 10, 176, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 128, 13, 10])
        #expect(e.reply("BITFIELD", "k", "GET", "u8", "200") == "*1\r\n:0\r\n")
        #expect(e.reply("BITFIELD", "nokey", "GET", "u8", "0", "GET", "i64", "0") == "*2\r\n:0\r\n:0\r\n")
        #expect(e.reply("EXISTS", "nokey") == ":0\r\n")
        #expect(e.reply("BITFIELD", "k") == "*0\r\n")
        #expect(e.reply("BITFIELD", "nokey") == "*0\r\n")
        #expect(e.reply("BITFIELD_RO", "k", "GET", "u8", "0", "GET", "i3", "3") == "*2\r\n:176\r\n:-4\r\n")
        #expect(e.reply("BITFIELD_RO", "nokey", "GET", "u8", "0") == "*1\r\n:0\r\n")
        #expect(e.reply("BITFIELD_RO", "k") == "*0\r\n")
    }

    @Test func unalignedFields() {
        let e = Engine()
        #expect(e.reply("BITFIELD", "k", "SET", "u5", "7", "23") == "*1\r\n:0\r\n")
        #expect(e.reply("GET", "k") == "$2\r\n\u{01}p\r\n")
        #expect(
            e.reply("BITFIELD", "k", "GET", "u5", "7", "GET", "u16", "0", "GET", "i3", "8")
                == "*3\r\n:23\r\n:368\r\n:3\r\n")
        #expect(e.reply("BITFIELD", "k", "SET", "i64", "3", "-1") == "*1\r\n:828662331436171264\r\n")
        #expect(e.run("GET", "k") == [36, 57, 13, 10, 31, 255, 255, 255, 255, 255, 255, 255, 224, 13, 10])
        #expect(
            e.reply("BITFIELD", "k", "GET", "i64", "3", "GET", "u63", "3", "GET", "i64", "0", "GET", "u63", "4")
                == "*4\r\n:-1\r\n:9223372036854775807\r\n:2305843009213693951\r\n:9223372036854775807\r\n")
        #expect(
            e.reply("BITFIELD", "k", "SET", "u63", "1", "0", "GET", "u8", "8")
                == "*2\r\n:2305843009213693951\r\n:0\r\n")
        #expect(e.run("GET", "k") == [36, 57, 13, 10, 0, 0, 0, 0, 0, 0, 0, 0, 224, 13, 10])
    }

    @Test func hashOffsets() {
        let e = Engine()
        #expect(
            e.reply("BITFIELD", "k", "SET", "u8", "#1", "200", "GET", "u8", "8", "GET", "u8", "#0", "GET", "u8", "#1")
                == "*4\r\n:0\r\n:200\r\n:0\r\n:200\r\n")
        #expect(e.run("GET", "k") == [36, 50, 13, 10, 0, 200, 13, 10])
        #expect(e.reply("BITFIELD", "k", "INCRBY", "i4", "#3", "5", "GET", "u16", "0") == "*2\r\n:-3\r\n:205\r\n")
        #expect(e.reply("BITFIELD", "k", "GET", "u8", "#0x") == "-ERR bit offset is not an integer or out of range\r\n")
        #expect(e.reply("BITFIELD", "k", "GET", "u8", "#-1") == "-ERR bit offset is not an integer or out of range\r\n")
        #expect(e.reply("BITFIELD", "k", "GET", "u8", "#") == "-ERR bit offset is not an integer or out of range\r\n")
        #expect(e.reply("BITFIELD", "k", "GET", "i64", "#67108863") == "*1\r\n:0\r\n")
        #expect(
            e.reply("BITFIELD", "k", "GET", "i64", "#67108864")
                == "-ERR bit offset is not an integer or out of range\r\n")
        #expect(
            e.reply("BITFIELD", "k", "GET", "i64", "#9223372036854775807")
                == "-ERR bit offset is not an integer or out of range\r\n")
        #expect(
            e.reply("BITFIELD", "k", "GET", "i64", "#144115188075855872")
                == "-ERR bit offset is not an integer or out of range\r\n")
    }

    @Test func overflowWrap() {
        let e = Engine()
        #expect(e.reply("BITFIELD", "k", "SET", "u8", "0", "256", "GET", "u8", "0") == "*2\r\n:0\r\n:0\r\n")
        #expect(e.reply("BITFIELD", "k", "SET", "u8", "0", "-1", "GET", "u8", "0") == "*2\r\n:0\r\n:255\r\n")
        #expect(e.reply("BITFIELD", "k", "SET", "i8", "0", "128", "GET", "i8", "0") == "*2\r\n:-1\r\n:-128\r\n")
        #expect(e.reply("BITFIELD", "k", "SET", "i8", "0", "-129", "GET", "i8", "0") == "*2\r\n:-128\r\n:127\r\n")
        #expect(e.reply("BITFIELD", "k", "SET", "u8", "0", "250", "INCRBY", "u8", "0", "10") == "*2\r\n:127\r\n:4\r\n")
        #expect(e.reply("BITFIELD", "k", "SET", "i8", "0", "120", "INCRBY", "i8", "0", "10") == "*2\r\n:4\r\n:-126\r\n")
        #expect(
            e.reply("BITFIELD", "k", "SET", "i8", "0", "-120", "INCRBY", "i8", "0", "-10")
                == "*2\r\n:-126\r\n:126\r\n")
        #expect(e.reply("BITFIELD", "k", "SET", "u2", "0", "0", "INCRBY", "u2", "0", "-1") == "*2\r\n:1\r\n:3\r\n")
        #expect(
            e.reply("BITFIELD", "k", "SET", "i64", "0", "9223372036854775807", "INCRBY", "i64", "0", "1")
                == "*2\r\n:-144115188075855872\r\n:-9223372036854775808\r\n")
        #expect(e.reply("BITFIELD", "k", "INCRBY", "i64", "0", "-1") == "*1\r\n:9223372036854775807\r\n")
        #expect(
            e.reply(
                "BITFIELD", "k", "SET", "u63", "0", "9223372036854775807", "GET", "u63", "0", "INCRBY", "u63",
                "0", "1")
                == "*3\r\n:4611686018427387903\r\n:9223372036854775807\r\n:0\r\n")
        #expect(
            e.reply("BITFIELD", "k", "OVERFLOW", "WRAP", "INCRBY", "u8", "0", "-9223372036854775808")
                == "*1\r\n:0\r\n")
        #expect(
            e.reply("BITFIELD", "k", "SET", "i8", "0", "-9223372036854775808", "GET", "i8", "0")
                == "*2\r\n:0\r\n:0\r\n")
        #expect(
            e.reply(
                "BITFIELD", "k", "SET", "i1", "0", "1", "GET", "i1", "0", "INCRBY", "i1", "0", "1", "INCRBY",
                "i1", "0", "-1")
                == "*4\r\n:0\r\n:-1\r\n:0\r\n:-1\r\n")
    }

    @Test func overflowSat() {
        let e = Engine()
        #expect(
            e.reply("BITFIELD", "k", "OVERFLOW", "SAT", "SET", "u8", "0", "300", "GET", "u8", "0")
                == "*2\r\n:0\r\n:255\r\n")
        #expect(
            e.reply("BITFIELD", "k", "OVERFLOW", "SAT", "SET", "u8", "0", "-1", "GET", "u8", "0")
                == "*2\r\n:255\r\n:255\r\n")
        #expect(
            e.reply("BITFIELD", "k", "OVERFLOW", "SAT", "SET", "i8", "0", "200", "GET", "i8", "0")
                == "*2\r\n:-1\r\n:127\r\n")
        #expect(
            e.reply("BITFIELD", "k", "OVERFLOW", "SAT", "SET", "i8", "0", "-200", "GET", "i8", "0")
                == "*2\r\n:127\r\n:-128\r\n")
        #expect(
            e.reply("BITFIELD", "k", "OVERFLOW", "SAT", "SET", "i8", "0", "-9223372036854775808", "GET", "i8", "0")
                == "*2\r\n:-128\r\n:127\r\n")
        #expect(
            e.reply(
                "BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "-1000", "INCRBY", "u8", "0", "1000",
                "INCRBY", "u8", "0", "-1")
                == "*3\r\n:0\r\n:255\r\n:254\r\n")
        #expect(
            e.reply(
                "BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "1000", "INCRBY", "i8", "0", "-1000",
                "INCRBY", "i8", "0", "9223372036854775807")
                == "*3\r\n:127\r\n:-128\r\n:127\r\n")
        #expect(
            e.reply(
                "BITFIELD", "k", "OVERFLOW", "SAT", "SET", "i64", "0", "9223372036854775807", "INCRBY", "i64",
                "0", "1", "INCRBY", "i64", "0", "-9223372036854775808")
                == "*3\r\n:9151314442816847872\r\n:9223372036854775807\r\n:-1\r\n")
        #expect(
            e.reply(
                "BITFIELD", "k", "OVERFLOW", "SAT", "SET", "i64", "0", "-9223372036854775808", "INCRBY", "i64",
                "0", "-1", "INCRBY", "i64", "0", "9223372036854775807")
                == "*3\r\n:-1\r\n:-9223372036854775808\r\n:-1\r\n")
        #expect(
            e.reply(
                "BITFIELD", "k", "OVERFLOW", "SAT", "SET", "u63", "0", "0", "INCRBY", "u63", "0", "-1", "INCRBY",
                "u63", "0", "9223372036854775807", "INCRBY", "u63", "0", "1")
                == "*4\r\n:9223372036854775807\r\n:0\r\n:9223372036854775807\r\n:9223372036854775807\r\n")
    }

    @Test func overflowFail() {
        let e = Engine()
        #expect(
            e.reply("BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "u8", "0", "300", "GET", "u8", "0")
                == "*2\r\n$-1\r\n:0\r\n")
        #expect(
            e.reply(
                "BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "u8", "0", "200", "INCRBY", "u8", "0", "100", "GET",
                "u8", "0", "INCRBY", "u8", "0", "55", "INCRBY", "u8", "0", "1")
                == "*5\r\n:0\r\n$-1\r\n:200\r\n:255\r\n$-1\r\n")
        #expect(
            e.reply(
                "BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "i8", "0", "-129", "SET", "i8", "0", "127", "INCRBY",
                "i8", "0", "1", "INCRBY", "i8", "0", "-255")
                == "*4\r\n$-1\r\n:-1\r\n$-1\r\n:-128\r\n")
        #expect(
            e.reply(
                "BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u2", "100", "1", "OVERFLOW", "WRAP", "INCRBY",
                "u2", "100", "7", "OVERFLOW", "SAT", "INCRBY", "u2", "100", "7")
                == "*3\r\n:1\r\n:0\r\n:3\r\n")
        // A refused write still creates or pads the string.
        #expect(e.reply("BITFIELD", "n", "OVERFLOW", "FAIL", "INCRBY", "u8", "100", "300") == "*1\r\n$-1\r\n")
        #expect(e.reply("GET", "n") == "$14\r\n\0\0\0\0\0\0\0\0\0\0\0\0\0\0\r\n")
        #expect(StringProbe.encoding(e, "n") == "raw")
        #expect(
            e.reply(
                "BITFIELD", "k", "overflow", "fail", "incrby", "u8", "0", "300", "overflow", "sat", "incrby",
                "u8", "0", "300")
                == "*2\r\n$-1\r\n:255\r\n")
    }

    @Test func errors() {
        let e = Engine()
        let invalidType = "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n"
        #expect(e.reply("BITFIELD", "k", "GET", "u8") == "-ERR syntax error\r\n")
        #expect(e.reply("BITFIELD", "k", "GET", "u8", "0", "SET", "u8", "0") == "-ERR syntax error\r\n")
        #expect(e.reply("BITFIELD", "k", "FOO", "u8", "0") == "-ERR syntax error\r\n")
        #expect(e.reply("BITFIELD", "k", "OVERFLOW") == "-ERR syntax error\r\n")
        #expect(
            e.reply("BITFIELD", "k", "OVERFLOW", "FOO", "GET", "u8", "0")
                == "-ERR Invalid OVERFLOW type specified\r\n")
        #expect(e.reply("BITFIELD", "k", "GET", "u64", "0") == invalidType)
        #expect(e.reply("BITFIELD", "k", "GET", "i65", "0") == invalidType)
        #expect(e.reply("BITFIELD", "k", "GET", "i0", "0") == invalidType)
        #expect(e.reply("BITFIELD", "k", "GET", "U8", "0") == invalidType)
        #expect(e.reply("BITFIELD", "k", "GET", "x8", "0") == invalidType)
        #expect(e.reply("BITFIELD", "k", "GET", "i", "0") == invalidType)
        #expect(e.reply("BITFIELD", "k", "GET", "", "0") == invalidType)
        #expect(e.reply("BITFIELD", "k", "GET", "i08", "0") == invalidType)
        #expect(e.reply("BITFIELD", "k", "GET", "u8", "-1") == "-ERR bit offset is not an integer or out of range\r\n")
        #expect(
            e.reply("BITFIELD", "k", "GET", "u8", "4294967296")
                == "-ERR bit offset is not an integer or out of range\r\n")
        #expect(e.reply("BITFIELD", "k", "GET", "u8", "4294967295") == "*1\r\n:0\r\n")
        #expect(e.reply("BITFIELD", "k", "GET", "u8", "x") == "-ERR bit offset is not an integer or out of range\r\n")
        #expect(e.reply("BITFIELD", "k", "SET", "u8", "0", "x") == "-ERR value is not an integer or out of range\r\n")
        #expect(
            e.reply("BITFIELD", "k", "SET", "u8", "0", "9223372036854775808")
                == "-ERR value is not an integer or out of range\r\n")
        #expect(
            e.reply("BITFIELD", "k", "INCRBY", "u8", "0", "1.5")
                == "-ERR value is not an integer or out of range\r\n")
        // The first error wins, before the key is looked at, and nothing is written.
        #expect(e.reply("BITFIELD", "k", "SET", "u8", "0", "1", "GET", "u64", "0") == invalidType)
        #expect(e.reply("EXISTS", "k") == ":0\r\n")
        #expect(e.reply("BITFIELD", "k", "GET", "u64", "0", "OVERFLOW", "FOO") == invalidType)
        #expect(e.reply("BITFIELD") == "-ERR wrong number of arguments for 'bitfield' command\r\n")
        #expect(e.reply("BITFIELD_RO") == "-ERR wrong number of arguments for 'bitfield_ro' command\r\n")
    }

    @Test func readOnlyVariant() {
        let e = Engine()
        let invalidType = "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n"
        #expect(e.reply("SET", "k", "abc") == "+OK\r\n")
        #expect(
            e.reply("BITFIELD_RO", "k", "SET", "u8", "0", "1")
                == "-ERR BITFIELD_RO only supports the GET subcommand\r\n")
        #expect(
            e.reply("BITFIELD_RO", "k", "INCRBY", "u8", "0", "1")
                == "-ERR BITFIELD_RO only supports the GET subcommand\r\n")
        #expect(
            e.reply("BITFIELD_RO", "k", "GET", "u8", "0", "OVERFLOW", "SAT", "GET", "u8", "8")
                == "*2\r\n:97\r\n:98\r\n")
        #expect(e.reply("BITFIELD_RO", "k", "GET", "u64", "0", "SET", "u8", "0", "1") == invalidType)
        #expect(
            e.reply("BITFIELD_RO", "k", "SET", "u8", "0", "x")
                == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("BITFIELD_RO", "k", "FOO") == "-ERR syntax error\r\n")
        #expect(e.reply("GET", "k") == "$3\r\nabc\r\n")
        #expect(e.reply("BITFIELD_RO", "k", "OVERFLOW", "FAIL") == "*0\r\n")
    }

    @Test func integerEncodedValuesAndEncodings() {
        let e = Engine()
        #expect(e.reply("SET", "i", "123") == "+OK\r\n")
        #expect(e.reply("BITFIELD", "i", "GET", "u8", "0", "GET", "u24", "0") == "*2\r\n:49\r\n:3224115\r\n")
        #expect(StringProbe.encoding(e, "i") == "int")
        #expect(e.reply("BITFIELD_RO", "i", "GET", "i8", "8") == "*1\r\n:50\r\n")
        #expect(StringProbe.encoding(e, "i") == "int")
        #expect(e.reply("BITFIELD", "i", "SET", "u8", "0", "52") == "*1\r\n:49\r\n")
        #expect(e.reply("GET", "i") == "$3\r\n423\r\n")
        #expect(StringProbe.encoding(e, "i") == "raw")
        #expect(e.reply("SET", "e", "abc") == "+OK\r\n")
        #expect(e.reply("BITFIELD", "e", "SET", "u8", "0", "97") == "*1\r\n:97\r\n")
        #expect(StringProbe.encoding(e, "e") == "raw")
        #expect(e.reply("GET", "e") == "$3\r\nabc\r\n")
        #expect(e.reply("SET", "e2", "abc") == "+OK\r\n")
        #expect(e.reply("BITFIELD", "e2", "OVERFLOW", "FAIL", "SET", "u8", "0", "300") == "*1\r\n$-1\r\n")
        #expect(StringProbe.encoding(e, "e2") == "raw")
    }
}
