/// What COMMAND DOCS and the documentary part of COMMAND INFO say about one command: Redis's
/// summary, history and argument tree (redis-cli builds its interactive hints from these), its
/// ACL categories, tips for cluster clients and key specs (which arguments are keys and how
/// each is accessed).
///
/// Why a separate, generated table: clients compare these replies with Redis's text for text,
/// and Redis itself generates them from its JSON command files; `redis70` is generated from a
/// real redis-server 7.0 by `scripts/generate_command_docs.py`. The facts dispatch needs
/// (arity, flags, first/last/step) stay in the hand-written `CommandSpec`.
public struct CommandDocumentation: Sendable {
    public let summary: String
    public let since: String
    public let group: String
    public let complexity: String?
    /// "deprecated", "syscmd".
    public let docFlags: [String]
    public let deprecatedSince: String?
    public let replacedBy: String?
    /// (version, what changed), oldest first.
    public let history: [(String, String)]
    public let aclCategories: [String]
    public let tips: [String]
    public let keySpecs: [KeySpec]
    public let arguments: [CommandArgumentDoc]

    init(
        summary: String, since: String, group: String, complexity: String? = nil, docFlags: [String] = [],
        deprecatedSince: String? = nil, replacedBy: String? = nil, history: [(String, String)] = [],
        aclCategories: [String], tips: [String] = [], keySpecs: [KeySpec] = [], arguments: [CommandArgumentDoc] = []
    ) {
        self.summary = summary
        self.since = since
        self.group = group
        self.complexity = complexity
        self.docFlags = docFlags
        self.deprecatedSince = deprecatedSince
        self.replacedBy = replacedBy
        self.history = history
        self.aclCategories = aclCategories
        self.tips = tips
        self.keySpecs = keySpecs
        self.arguments = arguments
    }

    /// The documentation of the command with this full name ("get", "config|get").
    public static func named(_ fullName: String) -> CommandDocumentation? { redis70[fullName] }
}

/// One node of a command's argument tree, as COMMAND DOCS lists it.
public struct CommandArgumentDoc: Sendable {
    public enum Kind: String, Sendable {
        case string, integer, double, key, pattern, unixTime = "unix-time", pureToken = "pure-token",
            oneOf = "oneof", block
    }

    /// Redis's argument flags, printed in this order.
    public struct Flags: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let optional = Flags(rawValue: 1 << 0)
        public static let multiple = Flags(rawValue: 1 << 1)
        public static let multipleToken = Flags(rawValue: 1 << 2)
        public static let names: [(Flags, String)] = [
            (.optional, "optional"), (.multiple, "multiple"), (.multipleToken, "multiple_token"),
        ]
    }

    public let name: String
    public let kind: Kind
    public let keySpecIndex: Int?
    public let token: String?
    public let summary: String?
    public let since: String?
    public let deprecatedSince: String?
    public let flags: Flags
    /// The alternatives of a oneof, the parts of a block; empty otherwise.
    public let arguments: [CommandArgumentDoc]

    init(
        _ name: String, _ kind: Kind, keySpecIndex: Int? = nil, token: String? = nil, summary: String? = nil,
        since: String? = nil, deprecatedSince: String? = nil, flags: Flags = [], arguments: [CommandArgumentDoc] = []
    ) {
        self.name = name
        self.kind = kind
        self.keySpecIndex = keySpecIndex
        self.token = token
        self.summary = summary
        self.since = since
        self.deprecatedSince = deprecatedSince
        self.flags = flags
        self.arguments = arguments
    }
}

/// Where a command's keys are and how it uses them (Redis 7 key specs): a search for the first
/// key, then a rule for the rest.
public struct KeySpec: Sendable {
    /// Redis's key-spec flags, in the order COMMAND INFO prints them.
    public struct Flags: OptionSet, Sendable {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        public static let ro = Flags(rawValue: 1 << 0)
        public static let rw = Flags(rawValue: 1 << 1)
        public static let ow = Flags(rawValue: 1 << 2)
        public static let rm = Flags(rawValue: 1 << 3)
        public static let access = Flags(rawValue: 1 << 4)
        public static let update = Flags(rawValue: 1 << 5)
        public static let insert = Flags(rawValue: 1 << 6)
        public static let delete = Flags(rawValue: 1 << 7)
        public static let notKey = Flags(rawValue: 1 << 8)
        public static let incomplete = Flags(rawValue: 1 << 9)
        public static let variableFlags = Flags(rawValue: 1 << 10)
        public static let names: [(Flags, String)] = [
            (.ro, "RO"), (.rw, "RW"), (.ow, "OW"), (.rm, "RM"), (.access, "access"), (.update, "update"),
            (.insert, "insert"), (.delete, "delete"), (.notKey, "not_key"), (.incomplete, "incomplete"),
            (.variableFlags, "variable_flags"),
        ]
    }

    public let notes: String?
    public let flags: Flags
    /// The first key's argument index (Redis's `begin_search` of type `index`; Ferrite has no
    /// command that searches for a keyword).
    public let beginIndex: Int
    /// Keys run to `lastKey` past the first (negative: counted from the end), every `step`; a
    /// `limit` above 1 with lastKey -1 takes that fraction of the remaining arguments (Redis's
    /// `find_keys` of type `range`).
    public let lastKey: Int
    public let step: Int
    public let limit: Int

    init(notes: String? = nil, flags: Flags, beginIndex: Int, lastKey: Int, step: Int, limit: Int) {
        self.notes = notes
        self.flags = flags
        self.beginIndex = beginIndex
        self.lastKey = lastKey
        self.step = step
        self.limit = limit
    }

    /// The argument indexes of this spec's keys in a call of `argumentCount` arguments (the
    /// command name included), as Redis's `getKeysUsingKeySpecs` finds them; nil when the call
    /// is too short for the spec (Redis's "invalid spec").
    public func keyPositions(argumentCount argc: Int) -> [Int]? {
        let first = beginIndex
        let last: Int
        if lastKey >= 0 {
            last = first + lastKey
        } else if limit == 0 {
            last = argc + lastKey
        } else {
            last = first + ((argc - first) / limit + lastKey)
        }
        if last >= argc || last < first || first >= argc { return nil }
        return Array(stride(from: first, through: last, by: step))
    }
}
