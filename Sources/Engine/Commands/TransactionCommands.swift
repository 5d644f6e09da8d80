import RESP

/// MULTI EXEC DISCARD WATCH UNWATCH, with Redis 7.0's replies. Queueing itself happens in
/// `CommandExecutor.queueInTransaction`, before a command would run.
///
/// WATCH registers the client's flag in the watch table of each key's database, on the shard
/// owning the key (the command is routed by its keys like any other). EXEC, DISCARD and
/// UNWATCH reach back into those tables, so on a sharded server they run with the shards
/// owning the watched (and queued) keys held.
public enum TransactionCommands {
    public static let specs: [CommandSpec] = [
        CommandSpec("multi", arity: 1, flags: [.noScript, .loading, .stale, .fast, .allowBusy], handler: multi),
        CommandSpec("exec", arity: 1, flags: [.noScript, .loading, .stale, .skipSlowlog], handler: exec),
        CommandSpec("discard", arity: 1, flags: [.noScript, .loading, .stale, .fast, .allowBusy], handler: discard),
        CommandSpec(
            "watch", arity: -2, flags: [.noScript, .loading, .stale, .fast, .allowBusy], keys: (1, -1, 1),
            handler: watch),
        CommandSpec("unwatch", arity: 1, flags: [.noScript, .loading, .stale, .fast, .allowBusy], handler: unwatch),
    ]

    static func multi(_ c: CommandContext) {
        guard c.session.transaction == nil else { return c.reply.error("ERR MULTI calls can not be nested") }
        c.session.transaction = Transaction()
        c.reply.ok()
    }

    /// Aborts with EXECABORT if queueing failed, answers null if a watched key changed (or
    /// expired) since WATCH, else runs the queued commands. The keys are unwatched first
    /// either way, and the transaction ends.
    static func exec(_ c: CommandContext) {
        guard let transaction = c.session.transaction else { return c.reply.error("ERR EXEC without MULTI") }
        defer { c.session.transaction = nil }
        if transaction.isDoomed {
            unwatchAll(c)
            return c.reply.error("EXECABORT Transaction discarded because of previous errors.")
        }
        let watchedKeyChanged = watchBroken(c)
        unwatchAll(c)
        if watchedKeyChanged { return c.reply.nullArray() }
        c.executor.runQueued(transaction, c)
    }

    static func discard(_ c: CommandContext) {
        guard c.session.transaction != nil else { return c.reply.error("ERR DISCARD without MULTI") }
        c.session.transaction = nil
        unwatchAll(c)
        c.reply.ok()
    }

    /// Watching is pointless once a watched key has changed: EXEC will fail anyway.
    static func watch(_ c: CommandContext) {
        guard c.session.transaction == nil else { return c.reply.error("ERR WATCH inside MULTI is not allowed") }
        let session = c.session
        guard !session.watchFlag.isRaised else { return c.reply.ok() }
        let db = c.db
        for position in 1..<c.args.count {
            let key = c.args[position]
            if session.watchedKeys.contains(where: { $0.database == db.index && $0.key.withByteView { $0.equals(key) } }) {
                continue
            }
            db.keyspace(for: key).watch(key, flag: session.watchFlag, now: c.now)
            session.watchedKeys.append(WatchedKey(database: db.index, key: key.array))
        }
        c.reply.ok()
    }

    static func unwatch(_ c: CommandContext) {
        unwatchAll(c)
        c.reply.ok()
    }

    /// Whether a watched key changed, or expired without being deleted yet, since WATCH.
    static func watchBroken(_ c: CommandContext) -> Bool {
        let session = c.session
        if session.watchFlag.isRaised { return true }
        return session.watchedKeys.contains { watched in
            watched.key.withByteView { key in
                c.database(watched.database).keyspace(for: key).expiredSinceWatch(key, flag: session.watchFlag, now: c.now)
            }
        }
    }

    static func unwatchAll(_ c: CommandContext) {
        unwatchAll(c.session) { c.database($0).keyspace(for: $1) }
    }

    /// Forgets every key `session` watches (Redis's `unwatchAllKeys`) and lowers its flag;
    /// `keyspace` finds the keyspace holding a key of a database. Also what the server does
    /// when a watching client disconnects.
    public static func unwatchAll(_ session: ClientSession, keyspace: (_ database: Int, _ key: ByteView) -> Keyspace) {
        for watched in session.watchedKeys {
            watched.key.withByteView { key in keyspace(watched.database, key).unwatch(key, flag: session.watchFlag) }
        }
        session.watchedKeys.removeAll()
        session.watchFlag.lower()
    }
}
