import Engine
import Testing

/// GET, SET and their variants, with replies checked byte for byte against Redis 7.0.
/// (Keys of another type do not exist yet: WRONGTYPE paths are tested when lists arrive.)
@Suite struct StringCommandsTests {
    @Test func getAndSet() {
        let e = Engine()
        #expect(e.reply("GET", "k") == "$-1\r\n")
        #expect(e.reply("SET", "k", "hello") == "+OK\r\n")
        #expect(e.reply("GET", "k") == "$5\r\nhello\r\n")
        #expect(e.reply("SET", "k", "") == "+OK\r\n")
        #expect(e.reply("GET", "k") == "$0\r\n\r\n")
        #expect(e.reply("SET", "bin", "a\0b\r\n") == "+OK\r\n")
        #expect(e.reply("GET", "bin") == "$5\r\na\0b\r\n\r\n")
        #expect(e.reply("get", "k", "x") == "-ERR wrong number of arguments for 'get' command\r\n")
        #expect(e.reply("SET", "k") == "-ERR wrong number of arguments for 'set' command\r\n")
    }

    @Test func setEncodings() {
        let e = Engine()
        #expect(e.reply("SET", "i", "12345") == "+OK\r\n")
        #expect(StringProbe.encoding(e, "i") == "int")
        #expect(e.reply("GET", "i") == "$5\r\n12345\r\n")
        #expect(e.reply("SET", "min", "-9223372036854775808") == "+OK\r\n")
        #expect(StringProbe.encoding(e, "min") == "int")
        #expect(e.reply("GET", "min") == "$20\r\n-9223372036854775808\r\n")
        #expect(e.reply("SET", "big", "9223372036854775808") == "+OK\r\n")
        #expect(StringProbe.encoding(e, "big") == "embstr")
        #expect(e.reply("SET", "lead", "007") == "+OK\r\n")
        #expect(StringProbe.encoding(e, "lead") == "embstr")
        #expect(e.reply("SET", "plus", "+1") == "+OK\r\n")
        #expect(StringProbe.encoding(e, "plus") == "embstr")
        #expect(e.reply("SET", "s44", String(repeating: "a", count: 44)) == "+OK\r\n")
        #expect(StringProbe.encoding(e, "s44") == "embstr")
        #expect(e.reply("SET", "s45", String(repeating: "a", count: 45)) == "+OK\r\n")
        #expect(StringProbe.encoding(e, "s45") == "raw")
    }

    @Test func setNxXx() {
        let e = Engine()
        #expect(e.reply("SET", "k", "v", "XX") == "$-1\r\n")
        #expect(e.reply("GET", "k") == "$-1\r\n")
        #expect(e.reply("SET", "k", "v", "NX") == "+OK\r\n")
        #expect(e.reply("SET", "k", "w", "nx") == "$-1\r\n")
        #expect(e.reply("GET", "k") == "$1\r\nv\r\n")
        #expect(e.reply("SET", "k", "w", "xx") == "+OK\r\n")
        #expect(e.reply("GET", "k") == "$1\r\nw\r\n")
        #expect(e.reply("SET", "k", "v", "NX", "NX") == "$-1\r\n")
        #expect(e.reply("SET", "k", "x", "XX", "XX") == "+OK\r\n")
        #expect(e.reply("SET", "k", "v", "NX", "XX") == "-ERR syntax error\r\n")
        #expect(e.reply("SET", "k", "v", "XX", "NX") == "-ERR syntax error\r\n")
    }

    @Test func setGet() {
        let e = Engine()
        #expect(e.reply("SET", "k", "v1", "GET") == "$-1\r\n")
        #expect(e.reply("SET", "k", "v2", "GET") == "$2\r\nv1\r\n")
        #expect(e.reply("SET", "k", "v3", "get", "get") == "$2\r\nv2\r\n")
        #expect(e.reply("SET", "k", "v4", "NX", "GET") == "$2\r\nv3\r\n")
        #expect(e.reply("GET", "k") == "$2\r\nv3\r\n")
        #expect(e.reply("SET", "k", "v5", "XX", "GET") == "$2\r\nv3\r\n")
        #expect(e.reply("GET", "k") == "$2\r\nv5\r\n")
        #expect(e.reply("SET", "n", "v", "XX", "GET") == "$-1\r\n")
        #expect(e.reply("GET", "n") == "$-1\r\n")
        #expect(e.reply("SET", "n", "v", "GET", "NX") == "$-1\r\n")
        #expect(e.reply("GET", "n") == "$1\r\nv\r\n")
        #expect(e.reply("SET", "i", "42") == "+OK\r\n")
        #expect(e.reply("SET", "i", "x", "GET") == "$2\r\n42\r\n")
    }

    @Test func setExpiryOptions() {
        let e = Engine()
        #expect(e.reply("SET", "k", "v", "EX", "100") == "+OK\r\n")
        #expect(StringProbe.pttl(e, "k") == 100_000)
        #expect(e.reply("SET", "k", "v", "PX", "1500") == "+OK\r\n")
        #expect(StringProbe.pttl(e, "k") == 1500)
        #expect(e.reply("SET", "k", "v", "EX", "10", "EX", "20") == "+OK\r\n")
        #expect(StringProbe.pttl(e, "k") == 20_000)
        #expect(e.reply("SET", "k", "v", "KEEPTTL") == "+OK\r\n")
        #expect(StringProbe.pttl(e, "k") == 20_000)
        #expect(e.reply("SET", "k", "v", "keepttl", "KEEPTTL") == "+OK\r\n")
        #expect(StringProbe.pttl(e, "k") == 20_000)
        #expect(e.reply("SET", "k", "v") == "+OK\r\n")
        #expect(StringProbe.pttl(e, "k") == -1)
        #expect(e.reply("SET", "k", "v", "EXAT", "4000000000") == "+OK\r\n")
        #expect(e.reply("SET", "k", "v", "PXAT", "4000000000000") == "+OK\r\n")
        #expect(e.reply("SET", "k", "v", "pxat", "9223372036854775807") == "+OK\r\n")
        #expect(e.reply("SET", "k", "v", "NX", "EX", "10") == "$-1\r\n")
        #expect(e.reply("SET", "k", "v", "XX", "GET", "PX", "10000") == "$1\r\nv\r\n")
    }

    @Test func setAbsoluteExpiryTimes() {
        let e = Engine()
        e.store.now = 1_700_000_000_000
        #expect(e.reply("SET", "k", "v", "EXAT", "1700000100") == "+OK\r\n")
        #expect(StringProbe.pttl(e, "k") == 100_000)
        #expect(e.reply("SET", "k", "v", "PXAT", "1700000000500") == "+OK\r\n")
        #expect(StringProbe.pttl(e, "k") == 500)
        e.store.now += 500
        #expect(e.reply("GET", "k") == "$1\r\nv\r\n")  // due, not past: Redis expires when now > at
        e.store.now += 1
        #expect(e.reply("GET", "k") == "$-1\r\n")
        // A time already past is accepted; the key is simply gone at the next look.
        #expect(e.reply("SET", "k", "v", "EXAT", "1") == "+OK\r\n")
        #expect(e.reply("GET", "k") == "$-1\r\n")
    }

    @Test func setExpiryErrors() {
        let e = Engine()
        let invalid = "-ERR invalid expire time in 'set' command\r\n"
        #expect(e.reply("SET", "k", "v", "EX", "0") == invalid)
        #expect(e.reply("SET", "k", "v", "EX", "-1") == invalid)
        #expect(e.reply("SET", "k", "v", "PX", "0") == invalid)
        #expect(e.reply("SET", "k", "v", "EXAT", "0") == invalid)
        #expect(e.reply("SET", "k", "v", "PXAT", "-5") == invalid)
        #expect(e.reply("SET", "k", "v", "EX", "9223372036854775807") == invalid)
        #expect(e.reply("SET", "k", "v", "EX", "9223372036854776") == invalid)
        #expect(e.reply("SET", "k", "v", "EX", "9223372036854775") == invalid)
        #expect(e.reply("SET", "k", "v", "PX", "9223372036854775807") == invalid)
        #expect(e.reply("SET", "k", "v", "PX", "9223372036854775000") == invalid)
        #expect(e.reply("SET", "k", "v", "EXAT", "9223372036854775807") == invalid)
        #expect(e.reply("SET", "k", "v", "EX", "abc") == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("SET", "k", "v", "EX", "1.5") == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("SET", "k", "v", "EX", "9223372036854775808") == "-ERR value is not an integer or out of range\r\n")
        // The expiry is validated before GET reads the old value.
        #expect(e.reply("SET", "k", "v", "EX", "0", "GET") == invalid)
        #expect(e.reply("GET", "k") == "$-1\r\n")
    }

    @Test func setSyntaxErrors() {
        let e = Engine()
        let syntax = "-ERR syntax error\r\n"
        #expect(e.reply("SET", "k", "v", "EX") == syntax)
        #expect(e.reply("SET", "k", "v", "foo") == syntax)
        #expect(e.reply("SET", "k", "v", "") == syntax)
        #expect(e.reply("SET", "k", "v", "e") == syntax)
        #expect(e.reply("SET", "k", "v", "EX", "10", "PX", "20") == syntax)
        #expect(e.reply("SET", "k", "v", "PX", "10", "EX", "20") == syntax)
        #expect(e.reply("SET", "k", "v", "EXAT", "10", "PXAT", "20") == syntax)
        #expect(e.reply("SET", "k", "v", "EX", "10", "KEEPTTL") == syntax)
        #expect(e.reply("SET", "k", "v", "KEEPTTL", "PX", "10") == syntax)
        #expect(e.reply("SET", "k", "v", "PERSIST") == syntax)
        #expect(e.reply("SET", "k", "v", "NX", "EX") == syntax)
        // A syntax error wins over a bad expiry value, wherever it is.
        #expect(e.reply("SET", "k", "v", "EX", "0", "foo") == syntax)
        #expect(e.reply("GET", "k") == "$-1\r\n")
    }

    @Test func setOptionsAreReadAsCStrings() {
        let e = Engine()
        #expect(e.reply("SET", "k", "v", "nX\0") == "+OK\r\n")
        #expect(e.reply("SET", "k", "v", "n\0x") == "-ERR syntax error\r\n")
        #expect(e.reply("SET", "k", "v", "ex\0zz", "100") == "+OK\r\n")
        #expect(StringProbe.pttl(e, "k") == 100_000)
        #expect(e.reply("SET", "k", "v", "KEEPTTL\0a") == "+OK\r\n")
        #expect(StringProbe.pttl(e, "k") == 100_000)
    }

    @Test func setnx() {
        let e = Engine()
        #expect(e.reply("SETNX", "k", "5") == ":1\r\n")
        #expect(StringProbe.encoding(e, "k") == "int")
        #expect(e.reply("SETNX", "k", "6") == ":0\r\n")
        #expect(e.reply("GET", "k") == "$1\r\n5\r\n")
        #expect(e.reply("SETNX", "k") == "-ERR wrong number of arguments for 'setnx' command\r\n")
    }

    @Test func setexAndPsetex() {
        let e = Engine()
        #expect(e.reply("SETEX", "k", "10", "v") == "+OK\r\n")
        #expect(StringProbe.pttl(e, "k") == 10_000)
        #expect(e.reply("GET", "k") == "$1\r\nv\r\n")
        #expect(e.reply("PSETEX", "k", "1500", "w") == "+OK\r\n")
        #expect(StringProbe.pttl(e, "k") == 1500)
        #expect(e.reply("SETEX", "k", "0", "v") == "-ERR invalid expire time in 'setex' command\r\n")
        #expect(e.reply("SETEX", "k", "-1", "v") == "-ERR invalid expire time in 'setex' command\r\n")
        #expect(e.reply("SETEX", "k", "9223372036854775807", "v") == "-ERR invalid expire time in 'setex' command\r\n")
        #expect(e.reply("SETEX", "k", "abc", "v") == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("PSETEX", "k", "-5", "v") == "-ERR invalid expire time in 'psetex' command\r\n")
        #expect(e.reply("PSETEX", "k", "9223372036854775807", "v") == "-ERR invalid expire time in 'psetex' command\r\n")
        #expect(e.reply("PSETEX", "k", "x", "v") == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("SETEX", "k", "10") == "-ERR wrong number of arguments for 'setex' command\r\n")
        #expect(e.reply("GET", "k") == "$1\r\nw\r\n")
    }

    @Test func expiredKeysAreGoneForEveryWrite() {
        let e = Engine()
        #expect(e.reply("SET", "k", "v", "PX", "100") == "+OK\r\n")
        e.store.now += 200
        #expect(e.reply("SET", "k", "w", "KEEPTTL") == "+OK\r\n")
        #expect(StringProbe.pttl(e, "k") == -1)
        #expect(e.reply("GET", "k") == "$1\r\nw\r\n")
        #expect(e.reply("SET", "k", "v", "PX", "100") == "+OK\r\n")
        e.store.now += 200
        #expect(e.reply("SET", "k", "w", "XX") == "$-1\r\n")
        #expect(e.reply("GET", "k") == "$-1\r\n")
        #expect(e.reply("SET", "k", "v", "PX", "100") == "+OK\r\n")
        e.store.now += 200
        #expect(e.reply("APPEND", "k", "w") == ":1\r\n")
        #expect(StringProbe.pttl(e, "k") == -1)
    }

    @Test func setexExpires() {
        let e = Engine()
        #expect(e.reply("SETEX", "k", "1", "v") == "+OK\r\n")
        e.store.now += 1000
        #expect(e.reply("GET", "k") == "$1\r\nv\r\n")  // due, not past: Redis expires when now > at
        e.store.now += 1
        #expect(e.reply("GET", "k") == "$-1\r\n")
    }

    @Test func getset() {
        let e = Engine()
        #expect(e.reply("GETSET", "k", "a") == "$-1\r\n")
        #expect(e.reply("GETSET", "k", "12") == "$1\r\na\r\n")
        #expect(StringProbe.encoding(e, "k") == "int")
        #expect(e.reply("SET", "k", "v", "EX", "100") == "+OK\r\n")
        #expect(e.reply("GETSET", "k", "w") == "$1\r\nv\r\n")
        #expect(StringProbe.pttl(e, "k") == -1)
    }

    @Test func getdel() {
        let e = Engine()
        #expect(e.reply("SET", "k", "v") == "+OK\r\n")
        #expect(e.reply("GETDEL", "k") == "$1\r\nv\r\n")
        #expect(e.reply("GETDEL", "k") == "$-1\r\n")
        #expect(e.reply("GET", "k") == "$-1\r\n")
        #expect(e.reply("SET", "i", "-7") == "+OK\r\n")
        #expect(e.reply("GETDEL", "i") == "$2\r\n-7\r\n")
    }

    @Test func getex() {
        let e = Engine()
        #expect(e.reply("GETEX", "k") == "$-1\r\n")
        #expect(e.reply("SET", "k", "v") == "+OK\r\n")
        #expect(e.reply("GETEX", "k") == "$1\r\nv\r\n")
        #expect(StringProbe.pttl(e, "k") == -1)
        #expect(e.reply("GETEX", "k", "EX", "100") == "$1\r\nv\r\n")
        #expect(StringProbe.pttl(e, "k") == 100_000)
        #expect(e.reply("GETEX", "k", "PX", "500") == "$1\r\nv\r\n")
        #expect(StringProbe.pttl(e, "k") == 500)
        #expect(e.reply("GETEX", "k", "PERSIST") == "$1\r\nv\r\n")
        #expect(StringProbe.pttl(e, "k") == -1)
        #expect(e.reply("GETEX", "k", "EXAT", "4000000000") == "$1\r\nv\r\n")
        #expect(e.reply("GETEX", "k", "PXAT", "4000000000000") == "$1\r\nv\r\n")
        #expect(e.reply("GETEX", "k", "ex", "10", "ex", "20") == "$1\r\nv\r\n")
        #expect(StringProbe.pttl(e, "k") == 20_000)
        #expect(e.reply("GETEX", "k", "persist", "persist") == "$1\r\nv\r\n")
        #expect(StringProbe.pttl(e, "k") == -1)
        #expect(e.reply("GETEX") == "-ERR wrong number of arguments for 'getex' command\r\n")
    }

    @Test func getexAbsoluteTimes() {
        let e = Engine()
        e.store.now = 1_700_000_000_000
        #expect(e.reply("SET", "k", "v") == "+OK\r\n")
        #expect(e.reply("GETEX", "k", "EXAT", "1700000010") == "$1\r\nv\r\n")
        #expect(StringProbe.pttl(e, "k") == 10_000)
        // An absolute time already past deletes the key after replying with its value.
        #expect(e.reply("GETEX", "k", "PXAT", "1700000000000") == "$1\r\nv\r\n")
        #expect(StringProbe.pttl(e, "k") == -2)
        #expect(e.reply("GETEX", "k") == "$-1\r\n")
    }

    @Test func getexErrors() {
        let e = Engine()
        let syntax = "-ERR syntax error\r\n"
        // A missing key answers null before its expiry is looked at.
        #expect(e.reply("GETEX", "nokey", "EX", "0") == "$-1\r\n")
        #expect(e.reply("GETEX", "nokey", "EX", "abc") == "$-1\r\n")
        #expect(e.reply("GETEX", "nokey", "FOO") == syntax)
        #expect(e.reply("SET", "k", "v", "EX", "100") == "+OK\r\n")
        #expect(e.reply("GETEX", "k", "EX", "0") == "-ERR invalid expire time in 'getex' command\r\n")
        #expect(e.reply("GETEX", "k", "PX", "-1") == "-ERR invalid expire time in 'getex' command\r\n")
        #expect(e.reply("GETEX", "k", "EX", "9223372036854775807") == "-ERR invalid expire time in 'getex' command\r\n")
        #expect(e.reply("GETEX", "k", "EX", "abc") == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("GETEX", "k", "EX") == syntax)
        #expect(e.reply("GETEX", "k", "PERSIST", "EX", "1") == syntax)
        #expect(e.reply("GETEX", "k", "EX", "1", "PERSIST") == syntax)
        #expect(e.reply("GETEX", "k", "EX", "1", "PX", "1") == syntax)
        #expect(e.reply("GETEX", "k", "NX") == syntax)
        #expect(e.reply("GETEX", "k", "XX") == syntax)
        #expect(e.reply("GETEX", "k", "GET") == syntax)
        #expect(e.reply("GETEX", "k", "KEEPTTL") == syntax)
        #expect(StringProbe.pttl(e, "k") == 100_000)
    }

    @Test func mgetAndMset() {
        let e = Engine()
        #expect(e.reply("MSET", "a", "1", "b", "two", "a", "3") == "+OK\r\n")
        #expect(e.reply("MGET", "a", "b", "nokey", "a") == "*4\r\n$1\r\n3\r\n$3\r\ntwo\r\n$-1\r\n$1\r\n3\r\n")
        #expect(StringProbe.encoding(e, "a") == "int")
        #expect(e.reply("MSET", "a") == "-ERR wrong number of arguments for 'mset' command\r\n")
        #expect(e.reply("MSET", "a", "b", "c") == "-ERR wrong number of arguments for 'mset' command\r\n")
        #expect(e.reply("MGET") == "-ERR wrong number of arguments for 'mget' command\r\n")
        #expect(e.reply("SET", "t", "v", "EX", "100") == "+OK\r\n")
        #expect(e.reply("MSET", "t", "w") == "+OK\r\n")
        #expect(StringProbe.pttl(e, "t") == -1)
    }

    @Test func msetnx() {
        let e = Engine()
        #expect(e.reply("MSETNX", "a", "1", "b", "2") == ":1\r\n")
        #expect(e.reply("MSETNX", "c", "3", "a", "x") == ":0\r\n")
        #expect(e.reply("MGET", "a", "b", "c") == "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n")
        #expect(e.reply("MSETNX", "c", "3", "c", "4") == ":1\r\n")
        #expect(e.reply("GET", "c") == "$1\r\n4\r\n")
        #expect(e.reply("MSETNX", "a", "b", "c") == "-ERR wrong number of arguments for 'msetnx' command\r\n")
    }

    @Test func resp3Nulls() {
        let e = Engine()
        e.session.protocolVersion = 3
        #expect(e.reply("GET", "nokey") == "_\r\n")
        #expect(e.reply("MGET", "nokey", "nokey2") == "*2\r\n_\r\n_\r\n")
        #expect(e.reply("SET", "k", "v", "XX") == "_\r\n")
        #expect(e.reply("SET", "k", "v", "XX", "GET") == "_\r\n")
        #expect(e.reply("SET", "k", "v", "GET") == "_\r\n")
        #expect(e.reply("SET", "k", "v", "NX") == "_\r\n")
        #expect(e.reply("GETSET", "n", "a") == "_\r\n")
        #expect(e.reply("GETDEL", "nokey") == "_\r\n")
        #expect(e.reply("GETEX", "nokey") == "_\r\n")
        #expect(e.reply("MGET", "k", "nokey") == "*2\r\n$1\r\nv\r\n_\r\n")
    }

    @Test func keyspaceHitsAndMisses() {
        let e = Engine()
        #expect(e.reply("SET", "k", "v") == "+OK\r\n")
        #expect(e.reply("GET", "k") == "$1\r\nv\r\n")
        #expect(e.reply("GET", "nokey") == "$-1\r\n")
        #expect(e.reply("MGET", "k", "nokey", "k") == "*3\r\n$1\r\nv\r\n$-1\r\n$1\r\nv\r\n")
        #expect(e.reply("SET", "k", "w", "GET") == "$1\r\nv\r\n")
        #expect(e.reply("SET", "k", "x", "NX") == "$-1\r\n")
        #expect(e.reply("SETNX", "k", "x") == ":0\r\n")
        #expect(e.reply("GETSET", "k", "y") == "$1\r\nw\r\n")
        #expect(e.reply("GETEX", "k") == "$1\r\ny\r\n")
        #expect(e.reply("GETDEL", "k") == "$1\r\ny\r\n")
        #expect(e.reply("GETDEL", "k") == "$-1\r\n")
        #expect(e.store.stats.keyspaceHits == 7)
        #expect(e.store.stats.keyspaceMisses == 3)
    }
}
