import Engine
import RESP

/// COMMAND and its subcommands: what the server can do, read from the one command table, in
/// the shapes Redis 7.0 returns (client libraries and redis-cli's hints depend on them).
enum CommandCommand {
    static var spec: CommandSpec {
        let flags: CommandFlags = [.loading, .stale]
        func sub(_ name: String, _ arity: Int, _ summary: String, _ complexity: String, syntax: String = "",
                 _ handler: @escaping CommandHandler) -> CommandSpec {
            CommandSpec(name, arity: arity, flags: flags, group: "server", since: "2.8.13", summary: summary,
                        complexity: complexity, syntax: syntax, extraCategories: ["connection"], handler: handler)
        }
        return CommandSpec(
            "command", arity: -1, flags: flags, group: "server", since: "2.8.13",
            summary: "Returns detailed information about all commands.",
            complexity: "O(N) where N is the total number of Redis commands", extraCategories: ["connection"],
            subcommands: [
                sub("count", 2, "Returns a count of commands.", "O(1)", count),
                sub("info", -2, "Returns information about one, multiple or all commands.",
                    "O(N) where N is the number of commands to look up", syntax: "[command-name [command-name ...]]", info),
                sub("docs", -2, "Returns documentary information about one, multiple or all commands.",
                    "O(N) where N is the number of commands to look up", syntax: "[command-name [command-name ...]]", docs),
                sub("list", -2, "Returns a list of command names.",
                    "O(N) where N is the total number of Redis commands",
                    syntax: "[FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern]", list),
                sub("getkeys", -4, "Extracts the key names from an arbitrary command.",
                    "O(N) where N is the number of arguments to the command", syntax: "command [arg [arg ...]]", getkeys),
                sub("getkeysandflags", -4, "Extracts the key names and access flags for an arbitrary command.",
                    "O(N) where N is the number of arguments to the command", syntax: "command [arg [arg ...]]", getkeysAndFlags),
                sub("help", 2, "Returns helpful text about the different subcommands.", "O(1)", help),
            ],
            handler: all)
    }

    static func table(_ c: CommandContext) -> CommandTable { ServerCommands.shard(c).executor.table }

    /// Bare COMMAND: the info entry of every command.
    static func all(_ c: CommandContext) {
        let table = table(c)
        c.reply.arrayHeader(table.topLevel.count)
        for id in table.topLevel { writeInfo(table.commands[id], table: table, c.reply) }
    }

    static func count(_ c: CommandContext) { c.reply.integer(table(c).topLevel.count) }

    static func info(_ c: CommandContext) {
        let table = table(c)
        guard c.args.count > 2 else { return all(c) }
        c.reply.arrayHeader(c.args.count - 2)
        for index in 2..<c.args.count {
            if let command = table.command(named: c.args[index].string) {
                writeInfo(command, table: table, c.reply)
            } else {
                c.reply.null()
            }
        }
    }

    /// One COMMAND INFO entry: name, arity, flags, first/last/step, ACL categories, tips,
    /// key specs, subcommands.
    static func writeInfo(_ command: CommandTable.Command, table: CommandTable, _ reply: ReplyWriter) {
        let spec = command.spec
        reply.arrayHeader(10)
        reply.bulk(command.fullName)
        reply.integer(spec.arity)
        let flags = CommandFlags.names.filter { spec.flags.contains($0.0) }
        reply.setHeader(flags.count)
        for (_, name) in flags { reply.simple(name) }
        reply.integer(spec.firstKey)
        reply.integer(spec.lastKey)
        reply.integer(spec.step)
        let categories = aclCategories(spec)
        reply.setHeader(categories.count)
        for category in categories { reply.simple("@" + category) }
        reply.setHeader(0)  // tips
        writeKeySpecs(spec, reply)
        let subcommands = spec.subcommands.compactMap { table.command(named: "\(spec.name)|\($0.name)") }
        reply.arrayHeader(subcommands.count)
        for sub in subcommands { writeInfo(sub, table: table, reply) }
    }

    /// Redis's ACL categories in Redis's order: those implied by the flags (write, read, admin
    /// + dangerous, fast or slow, blocking), the group's own, and any the spec adds.
    static func aclCategories(_ spec: CommandSpec) -> [String] {
        let order = ["keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap",
                     "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking", "dangerous",
                     "connection", "transaction", "scripting"]
        var categories = Set(spec.extraCategories)
        if spec.flags.contains(.write) { categories.insert("write") }
        if spec.flags.contains(.readonly) { categories.insert("read") }
        if spec.flags.contains(.admin) { categories.formUnion(["admin", "dangerous"]) }
        if spec.flags.contains(.pubsub) { categories.insert("pubsub") }
        if spec.flags.contains(.blocking) { categories.insert("blocking") }
        categories.insert(spec.flags.contains(.fast) ? "fast" : "slow")
        if spec.isContainer { return order.filter { categories.contains($0) } }  // Redis: @slow only
        switch spec.group {
        case "string": categories.insert("string")
        case "generic": categories.insert("keyspace")
        case "connection": categories.insert("connection")
        default: break
        }
        return order.filter { categories.contains($0) }
    }

    /// Key specs derived from first/last/step: a begin-search index and a find-keys range.
    static func writeKeySpecs(_ spec: CommandSpec, _ reply: ReplyWriter) {
        guard spec.firstKey > 0 else { return reply.arrayHeader(0) }
        reply.arrayHeader(1)
        reply.mapHeader(3)
        reply.bulk("flags")
        let access: [String] = spec.flags.contains(.write) ? ["RW", "update"] : ["RO", "access"]
        reply.setHeader(access.count)
        for flag in access { reply.simple(flag) }
        reply.bulk("begin_search")
        reply.mapHeader(2)
        reply.bulk("type"); reply.bulk("index")
        reply.bulk("spec"); reply.mapHeader(1); reply.bulk("index"); reply.integer(spec.firstKey)
        reply.bulk("find_keys")
        reply.mapHeader(2)
        reply.bulk("type"); reply.bulk("range")
        reply.bulk("spec")
        reply.mapHeader(3)
        reply.bulk("lastkey"); reply.integer(spec.lastKey < 0 ? spec.lastKey : spec.lastKey - spec.firstKey)
        reply.bulk("keystep"); reply.integer(spec.step)
        reply.bulk("limit"); reply.integer(0)
    }

    static func docs(_ c: CommandContext) {
        let table = table(c)
        var commands: [CommandTable.Command] = []
        if c.args.count == 2 {
            commands = table.topLevel.map { table.commands[$0] }
        } else {
            for index in 2..<c.args.count {
                if let command = table.command(named: c.args[index].string) { commands.append(command) }
            }
        }
        c.reply.mapHeader(commands.count)
        for command in commands {
            c.reply.bulk(command.fullName)
            writeDocs(command.spec, parent: command.fullName, table: table, c.reply)
        }
    }

    static func writeDocs(_ spec: CommandSpec, parent: String, table: CommandTable, _ reply: ReplyWriter) {
        let arguments = CommandSyntax.parse(spec.syntax)
        var fields = 4
        if !arguments.isEmpty { fields += 1 }
        if !spec.subcommands.isEmpty { fields += 1 }
        reply.mapHeader(fields)
        reply.bulk("summary"); reply.bulk(spec.summary)
        reply.bulk("since"); reply.bulk(spec.since)
        reply.bulk("group"); reply.bulk(spec.group)
        reply.bulk("complexity"); reply.bulk(spec.complexity)
        if !arguments.isEmpty {
            reply.bulk("arguments")
            var keyIndex = 0
            writeArguments(arguments, keyIndex: &keyIndex, reply)
        }
        if !spec.subcommands.isEmpty {
            reply.bulk("subcommands")
            reply.mapHeader(spec.subcommands.count)
            for sub in spec.subcommands {
                reply.bulk("\(parent)|\(sub.name)")
                writeDocs(sub, parent: "\(parent)|\(sub.name)", table: table, reply)
            }
        }
    }

    static func writeArguments(_ arguments: [CommandArgument], keyIndex: inout Int, _ reply: ReplyWriter) {
        reply.arrayHeader(arguments.count)
        for argument in arguments {
            var flags: [String] = []
            if argument.optional { flags.append("optional") }
            if argument.multiple { flags.append("multiple") }
            var fields = 2
            if argument.kind == .key { fields += 1 }
            if argument.token != nil { fields += 1 }
            if !flags.isEmpty { fields += 1 }
            if !argument.arguments.isEmpty { fields += 1 }
            reply.mapHeader(fields)
            reply.bulk("name"); reply.bulk(argument.name)
            reply.bulk("type"); reply.bulk(argument.kind.rawValue)
            if argument.kind == .key {
                reply.bulk("key_spec_index"); reply.integer(0)
                keyIndex += 1
            }
            if let token = argument.token { reply.bulk("token"); reply.bulk(token) }
            if !flags.isEmpty {
                reply.bulk("flags")
                reply.setHeader(flags.count)
                for flag in flags { reply.simple(flag) }
            }
            if !argument.arguments.isEmpty {
                reply.bulk("arguments")
                writeArguments(argument.arguments, keyIndex: &keyIndex, reply)
            }
        }
    }

    static func list(_ c: CommandContext) {
        let table = table(c)
        var names = table.topLevel.map { table.commands[$0].spec.name }
        if c.args.count > 2 {
            guard c.args.count == 5, c.args[2].equalsCaseInsensitive("filterby") else {
                return c.reply.error(CommandError.syntax)
            }
            let filter = c.args[3]
            let value = c.args[4]
            if filter.equalsCaseInsensitive("module") {
                names = []
            } else if filter.equalsCaseInsensitive("aclcat") {
                let category = value.string.lowercased()
                names = table.topLevel.map { table.commands[$0].spec }.filter { aclCategories($0).contains(category) }.map(\.name)
            } else if filter.equalsCaseInsensitive("pattern") {
                let matcher = GlobMatcher(pattern: value, caseInsensitive: true)
                names = names.filter { matcher.matches(Array($0.utf8)) }
            } else {
                return c.reply.error(CommandError.syntax)
            }
        }
        c.reply.arrayHeader(names.count)
        for name in names { c.reply.bulk(name) }
    }

    /// The key positions of the command in `args[2...]`, or nil after replying with an error.
    static func keyPositions(_ c: CommandContext) -> [Int]? {
        let table = table(c)
        guard var command = table.lookup(c.args[2]) else {
            c.reply.error("ERR Invalid command specified")
            return nil
        }
        let argc = c.args.count - 2
        if command.spec.isContainer && argc >= 2, let sub = table.subcommand(of: command, named: c.args[3]) {
            command = sub
        }
        let spec = command.spec
        if (spec.arity > 0 && spec.arity != argc) || argc < -spec.arity {
            c.reply.error("ERR Invalid number of arguments specified for command")
            return nil
        }
        guard spec.firstKey > 0 else {
            c.reply.error("ERR The command has no key arguments")
            return nil
        }
        let last = spec.lastKey < 0 ? argc + spec.lastKey : spec.lastKey
        return Array(stride(from: spec.firstKey, through: min(last, argc - 1), by: max(spec.step, 1)))
    }

    static func getkeys(_ c: CommandContext) {
        guard let positions = keyPositions(c) else { return }
        c.reply.arrayHeader(positions.count)
        for position in positions { c.reply.bulk(c.args[position + 2]) }
    }

    static func getkeysAndFlags(_ c: CommandContext) {
        guard let positions = keyPositions(c), let command = table(c).lookup(c.args[2]) else { return }
        let access: [String] = command.spec.flags.contains(.write) ? ["RW", "update"] : ["RO", "access"]
        c.reply.arrayHeader(positions.count)
        for position in positions {
            c.reply.arrayHeader(2)
            c.reply.bulk(c.args[position + 2])
            c.reply.setHeader(access.count)
            for flag in access { c.reply.simple(flag) }
        }
    }

    static func help(_ c: CommandContext) {
        ServerCommands.replyHelp(c, command: "COMMAND", lines: [
            "(no subcommand)",
            "    Return details about all Redis commands.",
            "COUNT",
            "    Return the total number of commands in this Redis server.",
            "LIST",
            "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "GETKEYS <full-command>",
            "    Return the keys from a full Redis command.",
            "GETKEYSANDFLAGS <full-command>",
            "    Return the keys and the access flags from a full Redis command.",
        ])
    }
}
