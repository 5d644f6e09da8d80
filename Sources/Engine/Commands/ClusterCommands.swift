import RESP

/// CLUSTER KEYSLOT|HELP: the part of the Redis Cluster command that a sharded server answers
/// on its own — which hash slot a key maps to (the slot that decides its shard). The cluster
/// bus, nodes and slot migration come with the Cluster protocol; their subcommands get Redis's
/// "unknown subcommand" answer until then.
public enum ClusterCommands {
    public static let specs: [CommandSpec] = [
        CommandSpec(
            "cluster", arity: -2, flags: [], group: "cluster", since: "3.0.0",
            summary: "A container for cluster commands", complexity: "Depends on subcommand.",
            subcommands: [
                CommandSpec(
                    "keyslot", arity: 3, flags: [.stale], group: "cluster", since: "3.0.0",
                    summary: "Returns the hash slot of the specified key",
                    complexity: "O(N) where N is the number of bytes in the key", syntax: "key", handler: keyslot),
                CommandSpec(
                    "help", arity: 2, flags: [.loading, .stale], group: "cluster", since: "5.0.0",
                    summary: "Show helpful text about the different subcommands", handler: help),
            ],
            // Never reached: the executor dispatches CLUSTER to a subcommand.
            handler: help),
    ]

    static func keyslot(_ c: CommandContext) {
        c.reply.integer(HashSlot.of(c.args[2]))
    }

    static func help(_ c: CommandContext) {
        let lines: [StaticString] = [
            "CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "KEYSLOT <key>",
            "    Return the hash slot for <key>.",
            "HELP",
            "    Prints this help.",
        ]
        c.reply.arrayHeader(lines.count)
        for line in lines { c.reply.simple(line) }
    }
}
