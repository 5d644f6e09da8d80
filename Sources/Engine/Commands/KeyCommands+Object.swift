import RESP

/// OBJECT ENCODING|FREQ|IDLETIME|REFCOUNT|HELP: how a key's value is held. Every subcommand
/// looks the key up as a counted read that leaves the access time alone, and answers null for
/// a missing key.
extension KeyCommands {
    static let objectSpec = CommandSpec(
        "object", arity: -2, flags: [], group: "generic", since: "2.2.3",
        summary: "A container for commands that inspect how values are stored.",
        complexity: "Depends on subcommand.",
        subcommands: [
            CommandSpec(
                "encoding", arity: 3, flags: [.readonly], keys: (2, 2, 1), group: "generic", since: "2.2.3",
                summary: "Returns the internal encoding of the value stored at a key.", syntax: "key",
                handler: objectEncoding),
            CommandSpec(
                "freq", arity: 3, flags: [.readonly], keys: (2, 2, 1), group: "generic", since: "4.0.0",
                summary: "Returns the logarithmic access-frequency counter of a key (LFU eviction only).",
                syntax: "key", handler: objectFreq),
            CommandSpec(
                "idletime", arity: 3, flags: [.readonly], keys: (2, 2, 1), group: "generic", since: "2.2.3",
                summary: "Returns the seconds since a key was last read or written.", syntax: "key",
                handler: objectIdletime),
            CommandSpec(
                "refcount", arity: 3, flags: [.readonly], keys: (2, 2, 1), group: "generic", since: "2.2.3",
                summary: "Returns how many references the value stored at a key has.", syntax: "key",
                handler: objectRefcount),
            CommandSpec(
                "help", arity: 2, flags: [.loading, .stale], group: "generic", since: "6.2.0",
                summary: "Describes the OBJECT subcommands.", handler: objectHelp),
        ],
        // Never reached: the executor hands every OBJECT call to a subcommand (or answers
        // "unknown subcommand"), and arity -2 refuses OBJECT alone.
        handler: objectHelp)

    /// Redis's `OBJ_SHARED_REFCOUNT`: the reference count of a shared object.
    static let sharedReferenceCount: Int64 = 2_147_483_647

    static func objectEncoding(_ c: CommandContext) {
        guard let record = lookupForRead(c, c.args[2], touch: false) else { return c.reply.null() }
        c.reply.bulk(record.encoding.name)
    }

    /// Redis tracks access frequency only under an LFU `maxmemory-policy`, which this engine
    /// does not have: an existing key gets Redis's refusal.
    static func objectFreq(_ c: CommandContext) {
        guard lookupForRead(c, c.args[2], touch: false) != nil else { return c.reply.null() }
        c.reply.error(
            "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
        )
    }

    static func objectIdletime(_ c: CommandContext) {
        guard let record = lookupForRead(c, c.args[2], touch: false) else { return c.reply.null() }
        c.reply.integer(record.idleSeconds(now: c.now))
    }

    /// Redis stores the integers 0…9999 written whole (SET, INCR…) as shared objects whose
    /// count reads 2147483647; every other value, a COPY's duplicate of a small integer
    /// included, has its own object, counted once.
    static func objectRefcount(_ c: CommandContext) {
        guard let record = lookupForRead(c, c.args[2], touch: false) else { return c.reply.null() }
        c.reply.integer(record.isSharedInteger ? sharedReferenceCount : 1)
    }

    static func objectHelp(_ c: CommandContext) {
        let lines: [StaticString] = [
            "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.",
            "HELP",
            "    Prints this help.",
        ]
        c.reply.arrayHeader(lines.count)
        for line in lines { c.reply.simple(line) }
    }
}
