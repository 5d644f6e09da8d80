import RESP

/// Whole-database commands (Redis `db.c`, group "server"): DBSIZE FLUSHDB FLUSHALL SWAPDB, and
/// the parsing of database indexes that COPY and MOVE share with them.
public enum DatabaseCommands {
    public static let specs: [CommandSpec] = [
        CommandSpec("dbsize", arity: 1, flags: [.readonly, .fast], handler: dbsize),
        CommandSpec("flushdb", arity: -1, flags: [.write], handler: flushdb),
        CommandSpec("flushall", arity: -1, flags: [.write], handler: flushall),
        CommandSpec("swapdb", arity: 3, flags: [.write, .fast], handler: swapdb),
    ]

    /// Counts keys not yet reaped even if expired, as Redis's DBSIZE does.
    static func dbsize(_ c: CommandContext) { c.reply.integer(c.db.count) }

    static func flushdb(_ c: CommandContext) {
        guard validFlushMode(c) else { return c.reply.error(CommandError.syntax) }
        c.db.removeAll()
        c.reply.ok()
    }

    static func flushall(_ c: CommandContext) {
        guard validFlushMode(c) else { return c.reply.error(CommandError.syntax) }
        for store in c.stores { store.removeAll() }
        c.reply.ok()
    }

    /// FLUSHDB/FLUSHALL take at most one argument, ASYNC or SYNC. Both free synchronously here:
    /// the answer is the same and values are freed on the shard that owns them.
    static func validFlushMode(_ c: CommandContext) -> Bool {
        switch c.args.count {
        case 1: return true
        case 2: return c.args[1].equalsCaseInsensitive("async") || c.args[1].equalsCaseInsensitive("sync")
        default: return false
        }
    }

    /// Both indexes are parsed (each with its own error) before either is range-checked.
    static func swapdb(_ c: CommandContext) {
        guard let first = parseInt32(c, c.args[1], invalid: "ERR invalid first DB index"),
            let second = parseInt32(c, c.args[2], invalid: "ERR invalid second DB index")
        else { return }
        let range = 0..<c.store.databaseCount
        guard range.contains(first) && range.contains(second) else {
            return c.reply.error(CommandError.dbIndexOutOfRange)
        }
        for store in c.stores { store.swapDatabases(first, second) }
        c.reply.ok()
    }

    /// A database index for COPY's DB and MOVE: a 32-bit integer, then an existing database.
    /// Replies the error and returns nil otherwise.
    static func parseDatabase(_ c: CommandContext, _ text: ByteView) -> Int? {
        guard let index = parseInt32(c, text, invalid: nil) else { return nil }
        guard index >= 0 && index < c.store.databaseCount else {
            c.reply.error(CommandError.dbIndexOutOfRange)
            return nil
        }
        return index
    }

    /// Redis's `getIntFromObjectOrReply`: a 64-bit integer that must fit 32 bits. With
    /// `invalid`, that message answers both failures; without, Redis's two generic ones.
    /// Replies the error and returns nil on failure.
    static func parseInt32(_ c: CommandContext, _ text: ByteView, invalid: StaticString?) -> Int? {
        guard let value = RedisInteger.parse(text) else {
            c.reply.error(invalid ?? CommandError.notInteger)
            return nil
        }
        guard value >= Int64(Int32.min) && value <= Int64(Int32.max) else {
            c.reply.error(invalid ?? "ERR value is out of range, value must between -2147483648 and 2147483647")
            return nil
        }
        return Int(value)
    }
}
