import RESP

/// The one list of commands the server knows, with case-insensitive lookup by the bytes of the
/// command name (no String created per request). Immutable after construction and shared by all
/// shards; per-shard counters live in `CommandStatistics`, indexed by `Command.id`.
public final class CommandTable: Sendable {
    /// A command or subcommand as dispatched: its spec, full name ("config|get"), dense id and
    /// Redis's documentation of it.
    public struct Command: Sendable {
        public let spec: CommandSpec
        public let fullName: String
        public let id: Int
        public let docs: CommandDocumentation
        /// For containers: the subcommands' ids by lowercase name.
        let subcommandIDs: [String: Int]
    }

    public let commands: [Command]
    /// What dispatch needs per command id, without copying a `CommandSpec` (whose strings and
    /// arrays would cost reference counting on every request).
    public let dispatch: ContiguousArray<DispatchEntry>
    /// Top-level commands in table order (COMMAND, COMMAND COUNT).
    public let topLevel: [Int]
    private let slots: [Int32]  // open addressing over top-level names; -1 empty
    private let names: [[UInt8]]  // lowercase name bytes by command id
    private let mask: Int

    public init(_ specs: [CommandSpec]) {
        var commands: [Command] = []
        var topLevel: [Int] = []
        for spec in specs {
            var subIDs: [String: Int] = [:]
            let parentID = commands.count
            commands.append(Command(spec: spec, fullName: spec.name, id: parentID, docs: Self.docs(spec.name), subcommandIDs: [:]))
            for sub in spec.subcommands {
                subIDs[sub.name] = commands.count
                let fullName = "\(spec.name)|\(sub.name)"
                commands.append(Command(spec: sub, fullName: fullName, id: commands.count, docs: Self.docs(fullName), subcommandIDs: [:]))
            }
            commands[parentID] = Command(spec: spec, fullName: spec.name, id: parentID, docs: commands[parentID].docs, subcommandIDs: subIDs)
            topLevel.append(parentID)
        }
        var size = 16
        while size < topLevel.count * 4 { size *= 2 }
        var slots = [Int32](repeating: -1, count: size)
        for id in topLevel {
            let name = Array(commands[id].spec.name.utf8)
            precondition(name.allSatisfy { !($0 >= 65 && $0 <= 90) }, "command names are lowercase: \(commands[id].spec.name)")
            var slot = Self.hash(name.withUnsafeBytes { ByteView(base: $0.baseAddress!, count: $0.count) }) & (size - 1)
            while slots[slot] >= 0 {
                precondition(commands[Int(slots[slot])].spec.name != commands[id].spec.name, "duplicate command \(commands[id].spec.name)")
                slot = (slot + 1) & (size - 1)
            }
            slots[slot] = Int32(id)
        }
        self.commands = commands
        self.dispatch = ContiguousArray(commands.map { DispatchEntry(
            arity: $0.spec.arity, isContainer: $0.spec.isContainer,
            resolvesApart: $0.spec.isContainer || $0.spec.flags.contains(.protected), handler: $0.spec.handler) })
        self.topLevel = topLevel
        self.slots = slots
        self.names = commands.map { Array($0.spec.name.utf8) }
        self.mask = size - 1
    }

    /// A command without generated documentation still runs (so that the generator, which asks
    /// the built server for its commands, can describe a new one); `CommandDocumentationTests`
    /// fails until it is documented.
    private static func docs(_ fullName: String) -> CommandDocumentation {
        CommandDocumentation.named(fullName) ?? CommandDocumentation(summary: "", since: "", group: "", aclCategories: [])
    }

    /// FNV-1a over ASCII-lowercased bytes.
    @inline(__always)
    static func hash(_ name: ByteView) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in 0..<name.count {
            var byte = name.base.load(fromByteOffset: i, as: UInt8.self)
            if byte >= 65 && byte <= 90 { byte |= 0x20 }
            h = (h ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: h)
    }

    /// The id of the top-level command named `name` (any case).
    public func lookupID(_ name: ByteView) -> Int? {
        var slot = Self.hash(name) & mask
        while true {
            let id = slots[slot]
            if id < 0 { return nil }
            if Self.equalsLowercase(name, names[Int(id)]) { return Int(id) }
            slot = (slot + 1) & mask
        }
    }

    /// What a request names, after Redis's generic checks (name, subcommand, arity).
    public enum Resolution {
        case command(Int)
        /// A command flagged `protected` (DEBUG), its arity checked: it runs only if its
        /// `enable-…-command` directive allows the client, which Redis checks next
        /// (`CommandExecutor.allowsProtected`). Apart from `command` so that the check costs
        /// the other commands nothing: the executor's fast path takes `command` only.
        case protected(Int)
        case unknownCommand
        case unknownSubcommand(container: Int)
        case wrongArity(Int)
    }

    /// Resolves the request in `args` to a command or subcommand id, or says which generic
    /// check failed.
    public func resolve(_ args: Arguments) -> Resolution {
        guard let id = lookupID(args[0]) else { return .unknownCommand }
        if dispatch[id].resolvesApart { return resolveApart(id, args) }
        let arity = dispatch[id].arity
        if (arity > 0 && arity != args.count) || args.count < -arity { return .wrongArity(id) }
        return .command(id)
    }

    /// `resolve` for a container (its subcommand) or a protected command, out of line: the
    /// common command pays one flag test for both.
    @inline(never)
    private func resolveApart(_ container: Int, _ args: Arguments) -> Resolution {
        var id = container
        if dispatch[id].isContainer && args.count >= 2 {
            guard let sub = subcommand(of: commands[id], named: args[1]) else { return .unknownSubcommand(container: id) }
            id = sub.id
        }
        let arity = dispatch[id].arity
        if (arity > 0 && arity != args.count) || args.count < -arity { return .wrongArity(id) }
        return commands[id].spec.flags.contains(.protected) ? .protected(id) : .command(id)
    }

    /// The top-level command named `name` (any case).
    public func lookup(_ name: ByteView) -> Command? {
        lookupID(name).map { commands[$0] }
    }

    /// Per-command facts the executor reads on every request.
    public struct DispatchEntry: Sendable {
        public let arity: Int
        public let isContainer: Bool
        /// A container or a protected command: `resolve` takes it out of line.
        public let resolvesApart: Bool
        public let handler: CommandHandler
    }

    /// The subcommand of `container` named `name` (any case).
    public func subcommand(of container: Command, named name: ByteView) -> Command? {
        let lowered = String(decoding: name.bytes.map { ($0 >= 65 && $0 <= 90) ? $0 | 0x20 : $0 }, as: UTF8.self)
        guard let id = container.subcommandIDs[lowered] else { return nil }
        return commands[id]
    }

    /// Looks a command up by its lowercase name or full name ("config|get"), for COMMAND INFO.
    public func command(named fullName: String) -> Command? {
        let lowered = fullName.lowercased()
        return commands.first { $0.fullName == lowered }
    }

    private static func equalsLowercase(_ view: ByteView, _ name: [UInt8]) -> Bool {
        name.withUnsafeBufferPointer { lowercase in
            guard lowercase.count == view.count else { return false }
            for i in 0..<lowercase.count {
                var byte = view.base.load(fromByteOffset: i, as: UInt8.self)
                if byte >= 65 && byte <= 90 { byte |= 0x20 }
                if byte != lowercase[i] { return false }
            }
            return true
        }
    }
}
