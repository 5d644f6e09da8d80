@testable import Engine
import RESP
import Testing

/// OBJECT REFCOUNT through every way a small integer is written, moved or copied, with the
/// answers redis-server 7.0 gives (checked one by one against it): the integers 0…9999 written
/// whole are Redis's shared objects (2147483647), a COPY duplicates them into a private object
/// (1) that RENAME, MOVE, SWAPDB and TTL changes carry along, and any arithmetic that lands
/// back in 0…9999 stores a shared one again.
@Suite struct ObjectRefcountTests {
    static let shared = ":2147483647\r\n"
    static let own = ":1\r\n"

    @Test func wholeWritesOfSmallIntegersAreShared() {
        let e = Engine()
        _ = e.reply("SET", "set", "5")
        _ = e.reply("GETSET", "getset", "7")
        _ = e.reply("MSET", "mset", "3", "other", "4")
        _ = e.reply("SETEX", "setex", "100", "3")
        _ = e.reply("SETNX", "setnx", "0")
        _ = e.reply("APPEND", "append", "5")  // a new key is stored as SET stores it
        _ = e.reply("INCR", "incr")
        for key in ["set", "getset", "mset", "setex", "setnx", "append", "incr"] {
            #expect(e.reply("OBJECT", "REFCOUNT", key) == Self.shared, "\(key)")
        }
        _ = e.reply("SET", "large", "10000")
        _ = e.reply("SET", "negative", "-1")
        _ = e.reply("SET", "padded", "00")
        _ = e.reply("INCRBYFLOAT", "float", "1")  // stored as the text "1", embstr
        _ = e.reply("SETRANGE", "range", "0", "5")
        for key in ["large", "negative", "padded", "float", "range"] {
            #expect(e.reply("OBJECT", "REFCOUNT", key) == Self.own, "\(key)")
        }
        #expect(e.reply("OBJECT", "ENCODING", "float") == "$6\r\nembstr\r\n")
    }

    @Test func copyMakesAPrivateIntegerThatMovesAlongWithTheKey() {
        let e = Engine()
        _ = e.reply("SET", "a", "5")
        #expect(e.reply("COPY", "a", "b") == ":1\r\n")
        #expect(e.reply("OBJECT", "REFCOUNT", "b") == Self.own)
        #expect(e.reply("OBJECT", "ENCODING", "b") == "$3\r\nint\r\n")
        #expect(e.reply("OBJECT", "REFCOUNT", "a") == Self.shared)
        #expect(e.reply("COPY", "b", "c") == ":1\r\n")
        #expect(e.reply("OBJECT", "REFCOUNT", "c") == Self.own)

        _ = e.reply("RENAME", "c", "renamed")
        #expect(e.reply("OBJECT", "REFCOUNT", "renamed") == Self.own)
        _ = e.reply("EXPIRE", "renamed", "100")  // the record moves to a block with a TTL
        #expect(e.reply("OBJECT", "REFCOUNT", "renamed") == Self.own)
        _ = e.reply("PERSIST", "renamed")
        #expect(e.reply("OBJECT", "REFCOUNT", "renamed") == Self.own)
        _ = e.reply("GETEX", "renamed", "EX", "100")
        #expect(e.reply("OBJECT", "REFCOUNT", "renamed") == Self.own)

        _ = e.reply("COPY", "a", "moved")
        #expect(e.reply("MOVE", "moved", "1") == ":1\r\n")
        _ = e.reply("COPY", "a", "copied", "DB", "3")
        _ = e.reply("SET", "sharedMoved", "5")
        _ = e.reply("MOVE", "sharedMoved", "2")
        _ = e.reply("SWAPDB", "0", "4")
        _ = e.reply("SELECT", "1")
        #expect(e.reply("OBJECT", "REFCOUNT", "moved") == Self.own)
        _ = e.reply("SELECT", "2")
        #expect(e.reply("OBJECT", "REFCOUNT", "sharedMoved") == Self.shared)
        _ = e.reply("SELECT", "3")
        #expect(e.reply("OBJECT", "REFCOUNT", "copied") == Self.own)
        _ = e.reply("SELECT", "4")
        #expect(e.reply("OBJECT", "REFCOUNT", "b") == Self.own)
        #expect(e.reply("OBJECT", "REFCOUNT", "a") == Self.shared)
    }

    @Test func arithmeticLandingInTheSharedRangeSharesAgain() {
        let e = Engine()
        _ = e.reply("SET", "a", "5")
        for key in ["incr", "decrby", "keep", "big"] { _ = e.reply("COPY", "a", key) }
        _ = e.reply("INCR", "incr")
        _ = e.reply("DECRBY", "decrby", "0")
        _ = e.reply("SET", "keep", "7", "KEEPTTL")
        _ = e.reply("INCRBY", "big", "20000")
        #expect(e.reply("OBJECT", "REFCOUNT", "incr") == Self.shared)
        #expect(e.reply("OBJECT", "REFCOUNT", "decrby") == Self.shared)
        #expect(e.reply("OBJECT", "REFCOUNT", "keep") == Self.shared)
        #expect(e.reply("OBJECT", "REFCOUNT", "big") == Self.own)
        _ = e.reply("SET", "c", "9999")
        _ = e.reply("COPY", "c", "d")
        _ = e.reply("INCR", "d")
        #expect(e.reply("OBJECT", "REFCOUNT", "d") == Self.own)
        _ = e.reply("SET", "x", "123456")
        _ = e.reply("INCRBY", "x", "-123000")
        #expect(e.reply("OBJECT", "REFCOUNT", "x") == Self.shared)
        // An edit in place turns the private integer into a raw string.
        _ = e.reply("COPY", "a", "appended")
        _ = e.reply("APPEND", "appended", "1")
        #expect(e.reply("OBJECT", "REFCOUNT", "appended") == Self.own)
        #expect(e.reply("OBJECT", "ENCODING", "appended") == "$3\r\nraw\r\n")
    }

    @Test func copiesKeepEveryOtherEncoding() {
        let e = Engine()
        _ = e.reply("SET", "embstr", "hello")
        _ = e.reply("SET", "long", String(repeating: "x", count: 45))
        _ = e.reply("SET", "grown", "ab")
        _ = e.reply("APPEND", "grown", "c")
        _ = e.reply("SET", "large", "123456")
        for key in ["embstr", "long", "grown", "large"] {
            #expect(e.reply("COPY", key, key + "2") == ":1\r\n")
            #expect(e.reply("OBJECT", "ENCODING", key + "2") == e.reply("OBJECT", "ENCODING", key), "\(key)")
            #expect(e.reply("OBJECT", "REFCOUNT", key + "2") == Self.own, "\(key)")
            #expect(e.reply("GET", key + "2") == e.reply("GET", key), "\(key)")
        }
    }
}
