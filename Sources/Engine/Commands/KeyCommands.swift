import RESP

/// The generic key family (Redis `db.c` and `expire.c`): commands that work on keys whatever
/// their type — existence, deletion, type, time to live, renaming and copying, iteration, and
/// OBJECT introspection.
///
/// Why one family: these commands share the keyspace rules that are not a type's business —
/// which lookups count keyspace hits and misses and which refresh the access time, how an
/// expired key is reaped on the way, and how a value moves between keys without holding a view
/// across a mutation. The handlers live in extension files by concern:
///
/// ```
/// KeyCommands.swift             this table and the shared read lookup
/// KeyCommands+Presence.swift    DEL UNLINK EXISTS TOUCH TYPE
/// KeyCommands+Expire.swift      EXPIRE PEXPIRE EXPIREAT PEXPIREAT PERSIST
/// KeyCommands+TTL.swift         TTL PTTL EXPIRETIME PEXPIRETIME
/// KeyCommands+Scan.swift        KEYS SCAN RANDOMKEY
/// KeyCommands+Rename.swift      RENAME RENAMENX COPY MOVE
/// KeyCommands+ValueSnapshot.swift   a value copied out of its record, for RENAME/COPY/MOVE
/// KeyCommands+Object.swift      OBJECT ENCODING|FREQ|IDLETIME|REFCOUNT|HELP
/// ```
public enum KeyCommands {
    public static let specs: [CommandSpec] = [
        CommandSpec("del", arity: -2, flags: [.write], keys: (1, -1, 1), handler: del),
        CommandSpec("unlink", arity: -2, flags: [.write, .fast], keys: (1, -1, 1), handler: del),
        CommandSpec("exists", arity: -2, flags: [.readonly, .fast], keys: (1, -1, 1), handler: exists),
        CommandSpec("type", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1), handler: type),
        CommandSpec("expire", arity: -3, flags: [.write, .fast], keys: (1, 1, 1), handler: expire),
        CommandSpec("pexpire", arity: -3, flags: [.write, .fast], keys: (1, 1, 1), handler: pexpire),
        CommandSpec("expireat", arity: -3, flags: [.write, .fast], keys: (1, 1, 1), handler: expireat),
        CommandSpec("pexpireat", arity: -3, flags: [.write, .fast], keys: (1, 1, 1), handler: pexpireat),
        CommandSpec("ttl", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1), handler: ttl),
        CommandSpec("pttl", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1), handler: pttl),
        CommandSpec("expiretime", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1), handler: expiretime),
        CommandSpec("pexpiretime", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1), handler: pexpiretime),
        CommandSpec("persist", arity: 2, flags: [.write, .fast], keys: (1, 1, 1), handler: persist),
        CommandSpec("keys", arity: 2, flags: [.readonly], handler: keys),
        CommandSpec("scan", arity: -2, flags: [.readonly], handler: scan),
        CommandSpec("randomkey", arity: 1, flags: [.readonly], handler: randomkey),
        CommandSpec("rename", arity: 3, flags: [.write], keys: (1, 2, 1), handler: rename),
        CommandSpec("renamenx", arity: 3, flags: [.write, .fast], keys: (1, 2, 1), handler: renamenx),
        CommandSpec("copy", arity: -3, flags: [.write, .denyOOM], keys: (1, 2, 1), handler: copy),
        CommandSpec("move", arity: 3, flags: [.write, .fast], keys: (1, 1, 1), handler: move),
        CommandSpec("touch", arity: -2, flags: [.readonly, .fast], keys: (1, -1, 1), handler: touch),
        objectSpec,
    ]

    /// A read lookup as Redis's `lookupKeyRead`: reaps an expired key and counts a keyspace hit
    /// or miss. `touch` refreshes the access time; EXISTS, TYPE, TTL and OBJECT look without it.
    @inline(__always)
    static func lookupForRead(_ c: CommandContext, _ key: ByteView, touch: Bool) -> RecordHandle? {
        let record = c.db.lookup(key, now: c.now, touch: touch)
        if record == nil { c.store.stats.keyspaceMisses += 1 } else { c.store.stats.keyspaceHits += 1 }
        return record
    }
}
