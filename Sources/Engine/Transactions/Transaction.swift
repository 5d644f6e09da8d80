/// What a client queued between MULTI and EXEC (Redis's `multiState`): the commands, resolved
/// and copied out of the query buffer, and whether a command was refused while queueing, which
/// makes EXEC discard them all (EXECABORT).
///
/// A class so that the check every command makes, "is this client in MULTI?", is a pointer
/// test rather than a copy of the queue.
public final class Transaction {
    public struct QueuedCommand {
        public let id: Int
        public let arguments: StoredArguments
    }

    public private(set) var commands: [QueuedCommand] = []
    /// CLIENT LIST's `multi-mem`, counted as Redis counts it: the queued arguments' bytes plus
    /// a pointer per argument.
    public private(set) var memory = 0
    /// A queued command was refused (unknown, wrong arity, not allowed in a transaction).
    public internal(set) var isDoomed = false

    public init() {}

    func append(_ id: Int, _ args: Arguments) {
        commands.append(QueuedCommand(id: id, arguments: StoredArguments(args)))
        memory += MemoryLayout<UnsafeRawPointer>.size * args.count
        for index in 0..<args.count { memory += args[index].count }
    }
}

/// A key a client WATCHes: its database index and bytes (the shard follows from the key).
public struct WatchedKey {
    public let database: Int
    public let key: [UInt8]
}
