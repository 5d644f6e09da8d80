import Engine
import Glibc
import RESP

/// CONFIG GET/SET/RESETSTAT/REWRITE/HELP over the one list of parameters (`ConfigParameter.all`).
enum ConfigCommand {
    static var spec: CommandSpec {
        let flags: CommandFlags = [.admin, .noScript, .loading, .stale]
        return CommandSpec(
            "config", arity: -2, flags: [],
            subcommands: [
                CommandSpec("get", arity: -3, flags: flags, handler: get),
                CommandSpec("set", arity: -4, flags: flags, handler: set),
                CommandSpec("resetstat", arity: 2, flags: flags, handler: resetstat),
                CommandSpec("rewrite", arity: 2, flags: flags, handler: rewrite),
                CommandSpec("help", arity: 2, flags: [.loading, .stale], handler: help),
            ],
            handler: ServerCommands.container)
    }

    /// CONFIG GET pattern [pattern ...]: every parameter matching any pattern, once, as a map.
    static func get(_ c: CommandContext) {
        let config = ServerCommands.shard(c).server.config
        var matched: [(String, String)] = []
        for parameter in ConfigParameter.all {
            let name = Array(parameter.name.utf8)
            for index in 2..<c.args.count {
                if GlobMatcher(pattern: c.args[index], caseInsensitive: true).matches(name) {
                    matched.append((parameter.name, parameter.get(config)))
                    break
                }
            }
        }
        c.reply.mapHeader(matched.count)
        for (name, value) in matched {
            c.reply.bulk(name)
            c.reply.bulk(value)
        }
    }

    /// CONFIG SET parameter value [parameter value ...]: all or nothing, as Redis 7. It runs
    /// with every shard held, so it also applies the values shards copy (proto-max-bulk-len,
    /// the slow log's and the latency monitor's) to all of them.
    static func set(_ c: CommandContext) {
        guard c.args.count % 2 == 0 else { return c.reply.error(CommandError.syntax) }
        let server = ServerCommands.shard(c).server
        var updated = server.config
        var seen: Set<String> = []
        // Every secret value is kept out of SLOWLOG, even when an earlier pair fails, as in Redis.
        for index in stride(from: 2, to: c.args.count, by: 2) where ConfigParameter.named(c.args[index].string)?.sensitive == true {
            c.redactArgument(index + 1)
        }
        var index = 2
        while index < c.args.count {
            let name = c.args[index].string.lowercased()
            guard let parameter = ConfigParameter.named(name) else {
                let message = Array("ERR Unknown option or number of arguments for CONFIG SET - '".utf8)
                    + c.args[index].array + [UInt8(ascii: "'")]
                return c.reply.error(bytes: message)
            }
            guard seen.insert(parameter.name).inserted else {
                return c.reply.error("ERR CONFIG SET failed (possibly related to argument '\(name)') - duplicate parameter")
            }
            guard parameter.mutable else {
                return c.reply.error("ERR CONFIG SET failed (possibly related to argument '\(name)') - can't set immutable config")
            }
            let value = c.args[index + 1].string
            // Redis splits a many-valued directive at every space: two spaces make an empty value.
            let values = parameter.variadic ? value.split(separator: " ", omittingEmptySubsequences: false).map(String.init) : [value]
            do {
                try parameter.set(&updated, values)
            } catch {
                return c.reply.error("ERR CONFIG SET failed (possibly related to argument '\(name)') - \(error.description)")
            }
            index += 2
        }
        server.config = updated
        server.logSink.level = updated.loglevel.swiftLogLevel
        let group = ServerCommands.shard(c).group
        group.slowLogSequence.setMaximumLength(Int64(updated.slowlogMaxLen))
        for shard in group.shards {
            shard.applyCommandSettings(updated)
            shard.store.maximumStringLength = Int64(updated.protoMaxBulkLen)
            for connection in shard.connections.all { connection.parser.maxBulkLength = updated.protoMaxBulkLen }
        }
        c.reply.ok()
    }

    /// CONFIG RESETSTAT: every shard's counters (it runs with all of them held).
    static func resetstat(_ c: CommandContext) {
        for shard in ServerCommands.shard(c).group.shards { shard.resetStatistics() }
        c.reply.ok()
    }

    /// CONFIG REWRITE: the configuration file made to hold the running configuration
    /// (`ConfigRewrite`). It runs with every shard held, so no CONFIG SET runs meanwhile.
    static func rewrite(_ c: CommandContext) {
        let shard = ServerCommands.shard(c)
        let path = shard.server.config.configFile
        guard !path.isEmpty else { return c.reply.error("ERR The server is running without a config file") }
        var failure: Int32?
        var running = shard.server.config
        running.shards = shard.server.configuredShards  // "0" (one per CPU) stays 0
        switch ConfigRewrite.readOldFile(path) {
        case .success(let old):
            let content = ConfigRewrite.content(oldFile: old, config: running)
            failure = ConfigRewrite.overwrite(path, with: content, umask: shard.server.umask)
        case .failure(let error):
            failure = error.errno
        }
        if let failure {
            let reason = String(cString: strerror(failure))
            shard.logger.warning("CONFIG REWRITE failed: \(reason)")
            return c.reply.error("ERR Rewriting config file: \(reason)")
        }
        shard.logger.notice("CONFIG REWRITE executed with success.")
        c.reply.ok()
    }

    static func help(_ c: CommandContext) {
        ServerCommands.replyHelp(c, command: "CONFIG", lines: [
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.",
        ])
    }
}
