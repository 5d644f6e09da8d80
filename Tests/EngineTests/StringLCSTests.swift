import Engine
import Testing

/// LCS in all its reply shapes (string, LEN, IDX with MINMATCHLEN/WITHMATCHLEN), RESP2 and RESP3,
/// checked byte for byte against Redis 7.0.
@Suite struct StringLCSTests {
    @Test func subsequenceAndLength() {
        let e = Engine()
        #expect(e.reply("MSET", "key1", "ohmytext", "key2", "mynewtext") == "+OK\r\n")
        #expect(e.reply("LCS", "key1", "key2") == "$6\r\nmytext\r\n")
        #expect(e.reply("LCS", "key1", "key2", "LEN") == ":6\r\n")
        #expect(e.reply("LCS", "key1", "key2", "withmatchlen") == "$6\r\nmytext\r\n")
        #expect(e.reply("LCS", "key1", "key2", "len", "withmatchlen") == ":6\r\n")
        #expect(e.reply("LCS", "key1", "key2", "minmatchlen", "3") == "$6\r\nmytext\r\n")
        #expect(e.reply("LCS", "key1", "nokey") == "$0\r\n\r\n")
        #expect(e.reply("LCS", "nokey", "nokey2", "LEN") == ":0\r\n")
        #expect(e.reply("LCS", "key1", "key1") == "$8\r\nohmytext\r\n")
        #expect(e.reply("SET", "n1", "12345") == "+OK\r\n")
        #expect(e.reply("SET", "n2", "-2x4") == "+OK\r\n")
        #expect(e.reply("LCS", "n1", "n2") == "$2\r\n24\r\n")
        #expect(e.reply("LCS", "key1") == "-ERR wrong number of arguments for 'lcs' command\r\n")
    }

    @Test func indexes() {
        let e = Engine()
        #expect(e.reply("MSET", "key1", "ohmytext", "key2", "mynewtext") == "+OK\r\n")
        #expect(e.reply("LCS", "key1", "key2", "IDX") == "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n")
        #expect(e.reply("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4") == "*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n")
        #expect(e.reply("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN") == "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n")
        #expect(e.reply("LCS", "key1", "key2", "WITHMATCHLEN", "IDX") == "*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n")
        #expect(e.reply("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "-5") == "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n")
        #expect(e.reply("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "100") == "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:6\r\n")
        #expect(e.reply("LCS", "nokey", "key2", "IDX") == "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n")
        #expect(e.reply("MSET", "a", "abcXdefYghi", "b", "abcdefghi") == "+OK\r\n")
        #expect(e.reply("LCS", "a", "b", "IDX", "WITHMATCHLEN") == "*4\r\n$7\r\nmatches\r\n*3\r\n*3\r\n*2\r\n:8\r\n:10\r\n*2\r\n:6\r\n:8\r\n:3\r\n*3\r\n*2\r\n:4\r\n:6\r\n*2\r\n:3\r\n:5\r\n:3\r\n*3\r\n*2\r\n:0\r\n:2\r\n*2\r\n:0\r\n:2\r\n:3\r\n$3\r\nlen\r\n:9\r\n")
    }

    @Test func indexesInRESP3() {
        let e = Engine()
        e.session.protocolVersion = 3
        #expect(e.reply("MSET", "key1", "ohmytext", "key2", "mynewtext") == "+OK\r\n")
        #expect(e.reply("LCS", "key1", "key2", "IDX", "WITHMATCHLEN") == "%2\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n")
        #expect(e.reply("LCS", "key1", "key2", "LEN") == ":6\r\n")
        #expect(e.reply("LCS", "key1", "key2") == "$6\r\nmytext\r\n")
        #expect(e.reply("LCS", "nokey", "key2", "IDX") == "%2\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n")
    }

    @Test func errors() {
        let e = Engine()
        #expect(e.reply("MSET", "key1", "ohmytext", "key2", "mynewtext") == "+OK\r\n")
        #expect(e.reply("LCS", "key1", "key2", "IDX", "LEN") == "-ERR If you want both the length and indexes, please just use IDX.\r\n")
        #expect(e.reply("LCS", "key1", "key2", "LEN", "IDX") == "-ERR If you want both the length and indexes, please just use IDX.\r\n")
        #expect(e.reply("LCS", "key1", "key2", "MINMATCHLEN") == "-ERR syntax error\r\n")
        #expect(e.reply("LCS", "key1", "key2", "MINMATCHLEN", "x") == "-ERR value is not an integer or out of range\r\n")
        #expect(e.reply("LCS", "key1", "key2", "foo") == "-ERR syntax error\r\n")
        #expect(e.reply("LCS", "key1", "key2", "IDX", "LEN", "foo") == "-ERR syntax error\r\n")
        #expect(e.reply("LCS", "key1", "key2", "len\0x") == ":6\r\n")
        #expect(e.reply("SETRANGE", "big", "16383", "x") == ":16384\r\n")
        #expect(e.reply("SETRANGE", "big2", "8191", "x") == ":8192\r\n")
        #expect(e.reply("LCS", "big", "big2", "LEN") == "-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n")
    }

    @Test func readsCountKeyspaceHitsAndMisses() {
        let e = Engine()
        #expect(e.reply("SET", "a", "abc") == "+OK\r\n")
        #expect(e.reply("LCS", "a", "nokey") == "$0\r\n\r\n")
        #expect(e.reply("LCS", "a", "a", "foo") == "-ERR syntax error\r\n")
        #expect(e.store.stats.keyspaceHits == 3)
        #expect(e.store.stats.keyspaceMisses == 1)
    }
}
