import Engine
import Testing

/// APPEND STRLEN GETRANGE SUBSTR SETRANGE, with replies checked byte for byte against Redis 7.0.
@Suite struct StringRangesTests {
    @Test func append() {
        let e = Engine()
        #expect(e.reply("APPEND", "k", "Hello") == ":5\r\n")
        #expect(e.reply("APPEND", "k", " World") == ":11\r\n")
        #expect(e.reply("GET", "k") == "$11\r\nHello World\r\n")
        #expect(StringProbe.encoding(e, "k") == "raw")
        #expect(e.reply("APPEND", "k", "") == ":11\r\n")
        #expect(e.reply("APPEND", "new", "") == ":0\r\n")
        #expect(e.reply("GET", "new") == "$0\r\n\r\n")
        #expect(e.reply("APPEND", "k") == "-ERR wrong number of arguments for 'append' command\r\n")
    }

    @Test func appendEncodings() {
        let e = Engine()
        // A new key is stored as SET would store it; appending to an existing one makes it raw.
        #expect(e.reply("APPEND", "i", "12") == ":2\r\n")
        #expect(StringProbe.encoding(e, "i") == "int")
        #expect(e.reply("APPEND", "s", "abc") == ":3\r\n")
        #expect(StringProbe.encoding(e, "s") == "embstr")
        #expect(e.reply("APPEND", "i", "3") == ":3\r\n")
        #expect(StringProbe.encoding(e, "i") == "raw")
        #expect(e.reply("GET", "i") == "$3\r\n123\r\n")
        #expect(e.reply("SET", "n", "-45") == "+OK\r\n")
        #expect(e.reply("APPEND", "n", "x") == ":4\r\n")
        #expect(e.reply("GET", "n") == "$4\r\n-45x\r\n")
    }

    @Test func appendKeepsTheTimeToLive() {
        let e = Engine()
        #expect(e.reply("SET", "k", "v", "PX", "5000") == "+OK\r\n")
        #expect(e.reply("APPEND", "k", "w") == ":2\r\n")
        #expect(e.reply("SETRANGE", "k", "0", "x") == ":2\r\n")
        #expect(StringProbe.pttl(e, "k") == 5000)
    }

    @Test func strlen() {
        let e = Engine()
        #expect(e.reply("STRLEN", "k") == ":0\r\n")
        #expect(e.reply("SET", "k", "hello") == "+OK\r\n")
        #expect(e.reply("STRLEN", "k") == ":5\r\n")
        #expect(e.reply("SET", "i", "-12345") == "+OK\r\n")
        #expect(e.reply("STRLEN", "i") == ":6\r\n")
        #expect(e.reply("SET", "e", "") == "+OK\r\n")
        #expect(e.reply("STRLEN", "e") == ":0\r\n")
    }

    @Test func getrange() {
        let e = Engine()
        #expect(e.reply("SET", "s", "Hello World") == "+OK\r\n")
        #expect(e.reply("GETRANGE", "s", "0", "4") == "$5\r\nHello\r\n")
        #expect(e.reply("GETRANGE", "s", "0", "-1") == "$11\r\nHello World\r\n")
        #expect(e.reply("GETRANGE", "s", "-3", "-1") == "$3\r\nrld\r\n")
        #expect(e.reply("GETRANGE", "s", "-1", "-3") == "$0\r\n\r\n")
        #expect(e.reply("GETRANGE", "s", "5", "3") == "$0\r\n\r\n")
        #expect(e.reply("GETRANGE", "s", "-100", "100") == "$11\r\nHello World\r\n")
        #expect(e.reply("GETRANGE", "s", "100", "200") == "$0\r\n\r\n")
        #expect(e.reply("GETRANGE", "s", "0", "-100") == "$1\r\nH\r\n")
        #expect(e.reply("GETRANGE", "s", "-5", "-100") == "$0\r\n\r\n")
        #expect(e.reply("GETRANGE", "s", "10", "10") == "$1\r\nd\r\n")
        #expect(e.reply("GETRANGE", "s", "9223372036854775807", "-9223372036854775808") == "$0\r\n\r\n")
        #expect(e.reply("GETRANGE", "s", "-9223372036854775808", "9223372036854775807") == "$11\r\nHello World\r\n")
        #expect(e.reply("SUBSTR", "s", "6", "-1") == "$5\r\nWorld\r\n")
        #expect(e.reply("GETRANGE", "nokey", "0", "-1") == "$0\r\n\r\n")
        #expect(e.reply("SET", "i", "12345") == "+OK\r\n")
        #expect(e.reply("GETRANGE", "i", "1", "2") == "$2\r\n23\r\n")
        #expect(e.reply("GETRANGE", "i", "-2", "-1") == "$2\r\n45\r\n")
        #expect(e.reply("SET", "e", "") == "+OK\r\n")
        #expect(e.reply("GETRANGE", "e", "0", "-1") == "$0\r\n\r\n")
        #expect(e.reply("GETRANGE", "e", "0", "0") == "$0\r\n\r\n")
        #expect(e.reply("GETRANGE", "s", "0") == "-ERR wrong number of arguments for 'getrange' command\r\n")
        #expect(e.reply("SUBSTR", "s", "0") == "-ERR wrong number of arguments for 'substr' command\r\n")
    }

    @Test func getrangeErrors() {
        let e = Engine()
        let notInteger = "-ERR value is not an integer or out of range\r\n"
        #expect(e.reply("SET", "s", "abc") == "+OK\r\n")
        #expect(e.reply("GETRANGE", "s", "abc", "1") == notInteger)
        #expect(e.reply("GETRANGE", "s", "1", "abc") == notInteger)
        #expect(e.reply("GETRANGE", "s", "1", "9223372036854775808") == notInteger)
        #expect(e.reply("GETRANGE", "nokey", "x", "1") == notInteger)
        #expect(e.reply("SUBSTR", "s", "0", "") == notInteger)
    }

    @Test func setrange() {
        let e = Engine()
        #expect(e.reply("SET", "s", "Hello World") == "+OK\r\n")
        #expect(e.reply("SETRANGE", "s", "6", "Redis") == ":11\r\n")
        #expect(e.reply("GET", "s") == "$11\r\nHello Redis\r\n")
        #expect(StringProbe.encoding(e, "s") == "raw")
        #expect(e.reply("SETRANGE", "s", "11", "!!") == ":13\r\n")
        #expect(e.reply("SETRANGE", "s", "15", "x") == ":16\r\n")
        #expect(e.reply("GET", "s") == "$16\r\nHello Redis!!\0\0x\r\n")
        #expect(e.reply("SETRANGE", "s", "0", "") == ":16\r\n")
        #expect(e.reply("SETRANGE", "s", "100", "") == ":16\r\n")
        #expect(e.reply("SETRANGE", "new", "3", "ab") == ":5\r\n")
        #expect(e.reply("GET", "new") == "$5\r\n\0\0\0ab\r\n")
        #expect(e.reply("SETRANGE", "i", "0", "12") == ":2\r\n")
        #expect(StringProbe.encoding(e, "i") == "raw")
        #expect(e.reply("SET", "n", "12345") == "+OK\r\n")
        #expect(e.reply("SETRANGE", "n", "1", "9") == ":5\r\n")
        #expect(e.reply("GET", "n") == "$5\r\n19345\r\n")
        #expect(StringProbe.encoding(e, "n") == "raw")
    }

    @Test func setrangeNothingOnMissingKeyCreatesNothing() {
        let e = Engine()
        #expect(e.reply("SETRANGE", "k", "5", "") == ":0\r\n")
        #expect(e.reply("SETRANGE", "k", "536870912", "") == ":0\r\n")
        #expect(e.reply("GET", "k") == "$-1\r\n")
    }

    @Test func setrangeErrors() {
        let e = Engine()
        let tooBig = "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
        #expect(e.reply("SET", "s", "abc") == "+OK\r\n")
        #expect(e.reply("SETRANGE", "s", "-1", "x") == "-ERR offset is out of range\r\n")
        #expect(e.reply("SETRANGE", "s", "abc", "x") == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("SETRANGE", "s", "536870912", "x") == tooBig)
        #expect(e.reply("SETRANGE", "s", "536870911", "xy") == tooBig)
        #expect(e.reply("SETRANGE", "s", "9223372036854775807", "x") == tooBig)
        #expect(e.reply("SETRANGE", "new", "536870912", "x") == tooBig)
        #expect(e.reply("GET", "new") == "$-1\r\n")
        #expect(e.reply("GET", "s") == "$3\r\nabc\r\n")
        #expect(e.reply("SETRANGE", "s", "0") == "-ERR wrong number of arguments for 'setrange' command\r\n")
    }

    @Test func readsCountKeyspaceHitsAndMisses() {
        let e = Engine()
        #expect(e.reply("SET", "s", "abc") == "+OK\r\n")
        #expect(e.reply("STRLEN", "s") == ":3\r\n")
        #expect(e.reply("STRLEN", "nokey") == ":0\r\n")
        #expect(e.reply("GETRANGE", "s", "0", "1") == "$2\r\nab\r\n")
        #expect(e.reply("SUBSTR", "nokey", "0", "1") == "$0\r\n\r\n")
        #expect(e.reply("APPEND", "s", "d") == ":4\r\n")
        #expect(e.reply("SETRANGE", "s", "0", "x") == ":4\r\n")
        #expect(e.reply("INCR", "n") == ":1\r\n")
        #expect(e.reply("INCRBYFLOAT", "n", "1") == "$1\r\n2\r\n")
        #expect(e.store.stats.keyspaceHits == 2)
        #expect(e.store.stats.keyspaceMisses == 2)
    }
}
