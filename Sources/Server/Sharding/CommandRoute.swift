import Engine

/// Where a command runs on a sharded server, decided once per command id when the server
/// starts.
enum CommandRoute: Sendable {
    /// On the client's own shard: the command touches no keys (PING, SELECT, CLIENT SETNAME…).
    case clientShard
    /// With every shard held: it reads or changes all of them (DBSIZE, SCAN, FLUSHALL, INFO,
    /// CONFIG SET, CLIENT LIST…).
    case everyShard
    /// On the shard owning its one key, at argument `position` (GET, SET, INCR…): the common
    /// case, apart so that routing it walks no key positions.
    case key(at: Int)
    /// On the shards owning its keys, at argument positions `first`, `first + step`, … up to
    /// `last` (negative: counted from the end), as Redis's legacy key specs give them.
    case keys(first: Int, last: Int, step: Int)
    /// On the shards owning the keys the client WATCHes and, for EXEC, the keys of the commands
    /// it queued (EXEC DISCARD UNWATCH).
    case transactionKeys

    /// Commands, by full name, that see or change all shards' data or connections.
    static let everyShardCommands: Set<String> = [
        "dbsize", "keys", "scan", "randomkey", "flushdb", "flushall", "swapdb",
        "info", "config|set", "config|resetstat", "config|rewrite", "client|list", "client|kill", "client|pause", "client|unpause", "shutdown", "monitor",
        "slowlog|get", "slowlog|len", "slowlog|reset",
        "latency|latest", "latency|history", "latency|reset", "latency|graph", "latency|doctor", "latency|histogram",
        "memory|stats", "memory|doctor", "memory|malloc-stats", "memory|purge",
        // Redis gives DEBUG no keys: OBJECT finds its key on its owner, SET-ACTIVE-EXPIRE
        // reaches every shard, SLEEP stops them all as it stops Redis.
        "debug",
    ]

    /// Commands that end a transaction or a WATCH (RESET does both).
    static let transactionKeyCommands: Set<String> = ["exec", "discard", "unwatch", "reset"]

    /// The route of every command in `table`, indexed by command id.
    static func table(for table: CommandTable) -> [CommandRoute] {
        table.commands.map { command in
            if everyShardCommands.contains(command.fullName) { return .everyShard }
            if transactionKeyCommands.contains(command.fullName) { return .transactionKeys }
            let spec = command.spec
            guard spec.firstKey > 0 && spec.step > 0 else { return .clientShard }
            if spec.lastKey == spec.firstKey { return .key(at: spec.firstKey) }
            return .keys(first: spec.firstKey, last: spec.lastKey, step: spec.step)
        }
    }
}
