import RESP

/// RENAME RENAMENX COPY MOVE: a value changing its key or its database, keeping its expiry.
extension KeyCommands {
    static func rename(_ c: CommandContext) { renameKey(c, onlyIfAbsent: false) }
    static func renamenx(_ c: CommandContext) { renameKey(c, onlyIfAbsent: true) }

    /// Redis's `renameGenericCommand`: a missing source is an error even when both names are
    /// the same; renaming a key to itself changes nothing. The source's expiry (or its absence)
    /// replaces the destination's.
    static func renameKey(_ c: CommandContext, onlyIfAbsent: Bool) {
        let db = c.db
        let source = c.args[1]
        let destination = c.args[2]
        guard let record = db.lookup(source, now: c.now) else { return c.reply.error(CommandError.noSuchKey) }
        if source.equals(destination) { return onlyIfAbsent ? c.reply.integer(0) : c.reply.ok() }
        let value = ValueSnapshot(record)
        let expiry = expiryChange(record.expireAt)
        if onlyIfAbsent && db.lookup(destination, now: c.now) != nil { return c.reply.integer(0) }
        value.store(in: db, key: destination, expiry: expiry, now: c.now)
        db.delete(source)
        onlyIfAbsent ? c.reply.integer(1) : c.reply.ok()
    }

    /// COPY source destination [DB destination-db] [REPLACE]. Options are read first (the last
    /// DB wins), then the same-key check, then the source (a counted read lookup).
    static func copy(_ c: CommandContext) {
        var replace = false
        var targetIndex = c.session.databaseIndex
        var index = 3
        while index < c.args.count {
            let option = c.args[index]
            if option.equalsCaseInsensitive("replace") {
                replace = true
            } else if option.equalsCaseInsensitive("db") && index + 1 < c.args.count {
                guard let requested = DatabaseCommands.parseDatabase(c, c.args[index + 1]) else { return }
                targetIndex = requested
                index += 1
            } else {
                return c.reply.error(CommandError.syntax)
            }
            index += 1
        }
        let source = c.args[1]
        let destination = c.args[2]
        if targetIndex == c.session.databaseIndex && source.equals(destination) {
            return c.reply.error(sameObjectError)
        }
        guard let record = lookupForRead(c, source, touch: true) else { return c.reply.integer(0) }
        let value = ValueSnapshot(record).duplicate
        let expiry = expiryChange(record.expireAt)
        let target = c.database(targetIndex)
        if target.lookup(destination, now: c.now) != nil && !replace { return c.reply.integer(0) }
        value.store(in: target, key: destination, expiry: expiry, now: c.now)
        c.reply.integer(1)
    }

    /// MOVE key db: the database is checked before the key; an existing key in the target
    /// database blocks the move.
    static func move(_ c: CommandContext) {
        guard let targetIndex = DatabaseCommands.parseDatabase(c, c.args[2]) else { return }
        if targetIndex == c.session.databaseIndex { return c.reply.error(sameObjectError) }
        let key = c.args[1]
        let db = c.db
        guard let record = db.lookup(key, now: c.now) else { return c.reply.integer(0) }
        let value = ValueSnapshot(record)
        let expiry = expiryChange(record.expireAt)
        let target = c.database(targetIndex)
        if target.lookup(key, now: c.now) != nil { return c.reply.integer(0) }
        value.store(in: target, key: key, expiry: expiry, now: c.now)
        db.delete(key)
        c.reply.integer(1)
    }

    /// Redis's shared `sameobjecterr`, for COPY and MOVE onto themselves.
    static let sameObjectError: StaticString = "ERR source and destination objects are the same"

    /// The expiry a copied value gets: its source's, or none.
    static func expiryChange(_ expireAt: Int64?) -> ExpiryChange {
        expireAt.map { .at($0) } ?? .clear
    }
}
