import Engine
import RESP

/// Seeding and clock control for the key and database command tests. Keys are written straight
/// into the keyspace, so these tests do not depend on the string commands; each helper mirrors
/// one Redis command, so every test can be replayed step by step against a real redis-server:
/// `seedKey` is `SET key value [PX ms]` (in database `db` when given), `seedRawKey` is
/// `SET key ""` + `APPEND key value`, `advanceClock` is a sleep.
extension Engine {
    /// Stores `value` as SET would: `int` when it is a canonical 64-bit integer, else `embstr`
    /// up to 44 bytes and `raw` beyond. `px` is a time to live in milliseconds from now.
    func seedKey(_ key: String, _ value: String, px: Int64? = nil, db: Int? = nil) {
        let keyspace = store.databases[db ?? session.databaseIndex]
        let expiry: ExpiryChange = px.map { .at(store.now + $0) } ?? .clear
        Self.withView(key) { keyView in
            Self.withView(value) { valueView in
                if valueView.count <= 20, let integer = RedisInteger.parse(valueView) {
                    keyspace.setString(keyView, .integer(integer), expiry: expiry, now: store.now)
                } else {
                    keyspace.setString(keyView, .bytes(valueView), expiry: expiry, now: store.now)
                }
            }
        }
    }

    /// Stores `value` `raw`-encoded, as a string edited in place (APPEND) is.
    func seedRawKey(_ key: String, _ value: String) {
        let keyspace = store.databases[session.databaseIndex]
        Self.withView(key) { keyView in
            Self.withView(value) { valueView in
                keyspace.setString(keyView, .bytes(valueView), form: .raw, expiry: .clear, now: store.now)
            }
        }
    }

    /// Moves the engine's clock forward.
    func advanceClock(_ milliseconds: Int64) { store.now += milliseconds }

    /// INFO's keyspace_hits and keyspace_misses, as "hits=H misses=M".
    var keyspaceStats: String { "hits=\(store.stats.keyspaceHits) misses=\(store.stats.keyspaceMisses)" }

    private static func withView<R>(_ text: String, _ body: (ByteView) -> R) -> R {
        var text = text
        return text.withUTF8 { utf8 in
            body(ByteView(base: UnsafeRawPointer(utf8.baseAddress ?? UnsafePointer(bitPattern: 1)!), count: utf8.count))
        }
    }
}

/// Reading the RESP replies whose element order depends on the keyspace's layout.
enum KeyReplies {
    /// The bulk strings of a flat RESP array reply (KEYS), in reply order.
    static func bulks(_ reply: String) -> [String] {
        var lines = reply.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init).dropFirst()
        var result: [String] = []
        while let header = lines.first, header.hasPrefix("$") {
            lines = lines.dropFirst()
            result.append(lines.removeFirst())
        }
        return result
    }

    /// A SCAN reply's cursor and keys: `*2`, the cursor as a bulk string, then an array of keys.
    static func scanPage(_ reply: String) -> (cursor: String, keys: [String]) {
        let lines = reply.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        return (lines[2], bulks(lines[3...].joined(separator: "\r\n")))
    }
}
