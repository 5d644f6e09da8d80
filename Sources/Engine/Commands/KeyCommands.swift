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
        CommandSpec(
            "del", arity: -2, flags: [.write], keys: (1, -1, 1), group: "generic", since: "1.0.0",
            summary: "Deletes keys; returns how many existed.",
            complexity: "O(N) where N is the number of keys to remove. Removing a string is O(1); removing a collection is O(M) in its number of elements.",
            syntax: "key [key ...]", handler: del),
        CommandSpec(
            "unlink", arity: -2, flags: [.write, .fast], keys: (1, -1, 1), group: "generic", since: "4.0.0",
            summary: "Deletes keys like DEL, leaving the reclamation of large values to the background.",
            complexity: "O(1) for each key removed; the memory is reclaimed later in O(M) where M is the number of allocations of the value.",
            syntax: "key [key ...]", handler: del),
        CommandSpec(
            "exists", arity: -2, flags: [.readonly, .fast], keys: (1, -1, 1), group: "generic", since: "1.0.0",
            summary: "Counts how many of the given keys exist (a key repeated is counted each time).",
            complexity: "O(N) where N is the number of keys to check.", syntax: "key [key ...]", handler: exists),
        CommandSpec(
            "type", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1), group: "generic", since: "1.0.0",
            summary: "Returns the type of the value stored at a key, or none.", syntax: "key", handler: type),
        CommandSpec(
            "expire", arity: -3, flags: [.write, .fast], keys: (1, 1, 1), group: "generic", since: "1.0.0",
            summary: "Sets a key's time to live in seconds, optionally only under a condition on its current one.",
            syntax: "key seconds [NX | XX | GT | LT]", handler: expire),
        CommandSpec(
            "pexpire", arity: -3, flags: [.write, .fast], keys: (1, 1, 1), group: "generic", since: "2.6.0",
            summary: "Sets a key's time to live in milliseconds, optionally only under a condition on its current one.",
            syntax: "key milliseconds [NX | XX | GT | LT]", handler: pexpire),
        CommandSpec(
            "expireat", arity: -3, flags: [.write, .fast], keys: (1, 1, 1), group: "generic", since: "1.2.0",
            summary: "Makes a key expire at a Unix time in seconds, optionally only under a condition on its current expiry.",
            syntax: "key unix-time-seconds [NX | XX | GT | LT]", handler: expireat),
        CommandSpec(
            "pexpireat", arity: -3, flags: [.write, .fast], keys: (1, 1, 1), group: "generic", since: "2.6.0",
            summary: "Makes a key expire at a Unix time in milliseconds, optionally only under a condition on its current expiry.",
            syntax: "key unix-time-milliseconds [NX | XX | GT | LT]", handler: pexpireat),
        CommandSpec(
            "ttl", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1), group: "generic", since: "1.0.0",
            summary: "Returns a key's remaining time to live in seconds (-1 without one, -2 without the key).",
            syntax: "key", handler: ttl),
        CommandSpec(
            "pttl", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1), group: "generic", since: "2.6.0",
            summary: "Returns a key's remaining time to live in milliseconds (-1 without one, -2 without the key).",
            syntax: "key", handler: pttl),
        CommandSpec(
            "expiretime", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1), group: "generic", since: "7.0.0",
            summary: "Returns the Unix time in seconds at which a key expires (-1 without one, -2 without the key).",
            syntax: "key", handler: expiretime),
        CommandSpec(
            "pexpiretime", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1), group: "generic", since: "7.0.0",
            summary: "Returns the Unix time in milliseconds at which a key expires (-1 without one, -2 without the key).",
            syntax: "key", handler: pexpiretime),
        CommandSpec(
            "persist", arity: 2, flags: [.write, .fast], keys: (1, 1, 1), group: "generic", since: "2.2.0",
            summary: "Removes a key's time to live, making it persistent.", syntax: "key", handler: persist),
        CommandSpec(
            "keys", arity: 2, flags: [.readonly], group: "generic", since: "1.0.0",
            summary: "Returns every key matching a glob-style pattern.",
            complexity: "O(N) with N the number of keys in the database, assuming short keys and pattern.",
            syntax: "pattern", extraCategories: ["dangerous"], handler: keys),
        CommandSpec(
            "scan", arity: -2, flags: [.readonly], group: "generic", since: "2.8.0",
            summary: "Walks the keyspace a few keys per call, resuming from a cursor.",
            complexity: "O(1) for every call. O(N) for a complete iteration, N being the number of keys.",
            syntax: "cursor [MATCH pattern] [COUNT count] [TYPE type]", handler: scan),
        CommandSpec(
            "randomkey", arity: 1, flags: [.readonly], group: "generic", since: "1.0.0",
            summary: "Returns a key picked at random, or null when the database is empty.", handler: randomkey),
        CommandSpec(
            "rename", arity: 3, flags: [.write], keys: (1, 2, 1), group: "generic", since: "1.0.0",
            summary: "Gives a key a new name, replacing any key already under that name.",
            syntax: "key newkey", handler: rename),
        CommandSpec(
            "renamenx", arity: 3, flags: [.write, .fast], keys: (1, 2, 1), group: "generic", since: "1.0.0",
            summary: "Gives a key a new name only when no key has that name yet.",
            syntax: "key newkey", handler: renamenx),
        CommandSpec(
            "copy", arity: -3, flags: [.write, .denyOOM], keys: (1, 2, 1), group: "generic", since: "6.2.0",
            summary: "Copies a key's value and time to live to another key, possibly in another database.",
            complexity: "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
            syntax: "source destination [DB destination-db] [REPLACE]", handler: copy),
        CommandSpec(
            "move", arity: 3, flags: [.write, .fast], keys: (1, 1, 1), group: "generic", since: "1.0.0",
            summary: "Moves a key to another database unless that database already has it.",
            syntax: "key db", handler: move),
        CommandSpec(
            "touch", arity: -2, flags: [.readonly, .fast], keys: (1, -1, 1), group: "generic", since: "3.2.1",
            summary: "Refreshes the last access time of keys; returns how many exist.",
            complexity: "O(N) where N is the number of keys to touch.", syntax: "key [key ...]", handler: touch),
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
