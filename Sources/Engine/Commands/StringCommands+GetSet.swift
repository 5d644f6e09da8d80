import RESP

/// Commands that read or write a string whole: GET SET SETNX SETEX PSETEX GETSET GETDEL GETEX
/// MGET MSET MSETNX (Redis `t_string.c`, `getGenericCommand`/`setGenericCommand`).
extension StringCommands {
    // MARK: GET and its variants

    static func get(_ c: CommandContext) {
        _ = replyValue(c)
    }

    /// Redis's `getGenericCommand`: replies with the value at `args[1]` or null; false after
    /// replying WRONGTYPE.
    static func replyValue(_ c: CommandContext) -> Bool {
        guard let record = readLookup(c, c.args[1]) else {
            c.reply.null()
            return true
        }
        guard record.type == .string else {
            c.reply.error(CommandError.wrongType)
            return false
        }
        replyBulk(c, record.stringValue)
        return true
    }

    static func getset(_ c: CommandContext) {
        guard replyValue(c) else { return }
        c.db.setString(c.args[1], encoded(c.args[2]), expiry: .clear, now: c.now)
    }

    static func getdel(_ c: CommandContext) {
        guard replyValue(c) else { return }
        c.db.delete(c.args[1])
    }

    static func getex(_ c: CommandContext) {
        guard let options = ExtendedStringOptions.parse(c, from: 2, grammar: .getex) else { return }
        let key = c.args[1]
        guard let record = readLookup(c, key) else { return c.reply.null() }
        guard record.type == .string else { return c.reply.error(CommandError.wrongType) }
        var expireAt: Int64 = 0
        if options.expiryIndex > 0 {
            guard let time = options.expiryTime(c, invalidError: "ERR invalid expire time in 'getex' command")
            else { return }
            expireAt = time
        }
        replyBulk(c, record.stringValue)
        if options.expiryIndex > 0 {
            // An absolute time already past deletes the key at once, as Redis does.
            if options.isAbsoluteExpiry && expireAt <= c.now {
                c.db.delete(key)
            } else {
                c.db.setExpiry(key, .at(expireAt))
            }
        } else if options.flags.contains(.persist) {
            c.db.setExpiry(key, .clear)
        }
    }

    static func mget(_ c: CommandContext) {
        c.reply.arrayHeader(c.args.count - 1)
        for index in 1..<c.args.count {
            if let record = readLookup(c, c.args[index]), record.type == .string {
                replyBulk(c, record.stringValue)
            } else {
                c.reply.null()
            }
        }
    }

    // MARK: SET and its variants

    static func set(_ c: CommandContext) {
        guard let options = ExtendedStringOptions.parse(c, from: 3, grammar: .set) else { return }
        var expiry = ExpiryChange.clear
        if options.expiryIndex > 0 {
            guard let time = options.expiryTime(c, invalidError: "ERR invalid expire time in 'set' command")
            else { return }
            expiry = .at(time)
        } else if options.flags.contains(.keepTTL) {
            expiry = .keep
        }
        let getOld = options.flags.contains(.get)
        if getOld {
            guard replyValue(c) else { return }
        }
        let key = c.args[1]
        // Only NX/XX and KEEPTTL need the current key (looking expires it if due, so an expired
        // TTL is not kept); a plain SET replaces whatever is there.
        if !options.flags.isDisjoint(with: [.nx, .xx, .keepTTL]) {
            let found = c.db.lookup(key, now: c.now) != nil
            if !options.flags.isDisjoint(with: [.nx, .xx]) && found == options.flags.contains(.nx) {
                if !getOld { c.reply.null() }
                return
            }
        }
        c.db.setString(key, encoded(c.args[2]), expiry: expiry, now: c.now)
        if !getOld { c.reply.ok() }
    }

    static func setnx(_ c: CommandContext) {
        let key = c.args[1]
        if c.db.lookup(key, now: c.now) != nil { return c.reply.integer(0) }
        c.db.setString(key, encoded(c.args[2]), expiry: .clear, now: c.now)
        c.reply.integer(1)
    }

    static func setex(_ c: CommandContext) {
        setWithTimeToLive(c, inSeconds: true, invalidError: "ERR invalid expire time in 'setex' command")
    }

    static func psetex(_ c: CommandContext) {
        setWithTimeToLive(c, inSeconds: false, invalidError: "ERR invalid expire time in 'psetex' command")
    }

    /// SETEX/PSETEX key ttl value.
    private static func setWithTimeToLive(_ c: CommandContext, inSeconds: Bool, invalidError: StaticString) {
        guard let time = expiryTime(c, argument: 2, inSeconds: inSeconds, relative: true, invalidError: invalidError)
        else { return }
        c.db.setString(c.args[1], encoded(c.args[3]), expiry: .at(time), now: c.now)
        c.reply.ok()
    }

    static func mset(_ c: CommandContext) {
        guard c.args.count % 2 == 1 else {
            return c.reply.error("ERR wrong number of arguments for 'mset' command")
        }
        storePairs(c)
        c.reply.ok()
    }

    static func msetnx(_ c: CommandContext) {
        guard c.args.count % 2 == 1 else {
            return c.reply.error("ERR wrong number of arguments for 'msetnx' command")
        }
        for index in stride(from: 1, to: c.args.count, by: 2) where c.db.lookup(c.args[index], now: c.now) != nil {
            return c.reply.integer(0)
        }
        storePairs(c)
        c.reply.integer(1)
    }

    /// Stores every key/value pair of MSET/MSETNX, left to right (a repeated key keeps the last).
    private static func storePairs(_ c: CommandContext) {
        for index in stride(from: 1, to: c.args.count, by: 2) {
            c.db.setString(c.args[index], encoded(c.args[index + 1]), expiry: .clear, now: c.now)
        }
    }
}
