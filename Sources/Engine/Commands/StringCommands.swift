import RESP

/// The string family (Redis `t_string.c`): plain values read and written whole (GET, SET and its
/// variants, MGET/MSET), values edited in place (APPEND, SETRANGE, GETRANGE), values read as
/// numbers (INCR…, INCRBYFLOAT) and LCS.
///
/// Why one family: every command here works on the same value type and shares the same rules —
/// a key holding another type answers WRONGTYPE, a value written whole is stored `int`-encoded
/// when it is a canonical 64-bit integer, a value edited in place becomes `raw`, read lookups
/// count keyspace hits and misses, and expiry arguments go through one validation with Redis's
/// exact errors. The handlers live in extension files by concern:
///
/// ```
/// StringCommands.swift            this table
/// StringCommands+Access.swift     shared helpers: read lookups, encodings, size limit
/// StringCommands+Options.swift    SET/GETEX option grammar and expiry arithmetic
/// StringCommands+GetSet.swift     GET SET SETNX SETEX PSETEX GETSET GETDEL GETEX MGET MSET MSETNX
/// StringCommands+Counters.swift   INCR DECR INCRBY DECRBY INCRBYFLOAT
/// StringCommands+Ranges.swift     APPEND STRLEN GETRANGE SUBSTR SETRANGE
/// StringCommands+LCS.swift        LCS
/// LongDoubleText.swift            strtold parsing and `%.17Lf` printing for INCRBYFLOAT
/// ```
///
/// GET and SET are the hot path: they parse options by comparing bytes in place and create no
/// String or Array per call.
public enum StringCommands {
    public static let specs: [CommandSpec] = [
        CommandSpec(
            "get", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1), group: "string", since: "1.0.0",
            summary: "Returns the string stored at a key.", syntax: "key", handler: get),
        CommandSpec(
            "set", arity: -3, flags: [.write, .denyOOM], keys: (1, 1, 1), group: "string", since: "1.0.0",
            summary: "Stores a string at a key, optionally only if it exists or not, with a time to live, returning the old value.",
            syntax: "key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]",
            handler: set),
        CommandSpec(
            "setnx", arity: 3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1), group: "string",
            since: "1.0.0", summary: "Stores a string at a key only when the key does not exist yet.",
            syntax: "key value", handler: setnx),
        CommandSpec(
            "setex", arity: 4, flags: [.write, .denyOOM], keys: (1, 1, 1), group: "string", since: "2.0.0",
            summary: "Stores a string at a key with a time to live in seconds.",
            syntax: "key seconds value", handler: setex),
        CommandSpec(
            "psetex", arity: 4, flags: [.write, .denyOOM], keys: (1, 1, 1), group: "string", since: "2.6.0",
            summary: "Stores a string at a key with a time to live in milliseconds.",
            syntax: "key milliseconds value", handler: psetex),
        CommandSpec(
            "mget", arity: -2, flags: [.readonly, .fast], keys: (1, -1, 1), group: "string", since: "1.0.0",
            summary: "Returns the strings stored at several keys, null where there is none.",
            complexity: "O(N) where N is the number of keys to retrieve.", syntax: "key [key ...]",
            handler: mget),
        CommandSpec(
            "mset", arity: -3, flags: [.write, .denyOOM], keys: (1, -1, 2), group: "string", since: "1.0.1",
            summary: "Stores strings at several keys at once.",
            complexity: "O(N) where N is the number of keys to set.", syntax: "key value [key value ...]",
            handler: mset),
        CommandSpec(
            "msetnx", arity: -3, flags: [.write, .denyOOM], keys: (1, -1, 2), group: "string", since: "1.0.1",
            summary: "Stores strings at several keys at once, only when none of the keys exists.",
            complexity: "O(N) where N is the number of keys to set.", syntax: "key value [key value ...]",
            handler: msetnx),
        CommandSpec(
            "getset", arity: 3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1), group: "string",
            since: "1.0.0", summary: "Stores a string at a key and returns the string it replaced.",
            syntax: "key value", handler: getset),
        CommandSpec(
            "getdel", arity: 2, flags: [.write, .fast], keys: (1, 1, 1), group: "string", since: "6.2.0",
            summary: "Returns the string stored at a key and deletes the key.", syntax: "key", handler: getdel),
        CommandSpec(
            "getex", arity: -2, flags: [.write, .fast], keys: (1, 1, 1), group: "string", since: "6.2.0",
            summary: "Returns the string stored at a key and optionally changes its time to live.",
            syntax: "key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]",
            handler: getex),
        CommandSpec(
            "append", arity: 3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1), group: "string",
            since: "2.0.0", summary: "Adds bytes at the end of a string, creating it if needed; returns the new length.",
            complexity: "O(1) amortized: the string grows geometrically, so appending small values costs constant time.",
            syntax: "key value", handler: append),
        CommandSpec(
            "strlen", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1), group: "string", since: "2.2.0",
            summary: "Returns the length in bytes of the string stored at a key.", syntax: "key", handler: strlen),
        CommandSpec(
            "incr", arity: 2, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1), group: "string", since: "1.0.0",
            summary: "Adds one to the integer stored at a key.", syntax: "key", handler: incr),
        CommandSpec(
            "decr", arity: 2, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1), group: "string", since: "1.0.0",
            summary: "Subtracts one from the integer stored at a key.", syntax: "key", handler: decr),
        CommandSpec(
            "incrby", arity: 3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1), group: "string",
            since: "1.0.0", summary: "Adds an integer to the integer stored at a key.",
            syntax: "key increment", handler: incrby),
        CommandSpec(
            "decrby", arity: 3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1), group: "string",
            since: "1.0.0", summary: "Subtracts an integer from the integer stored at a key.",
            syntax: "key decrement", handler: decrby),
        CommandSpec(
            "incrbyfloat", arity: 3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1), group: "string",
            since: "2.6.0", summary: "Adds a decimal number to the number stored at a key, in extended precision.",
            syntax: "key increment", handler: incrbyfloat),
        CommandSpec(
            "getrange", arity: 4, flags: [.readonly], keys: (1, 1, 1), group: "string", since: "2.4.0",
            summary: "Returns the bytes of a string between two offsets, negative offsets counting from the end.",
            complexity: "O(N) where N is the length of the returned string.", syntax: "key start end",
            handler: getrange),
        CommandSpec(
            "setrange", arity: 4, flags: [.write, .denyOOM], keys: (1, 1, 1), group: "string", since: "2.2.0",
            summary: "Overwrites a string from an offset on, zero-padding it if it is shorter; returns the new length.",
            complexity: "O(1), plus O(M) to copy the M bytes of the value.", syntax: "key offset value",
            handler: setrange),
        CommandSpec(
            "substr", arity: 4, flags: [.readonly], keys: (1, 1, 1), group: "string", since: "1.0.0",
            summary: "Returns the bytes of a string between two offsets (the old name of GETRANGE).",
            complexity: "O(N) where N is the length of the returned string.", syntax: "key start end",
            handler: getrange),
        CommandSpec(
            "lcs", arity: -3, flags: [.readonly], keys: (1, 2, 1), group: "string", since: "7.0.0",
            summary: "Finds the longest common subsequence of two strings, its length or where its pieces match.",
            complexity: "O(N*M) where N and M are the lengths of the two strings.",
            syntax: "key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]", handler: lcs),
    ]
}
