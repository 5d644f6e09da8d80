import Engine
import RESP

/// Looks inside an engine's keyspace for the string tests: what OBJECT ENCODING and PTTL would
/// answer, without depending on the generic-command family that implements them.
enum StringProbe {
    /// The key's encoding name ("int", "embstr", "raw"), or "" when the key does not exist.
    static func encoding(_ e: Engine, _ key: String) -> String {
        withRecord(e, key) { record in
            guard let record else { return "" }
            return record.encoding.name.description
        }
    }

    /// Milliseconds the key has left to live; -1 when it has no TTL, -2 when it does not exist.
    static func pttl(_ e: Engine, _ key: String) -> Int64 {
        withRecord(e, key) { record in
            guard let record else { return -2 }
            guard let expireAt = record.expireAt else { return -1 }
            return expireAt - e.store.now
        }
    }

    private static func withRecord<R>(_ e: Engine, _ key: String, _ body: (RecordHandle?) -> R) -> R {
        var key = key
        return key.withUTF8 { utf8 in
            let view = ByteView(base: UnsafeRawPointer(utf8.baseAddress ?? UnsafePointer(bitPattern: 1)!), count: utf8.count)
            return body(e.store.databases[e.session.databaseIndex].lookup(view, now: e.store.now, touch: false))
        }
    }
}
