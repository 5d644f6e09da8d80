import RESP

/// The string family (Redis `t_string.c`): plain values read and written whole (GET, SET and its
/// variants, MGET/MSET), values edited in place (APPEND, SETRANGE, GETRANGE), values read as
/// numbers (INCR…, INCRBYFLOAT), LCS, and values read and written as bitmaps (SETBIT…, BITOP,
/// BITFIELD).
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
/// StringCommands+Bits.swift       SETBIT GETBIT BITCOUNT BITPOS BITOP
/// StringCommands+BitField.swift   BITFIELD BITFIELD_RO: subcommand parsing and execution
/// BitScan.swift                   word-at-a-time popcount, first-bit search and BITOP folds
/// BitField.swift                  BITFIELD's field reads/writes and overflow arithmetic
/// LongDoubleText.swift            strtold parsing and `%.17Lf` printing for INCRBYFLOAT
/// ```
///
/// GET and SET are the hot path: they parse options by comparing bytes in place and create no
/// String or Array per call.
public enum StringCommands {
    public static let specs: [CommandSpec] = [
        CommandSpec("get", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1), handler: get),
        CommandSpec(
            "set", arity: -3, flags: [.write, .denyOOM], keys: (1, 1, 1), keyFlagsOfCall: setKeyFlags, handler: set),
        CommandSpec("setnx", arity: 3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1), handler: setnx),
        CommandSpec("setex", arity: 4, flags: [.write, .denyOOM], keys: (1, 1, 1), handler: setex),
        CommandSpec("psetex", arity: 4, flags: [.write, .denyOOM], keys: (1, 1, 1), handler: psetex),
        CommandSpec("mget", arity: -2, flags: [.readonly, .fast], keys: (1, -1, 1), handler: mget),
        CommandSpec("mset", arity: -3, flags: [.write, .denyOOM], keys: (1, -1, 2), handler: mset),
        CommandSpec("msetnx", arity: -3, flags: [.write, .denyOOM], keys: (1, -1, 2), handler: msetnx),
        CommandSpec("getset", arity: 3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1), handler: getset),
        CommandSpec("getdel", arity: 2, flags: [.write, .fast], keys: (1, 1, 1), handler: getdel),
        CommandSpec("getex", arity: -2, flags: [.write, .fast], keys: (1, 1, 1), handler: getex),
        CommandSpec("append", arity: 3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1), handler: append),
        CommandSpec("strlen", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1), handler: strlen),
        CommandSpec("incr", arity: 2, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1), handler: incr),
        CommandSpec("decr", arity: 2, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1), handler: decr),
        CommandSpec("incrby", arity: 3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1), handler: incrby),
        CommandSpec("decrby", arity: 3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1), handler: decrby),
        CommandSpec("incrbyfloat", arity: 3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1), handler: incrbyfloat),
        CommandSpec("getrange", arity: 4, flags: [.readonly], keys: (1, 1, 1), handler: getrange),
        CommandSpec("setrange", arity: 4, flags: [.write, .denyOOM], keys: (1, 1, 1), handler: setrange),
        CommandSpec("substr", arity: 4, flags: [.readonly], keys: (1, 1, 1), handler: getrange),
        CommandSpec("lcs", arity: -3, flags: [.readonly], keys: (1, 2, 1), handler: lcs),
        CommandSpec("setbit", arity: 4, flags: [.write, .denyOOM], keys: (1, 1, 1), handler: setbit),
        CommandSpec("getbit", arity: 3, flags: [.readonly, .fast], keys: (1, 1, 1), handler: getbit),
        CommandSpec("bitcount", arity: -2, flags: [.readonly], keys: (1, 1, 1), handler: bitcount),
        CommandSpec("bitpos", arity: -3, flags: [.readonly], keys: (1, 1, 1), handler: bitpos),
        CommandSpec("bitop", arity: -4, flags: [.write, .denyOOM], keys: (2, -1, 1), handler: bitop),
        CommandSpec(
            "bitfield", arity: -2, flags: [.write, .denyOOM], keys: (1, 1, 1), keyFlagsOfCall: bitfieldKeyFlags,
            handler: bitfield),
        CommandSpec("bitfield_ro", arity: -2, flags: [.readonly, .fast], keys: (1, 1, 1), handler: bitfieldRO),
    ]

    /// Redis's `setGetKeys`: SET reads the value it replaces only with GET, and otherwise
    /// overwrites the key (its key spec says `variable_flags`).
    static func setKeyFlags(_ args: Arguments) -> KeySpec.Flags {
        for index in 3..<max(args.count, 3) where args[index].equalsCaseInsensitive("get") {
            return [.rw, .access, .update]
        }
        return [.ow, .update]
    }
}
