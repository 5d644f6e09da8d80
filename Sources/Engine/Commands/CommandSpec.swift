/// Runs one command: checks its own arguments, does the work, writes exactly one reply.
public typealias CommandHandler = @Sendable (CommandContext) -> Void

/// Redis's command flags, as COMMAND INFO lists them.
public struct CommandFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let write = CommandFlags(rawValue: 1 << 0)
    public static let readonly = CommandFlags(rawValue: 1 << 1)
    public static let denyOOM = CommandFlags(rawValue: 1 << 2)
    public static let admin = CommandFlags(rawValue: 1 << 3)
    public static let pubsub = CommandFlags(rawValue: 1 << 4)
    public static let noScript = CommandFlags(rawValue: 1 << 5)
    public static let blocking = CommandFlags(rawValue: 1 << 6)
    public static let loading = CommandFlags(rawValue: 1 << 7)
    public static let stale = CommandFlags(rawValue: 1 << 8)
    public static let skipMonitor = CommandFlags(rawValue: 1 << 9)
    public static let skipSlowlog = CommandFlags(rawValue: 1 << 10)
    public static let fast = CommandFlags(rawValue: 1 << 11)
    public static let noAuth = CommandFlags(rawValue: 1 << 12)
    public static let mayReplicate = CommandFlags(rawValue: 1 << 13)
    public static let noMulti = CommandFlags(rawValue: 1 << 14)
    public static let allowBusy = CommandFlags(rawValue: 1 << 15)
    public static let noMandatoryKeys = CommandFlags(rawValue: 1 << 16)

    /// The names COMMAND INFO prints, in Redis's order.
    public static let names: [(CommandFlags, String)] = [
        (.write, "write"), (.readonly, "readonly"), (.denyOOM, "denyoom"), (.admin, "admin"),
        (.pubsub, "pubsub"), (.noScript, "noscript"), (.blocking, "blocking"), (.loading, "loading"),
        (.stale, "stale"), (.skipMonitor, "skip_monitor"), (.skipSlowlog, "skip_slowlog"),
        (.fast, "fast"), (.noAuth, "no_auth"), (.mayReplicate, "may_replicate"),
        (.noMandatoryKeys, "no_mandatory_keys"), (.noMulti, "no_multi"), (.allowBusy, "allow_busy"),
    ]
}

/// Everything the server knows about one command: the single source for argument-count
/// checks, key extraction (shard routing later), COMMAND INFO/DOCS and INFO commandstats.
///
/// `arity` follows Redis: positive means exactly that many arguments (name included),
/// negative means at least its magnitude. `firstKey`/`lastKey`/`step` locate the keys
/// (lastKey -1 means "through the last argument"); 0/0/0 for commands without keys.
/// `syntax` is the argument grammar in Redis's documentation notation (the part after the
/// command name, e.g. `key value [NX | XX]`); COMMAND DOCS and redis-cli's hints derive from it.
public struct CommandSpec: Sendable {
    public let name: String
    public let arity: Int
    public let flags: CommandFlags
    public let firstKey: Int
    public let lastKey: Int
    public let step: Int
    /// Redis's command group ("string", "generic", "connection", "server", "keyspace"…).
    public let group: String
    public let since: String
    public let summary: String
    public let complexity: String
    public let syntax: String
    /// ACL categories beyond those derived from group and flags (e.g. "dangerous").
    public let extraCategories: [String]
    public let subcommands: [CommandSpec]
    public let handler: CommandHandler

    public init(
        _ name: String, arity: Int, flags: CommandFlags, keys: (Int, Int, Int) = (0, 0, 0),
        group: String, since: String, summary: String, complexity: String = "O(1)",
        syntax: String = "", extraCategories: [String] = [], subcommands: [CommandSpec] = [],
        handler: @escaping CommandHandler
    ) {
        self.name = name
        self.arity = arity
        self.flags = flags
        (firstKey, lastKey, step) = keys
        self.group = group
        self.since = since
        self.summary = summary
        self.complexity = complexity
        self.syntax = syntax
        self.extraCategories = extraCategories
        self.subcommands = subcommands
        self.handler = handler
    }

    /// A container command (CONFIG, CLIENT…) dispatches on its first argument.
    public var isContainer: Bool { !subcommands.isEmpty }
}
