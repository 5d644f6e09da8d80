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
    /// Redis's `CMD_PROTECTED` (DEBUG): refused unless its `enable-…-command` directive allows
    /// the client (`CommandExecutor.allowsProtected`). COMMAND INFO does not show it, as Redis
    /// hides it on purpose, so it has no entry in `names`.
    public static let protected = CommandFlags(rawValue: 1 << 17)

    /// The names COMMAND INFO prints, in Redis's order.
    public static let names: [(CommandFlags, String)] = [
        (.write, "write"), (.readonly, "readonly"), (.denyOOM, "denyoom"), (.admin, "admin"),
        (.pubsub, "pubsub"), (.noScript, "noscript"), (.blocking, "blocking"), (.loading, "loading"),
        (.stale, "stale"), (.skipMonitor, "skip_monitor"), (.skipSlowlog, "skip_slowlog"),
        (.fast, "fast"), (.noAuth, "no_auth"), (.mayReplicate, "may_replicate"),
        (.noMandatoryKeys, "no_mandatory_keys"), (.noMulti, "no_multi"), (.allowBusy, "allow_busy"),
    ]
}

/// What dispatch needs to know about one command: the single source for argument-count checks,
/// key positions (shard routing later) and the handler. Its documentation — COMMAND DOCS, ACL
/// categories, tips, key specs — is Redis's, in `CommandDocumentation`, attached by name when
/// the `CommandTable` is built.
///
/// `arity` follows Redis: positive means exactly that many arguments (name included),
/// negative means at least its magnitude. `firstKey`/`lastKey`/`step` locate the keys
/// (lastKey -1 means "through the last argument"); 0/0/0 for commands without keys.
public struct CommandSpec: Sendable {
    public let name: String
    public let arity: Int
    public let flags: CommandFlags
    public let firstKey: Int
    public let lastKey: Int
    public let step: Int
    /// For key specs flagged `variable_flags`: the key flags of one call (Redis's getkeys
    /// procedure, e.g. SET reads its key only with GET), for COMMAND GETKEYSANDFLAGS.
    public let keyFlagsOfCall: (@Sendable (Arguments) -> KeySpec.Flags)?
    public let subcommands: [CommandSpec]
    public let handler: CommandHandler

    public init(
        _ name: String, arity: Int, flags: CommandFlags, keys: (Int, Int, Int) = (0, 0, 0),
        keyFlagsOfCall: (@Sendable (Arguments) -> KeySpec.Flags)? = nil, subcommands: [CommandSpec] = [],
        handler: @escaping CommandHandler
    ) {
        self.name = name
        self.arity = arity
        self.flags = flags
        (firstKey, lastKey, step) = keys
        self.keyFlagsOfCall = keyFlagsOfCall
        self.subcommands = subcommands
        self.handler = handler
    }

    /// A container command (CONFIG, CLIENT…) dispatches on its first argument.
    public var isContainer: Bool { !subcommands.isEmpty }
}
