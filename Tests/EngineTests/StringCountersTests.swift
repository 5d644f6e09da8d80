import Engine
import Testing

/// INCR DECR INCRBY DECRBY INCRBYFLOAT, with replies checked byte for byte against Redis 7.0.
@Suite struct StringCountersTests {
    @Test func incrAndDecr() {
        let e = Engine()
        #expect(e.reply("INCR", "n") == ":1\r\n")
        #expect(e.reply("INCR", "n") == ":2\r\n")
        #expect(e.reply("DECR", "n") == ":1\r\n")
        #expect(e.reply("DECR", "m") == ":-1\r\n")
        #expect(e.reply("GET", "m") == "$2\r\n-1\r\n")
        #expect(StringProbe.encoding(e, "m") == "int")
        #expect(e.reply("INCRBY", "n", "100") == ":101\r\n")
        #expect(e.reply("INCRBY", "n", "-201") == ":-100\r\n")
        #expect(e.reply("DECRBY", "n", "-50") == ":-50\r\n")
        #expect(e.reply("DECRBY", "n", "50") == ":-100\r\n")
        #expect(e.reply("INCRBY", "n", "0") == ":-100\r\n")
        #expect(e.reply("INCR") == "-ERR wrong number of arguments for 'incr' command\r\n")
        #expect(e.reply("INCRBY", "n") == "-ERR wrong number of arguments for 'incrby' command\r\n")
    }

    @Test func incrementsParseStoredText() {
        let e = Engine()
        #expect(e.reply("SET", "s", "41") == "+OK\r\n")
        #expect(e.reply("INCR", "s") == ":42\r\n")
        #expect(e.reply("APPEND", "s", "0") == ":3\r\n")
        #expect(StringProbe.encoding(e, "s") == "raw")
        #expect(e.reply("INCR", "s") == ":421\r\n")
        #expect(StringProbe.encoding(e, "s") == "int")
        let notInteger = "-ERR value is not an integer or out of range\r\n"
        #expect(e.reply("SET", "x", " 1") == "+OK\r\n")
        #expect(e.reply("INCR", "x") == notInteger)
        #expect(e.reply("SET", "x", "007") == "+OK\r\n")
        #expect(e.reply("INCR", "x") == notInteger)
        #expect(e.reply("SET", "x", "1.5") == "+OK\r\n")
        #expect(e.reply("DECR", "x") == notInteger)
        #expect(e.reply("SET", "x", "") == "+OK\r\n")
        #expect(e.reply("INCRBY", "x", "1") == notInteger)
        #expect(e.reply("SET", "x", "abc") == "+OK\r\n")
        #expect(e.reply("DECRBY", "x", "1") == notInteger)
        #expect(e.reply("GET", "x") == "$3\r\nabc\r\n")
    }

    @Test func incrementArgumentErrors() {
        let e = Engine()
        let notInteger = "-ERR value is not an integer or out of range\r\n"
        #expect(e.reply("INCRBY", "n", "abc") == notInteger)
        #expect(e.reply("INCRBY", "n", "1.0") == notInteger)
        #expect(e.reply("INCRBY", "n", "+1") == notInteger)
        #expect(e.reply("INCRBY", "n", "9223372036854775808") == notInteger)
        #expect(e.reply("DECRBY", "n", "") == notInteger)
        #expect(e.reply("DECRBY", "n", "-9223372036854775808") == "-ERR decrement would overflow\r\n")
        #expect(e.reply("GET", "n") == "$-1\r\n")
    }

    @Test func incrementOverflow() {
        let e = Engine()
        let overflow = "-ERR increment or decrement would overflow\r\n"
        #expect(e.reply("SET", "x", "9223372036854775807") == "+OK\r\n")
        #expect(e.reply("INCR", "x") == overflow)
        #expect(e.reply("INCRBY", "x", "9223372036854775807") == overflow)
        #expect(e.reply("DECRBY", "x", "-1") == overflow)
        #expect(e.reply("DECR", "x") == ":9223372036854775806\r\n")
        #expect(e.reply("SET", "x", "-9223372036854775808") == "+OK\r\n")
        #expect(e.reply("DECR", "x") == overflow)
        #expect(e.reply("INCRBY", "x", "-1") == overflow)
        #expect(e.reply("INCR", "x") == ":-9223372036854775807\r\n")
        #expect(e.reply("SET", "x", "1") == "+OK\r\n")
        #expect(e.reply("INCRBY", "x", "-9223372036854775808") == ":-9223372036854775807\r\n")
        #expect(e.reply("DECRBY", "x", "9223372036854775807") == overflow)
        #expect(e.reply("GET", "x") == "$20\r\n-9223372036854775807\r\n")
    }

    @Test func incrementsKeepTheTimeToLive() {
        let e = Engine()
        #expect(e.reply("SET", "n", "1", "EX", "100") == "+OK\r\n")
        #expect(e.reply("INCR", "n") == ":2\r\n")
        #expect(e.reply("INCRBYFLOAT", "n", "0.5") == "$3\r\n2.5\r\n")
        #expect(StringProbe.pttl(e, "n") == 100_000)
    }

    @Test func incrbyfloat() {
        let e = Engine()
        #expect(e.reply("SET", "f", "10.5") == "+OK\r\n")
        #expect(e.reply("INCRBYFLOAT", "f", "0.1") == "$4\r\n10.6\r\n")
        #expect(e.reply("INCRBYFLOAT", "f", "3.0e3") == "$22\r\n3010.60000000000000009\r\n")
        #expect(e.reply("INCRBYFLOAT", "f", "5.0e3") == "$22\r\n8010.60000000000000009\r\n")
        #expect(e.reply("INCRBYFLOAT", "f", "-8010.6") == "$1\r\n0\r\n")
        #expect(e.reply("INCRBYFLOAT", "f", "1e-5") == "$7\r\n0.00001\r\n")
        #expect(e.reply("INCRBYFLOAT", "f", "-0.00002") == "$8\r\n-0.00001\r\n")
        #expect(e.reply("INCRBYFLOAT", "g", "3") == "$1\r\n3\r\n")
        #expect(StringProbe.encoding(e, "g") == "embstr")
        #expect(e.reply("INCRBYFLOAT", "g", "-3") == "$1\r\n0\r\n")
        #expect(e.reply("INCRBYFLOAT", "g", "-0.0") == "$1\r\n0\r\n")
        #expect(e.reply("INCRBYFLOAT", "h", "1.5e-20") == "$1\r\n0\r\n")
        #expect(e.reply("INCRBYFLOAT", "h", "0x10") == "$2\r\n16\r\n")
        #expect(e.reply("INCRBYFLOAT", "h", "+.5") == "$4\r\n16.5\r\n")
        #expect(e.reply("INCRBYFLOAT", "h", "1E2") == "$5\r\n116.5\r\n")
        #expect(e.reply("SET", "i", "5") == "+OK\r\n")
        #expect(e.reply("INCRBYFLOAT", "i", "1.25") == "$4\r\n6.25\r\n")
        #expect(e.reply("SET", "i", "-9223372036854775808") == "+OK\r\n")
        #expect(e.reply("INCRBYFLOAT", "i", "0.5") == "$22\r\n-9223372036854775807.5\r\n")
        #expect(e.reply("INCRBYFLOAT", "big", "1e30") == "$31\r\n1000000000000000000024696061952\r\n")
        #expect(e.reply("INCRBYFLOAT", "big", "1") == "$31\r\n1000000000000000000024696061952\r\n")
        #expect(e.reply("INCRBYFLOAT", "pi", "3.14159265358979323846") == "$19\r\n3.14159265358979324\r\n")
    }

    @Test func incrbyfloatHugeAndTinyValues() {
        let e = Engine()
        let huge = "$401\r\n10000000000000000000281880683947586514586453433629052038625910693539685534008629862039363994848324160522094053927317616200295822777259255734023828976593340661017797447434546173917862448116674971723778943824391593338047470675026246684401359237513603830343735485505244955964979021825038280091068414947402456898653040951017512658092615827588920183472511643316591362664138176309734806343732497430221946880\r\n"
        #expect(e.reply("INCRBYFLOAT", "f", "1e400") == huge)
        #expect(StringProbe.encoding(e, "f") == "raw")
        #expect(e.reply("INCRBYFLOAT", "f", "-1e400") == "$1\r\n0\r\n")
        #expect(e.reply("INCRBYFLOAT", "g", "1e-4940") == "$1\r\n0\r\n")
        #expect(e.reply("INCRBYFLOAT", "g", "1e-5000") == "-ERR value is not a valid float\r\n")
        #expect(e.reply("INCRBYFLOAT", "g", "1e5000") == "-ERR value is not a valid float\r\n")
        // The widest value there is: 4933 digits and a sign, all printed.
        let widest = e.reply("INCRBYFLOAT", "m", "-1.1e4932")
        #expect(widest.hasPrefix("$4934\r\n-10999999999999999999") && widest.hasSuffix("\r\n"))
    }

    @Test func incrbyfloatErrors() {
        let e = Engine()
        let notFloat = "-ERR value is not a valid float\r\n"
        let nanOrInfinity = "-ERR increment would produce NaN or Infinity\r\n"
        #expect(e.reply("INCRBYFLOAT", "f", "abc") == notFloat)
        #expect(e.reply("INCRBYFLOAT", "f", "") == notFloat)
        #expect(e.reply("INCRBYFLOAT", "f", " 1") == notFloat)
        #expect(e.reply("INCRBYFLOAT", "f", "1 ") == notFloat)
        #expect(e.reply("INCRBYFLOAT", "f", "1\0") == notFloat)
        #expect(e.reply("INCRBYFLOAT", "f", "nan") == notFloat)
        #expect(e.reply("INCRBYFLOAT", "f", "1e") == notFloat)
        #expect(e.reply("INCRBYFLOAT", "f", String(repeating: "1", count: 5120)) == notFloat)
        #expect(e.reply("INCRBYFLOAT", "f", "inf") == nanOrInfinity)
        #expect(e.reply("INCRBYFLOAT", "f", "-Infinity") == nanOrInfinity)
        #expect(e.reply("GET", "f") == "$-1\r\n")
        #expect(e.reply("SET", "s", "abc") == "+OK\r\n")
        #expect(e.reply("INCRBYFLOAT", "s", "1") == notFloat)
        #expect(e.reply("SET", "s", "inf") == "+OK\r\n")
        #expect(e.reply("INCRBYFLOAT", "s", "1") == nanOrInfinity)
        #expect(e.reply("SET", "s", "1e4932") == "+OK\r\n")
        #expect(e.reply("INCRBYFLOAT", "s", "1e4932") == nanOrInfinity)
        #expect(e.reply("INCRBYFLOAT", "s") == "-ERR wrong number of arguments for 'incrbyfloat' command\r\n")
    }

    @Test func resp3RepliesAreUnchanged() {
        let e = Engine()
        e.session.protocolVersion = 3
        #expect(e.reply("INCR", "n") == ":1\r\n")
        #expect(e.reply("INCRBYFLOAT", "f", "1.5") == "$3\r\n1.5\r\n")
    }
}
