import Engine
import Glibc
import RESP

/// SHUTDOWN, TIME, LASTSAVE and ROLE: the server's clock, lifetime and place in replication.
enum ServerControlCommands {
    static func time(_ c: CommandContext) {
        let micros = Clock.microseconds()
        c.reply.arrayHeader(2)
        c.reply.bulk(String(micros / 1_000_000))
        c.reply.bulk(String(micros % 1_000_000))
    }

    static func lastsave(_ c: CommandContext) {
        c.reply.integer(ServerCommands.shard(c).server.lastSave)
    }

    /// ROLE: a master with no replicas, at replication offset 0 (there is no replication yet).
    static func role(_ c: CommandContext) {
        c.reply.arrayHeader(3)
        c.reply.bulk("master")
        c.reply.integer(0)
        c.reply.arrayHeader(0)
    }

    /// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. Nothing is persisted yet, so SAVE is
    /// refused rather than silently skipped; otherwise every shard (all held while this runs)
    /// stops after its loop turn and the client gets no reply, as with Redis.
    static func shutdown(_ c: CommandContext) {
        var save = false
        var abort = false
        var saveOptions = 0
        for index in 1..<c.args.count {
            let option = c.args[index]
            if option.equalsCaseInsensitive("nosave") {
                saveOptions += 1
            } else if option.equalsCaseInsensitive("save") {
                save = true
                saveOptions += 1
            } else if option.equalsCaseInsensitive("now") || option.equalsCaseInsensitive("force") {
                continue
            } else if option.equalsCaseInsensitive("abort") {
                abort = true
            } else {
                return c.reply.error(CommandError.syntax)
            }
        }
        if saveOptions > 1 || (abort && c.args.count > 2) { return c.reply.error(CommandError.syntax) }
        if abort { return c.reply.error("ERR No shutdown in progress.") }
        let shard = ServerCommands.shard(c)
        if save {
            shard.logger.warning("SHUTDOWN SAVE refused: snapshots are not implemented yet.")
            return c.reply.error("ERR Errors trying to SHUTDOWN. Check logs.")
        }
        shard.logger.warning("User requested shutdown...")
        for stopping in shard.group.shards { stopping.stopRequested = true }
        c.session.closeAfterReply = true
        c.session.replyMode = .skipNext
    }
}
