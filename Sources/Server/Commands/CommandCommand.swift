import Engine
import RESP

/// COMMAND and its subcommands: what the server can do, read from the one command table, in
/// the shapes Redis 7.0 returns (client libraries and redis-cli's hints depend on them).
enum CommandCommand {
    static var spec: CommandSpec {
        let flags: CommandFlags = [.loading, .stale]
        return CommandSpec(
            "command", arity: -1, flags: flags,
            subcommands: [
                CommandSpec("count", arity: 2, flags: flags, handler: count),
                CommandSpec("info", arity: -2, flags: flags, handler: info),
                CommandSpec("docs", arity: -2, flags: flags, handler: docs),
                CommandSpec("list", arity: -2, flags: flags, handler: list),
                CommandSpec("getkeys", arity: -4, flags: flags, handler: getkeys),
                CommandSpec("getkeysandflags", arity: -4, flags: flags, handler: getkeysAndFlags),
                CommandSpec("help", arity: 2, flags: flags, handler: help),
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

    /// One COMMAND INFO entry, as Redis's `addReplyCommandInfo`: name, arity, flags,
    /// first/last/step, ACL categories, tips, key specs, subcommands.
    static func writeInfo(_ command: CommandTable.Command, table: CommandTable, _ reply: ReplyWriter) {
        let spec = command.spec
        let docs = command.docs
        reply.arrayHeader(10)
        reply.bulk(command.fullName)
        reply.integer(spec.arity)
        let flags = CommandFlags.names.filter { spec.flags.contains($0.0) }
        reply.setHeader(flags.count)
        for (_, name) in flags { reply.simple(name) }
        reply.integer(spec.firstKey)
        reply.integer(spec.lastKey)
        reply.integer(spec.step)
        reply.setHeader(docs.aclCategories.count)
        for category in docs.aclCategories { reply.simple("@" + category) }
        reply.setHeader(docs.tips.count)
        for tip in docs.tips { reply.bulk(tip) }
        reply.setHeader(docs.keySpecs.count)  // a set in RESP3, as Redis sends it
        for keySpec in docs.keySpecs { writeKeySpec(keySpec, reply) }
        let subcommands = spec.subcommands.compactMap { table.command(named: "\(spec.name)|\($0.name)") }
        // Redis's `addReplyCommandSubCommands`: an empty set when there are none, else an array.
        if subcommands.isEmpty { reply.setHeader(0) } else { reply.arrayHeader(subcommands.count) }
        for sub in subcommands { writeInfo(sub, table: table, reply) }
    }

    /// A key spec as Redis's `addReplyCommandKeySpecs` writes it.
    static func writeKeySpec(_ keySpec: KeySpec, _ reply: ReplyWriter) {
        reply.mapHeader(keySpec.notes == nil ? 3 : 4)
        if let notes = keySpec.notes {
            reply.bulk("notes")
            reply.bulk(notes)
        }
        reply.bulk("flags")
        writeKeyFlags(keySpec.flags, reply)
        reply.bulk("begin_search")
        reply.mapHeader(2)
        reply.bulk("type"); reply.bulk("index")
        reply.bulk("spec"); reply.mapHeader(1); reply.bulk("index"); reply.integer(keySpec.beginIndex)
        reply.bulk("find_keys")
        reply.mapHeader(2)
        reply.bulk("type"); reply.bulk("range")
        reply.bulk("spec")
        reply.mapHeader(3)
        reply.bulk("lastkey"); reply.integer(keySpec.lastKey)
        reply.bulk("keystep"); reply.integer(keySpec.step)
        reply.bulk("limit"); reply.integer(keySpec.limit)
    }

    static func writeKeyFlags(_ flags: KeySpec.Flags, _ reply: ReplyWriter) {
        let names = KeySpec.Flags.names.filter { flags.contains($0.0) }
        reply.setHeader(names.count)
        for (_, name) in names { reply.simple(name) }
    }

    /// COMMAND DOCS [command-name ...]: unknown names are left out, as Redis does.
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
            writeDocs(command, table: table, c.reply)
        }
    }

    /// One command's documentation, as Redis's `addReplyCommandDocs`.
    static func writeDocs(_ command: CommandTable.Command, table: CommandTable, _ reply: ReplyWriter) {
        let docs = command.docs
        let subcommands = command.spec.subcommands.compactMap { table.command(named: "\(command.fullName)|\($0.name)") }
        let present = [docs.complexity != nil, !docs.docFlags.isEmpty, docs.deprecatedSince != nil,
                       docs.replacedBy != nil, !docs.history.isEmpty, !docs.arguments.isEmpty, !subcommands.isEmpty]
        reply.mapHeader(3 + present.filter { $0 }.count)
        reply.bulk("summary"); reply.bulk(docs.summary)
        reply.bulk("since"); reply.bulk(docs.since)
        reply.bulk("group"); reply.bulk(docs.group)
        if let complexity = docs.complexity { reply.bulk("complexity"); reply.bulk(complexity) }
        if !docs.docFlags.isEmpty {
            reply.bulk("doc_flags")
            reply.setHeader(docs.docFlags.count)
            for flag in docs.docFlags { reply.simple(flag) }
        }
        if let since = docs.deprecatedSince { reply.bulk("deprecated_since"); reply.bulk(since) }
        if let replacement = docs.replacedBy { reply.bulk("replaced_by"); reply.bulk(replacement) }
        if !docs.history.isEmpty {
            reply.bulk("history")
            reply.setHeader(docs.history.count)
            for (version, change) in docs.history {
                reply.arrayHeader(2)
                reply.bulk(version)
                reply.bulk(change)
            }
        }
        if !docs.arguments.isEmpty {
            reply.bulk("arguments")
            writeArguments(docs.arguments, reply)
        }
        if !subcommands.isEmpty {
            reply.bulk("subcommands")
            reply.mapHeader(subcommands.count)
            for sub in subcommands {
                reply.bulk(sub.fullName)
                writeDocs(sub, table: table, reply)
            }
        }
    }

    /// An argument list, as Redis's `addReplyCommandArgList`.
    static func writeArguments(_ arguments: [CommandArgumentDoc], _ reply: ReplyWriter) {
        reply.arrayHeader(arguments.count)
        for argument in arguments {
            let present = [argument.keySpecIndex != nil, argument.token != nil, argument.summary != nil,
                           argument.since != nil, argument.deprecatedSince != nil, !argument.flags.isEmpty,
                           argument.kind == .oneOf || argument.kind == .block]
            reply.mapHeader(2 + present.filter { $0 }.count)
            reply.bulk("name"); reply.bulk(argument.name)
            reply.bulk("type"); reply.bulk(argument.kind.rawValue)
            if let index = argument.keySpecIndex { reply.bulk("key_spec_index"); reply.integer(index) }
            if let token = argument.token { reply.bulk("token"); reply.bulk(token) }
            if let summary = argument.summary { reply.bulk("summary"); reply.bulk(summary) }
            if let since = argument.since { reply.bulk("since"); reply.bulk(since) }
            if let since = argument.deprecatedSince { reply.bulk("deprecated_since"); reply.bulk(since) }
            if !argument.flags.isEmpty {
                let names = CommandArgumentDoc.Flags.names.filter { argument.flags.contains($0.0) }
                reply.bulk("flags")
                reply.setHeader(names.count)
                for (_, name) in names { reply.simple(name) }
            }
            if argument.kind == .oneOf || argument.kind == .block {
                reply.bulk("arguments")
                writeArguments(argument.arguments, reply)
            }
        }
    }

    /// COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]: every command
    /// and subcommand ("config|get") that passes the filter, as Redis's `commandListCommand`.
    static func list(_ c: CommandContext) {
        let table = table(c)
        var commands = table.topLevel.flatMap { id in
            [table.commands[id]] + table.commands[id].spec.subcommands.compactMap {
                table.command(named: "\(table.commands[id].fullName)|\($0.name)")
            }
        }
        var index = 2
        while index < c.args.count {
            guard c.args[index].equalsCaseInsensitive("filterby"), c.args.count - 1 - index == 2 else {
                return c.reply.error(CommandError.syntax)
            }
            let filter = c.args[index + 1]
            let value = c.args[index + 2]
            if filter.equalsCaseInsensitive("module") {
                commands = []
            } else if filter.equalsCaseInsensitive("aclcat") {
                let category = value.string.lowercased()
                commands = commands.filter { $0.docs.aclCategories.contains(category) }
            } else if filter.equalsCaseInsensitive("pattern") {
                let matcher = GlobMatcher(pattern: value, caseInsensitive: true)
                commands = commands.filter { matcher.matches(Array($0.fullName.utf8)) }
            } else {
                return c.reply.error(CommandError.syntax)
            }
            index += 3
        }
        c.reply.arrayHeader(commands.count)
        for command in commands { c.reply.bulk(command.fullName) }
    }

    /// The command named in `args[2...]` and its keys' positions and flags there, in Redis's
    /// order of checks (`getKeysSubcommandImpl`); nil after replying with an error.
    static func keys(_ c: CommandContext) -> (positions: [Int], flags: [KeySpec.Flags])? {
        let table = table(c)
        let argc = c.args.count - 2
        guard var command = table.lookup(c.args[2]) else {
            c.reply.error("ERR Invalid command specified")
            return nil
        }
        if command.spec.isContainer && argc >= 2 {
            guard let sub = table.subcommand(of: command, named: c.args[3]) else {
                c.reply.error("ERR Invalid command specified")
                return nil
            }
            command = sub
        }
        let spec = command.spec
        guard !command.docs.keySpecs.isEmpty else {
            c.reply.error("ERR The command has no key arguments")
            return nil
        }
        if (spec.arity > 0 && spec.arity != argc) || argc < -spec.arity {
            c.reply.error("ERR Invalid number of arguments specified for command")
            return nil
        }
        var positions: [Int] = []
        var flags: [KeySpec.Flags] = []
        let callFlags = spec.keyFlagsOfCall.map { flagsOf in
            Arguments.with((2..<c.args.count).map { c.args[$0].array }) { flagsOf($0) }
        }
        for keySpec in command.docs.keySpecs {
            guard let found = keySpec.keyPositions(argumentCount: argc) else {
                if spec.flags.contains(.noMandatoryKeys) {
                    c.reply.arrayHeader(0)
                } else {
                    c.reply.error("ERR Invalid arguments specified for command")
                }
                return nil
            }
            positions += found
            flags += found.map { _ in callFlags ?? keySpec.flags }
        }
        return (positions, flags)
    }

    static func getkeys(_ c: CommandContext) {
        guard let keys = keys(c) else { return }
        c.reply.arrayHeader(keys.positions.count)
        for position in keys.positions { c.reply.bulk(c.args[position + 2]) }
    }

    static func getkeysAndFlags(_ c: CommandContext) {
        guard let keys = keys(c) else { return }
        c.reply.arrayHeader(keys.positions.count)
        for (position, flags) in zip(keys.positions, keys.flags) {
            c.reply.arrayHeader(2)
            c.reply.bulk(c.args[position + 2])
            writeKeyFlags(flags, c.reply)
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
