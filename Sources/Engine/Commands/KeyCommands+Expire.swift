import RESP

/// EXPIRE PEXPIRE EXPIREAT PEXPIREAT PERSIST: setting and removing a key's time to live.
extension KeyCommands {
    static func expire(_ c: CommandContext) {
        setExpiry(c, base: c.now, unit: .seconds, invalidTime: "ERR invalid expire time in 'expire' command")
    }

    static func pexpire(_ c: CommandContext) {
        setExpiry(c, base: c.now, unit: .milliseconds, invalidTime: "ERR invalid expire time in 'pexpire' command")
    }

    static func expireat(_ c: CommandContext) {
        setExpiry(c, base: 0, unit: .seconds, invalidTime: "ERR invalid expire time in 'expireat' command")
    }

    static func pexpireat(_ c: CommandContext) {
        setExpiry(c, base: 0, unit: .milliseconds, invalidTime: "ERR invalid expire time in 'pexpireat' command")
    }

    static func persist(_ c: CommandContext) {
        let key = c.args[1]
        guard let record = c.db.lookup(key, now: c.now), record.expireAt != nil else {
            return c.reply.integer(0)
        }
        c.db.setExpiry(key, .clear)
        c.reply.integer(1)
    }

    /// The unit of an EXPIRE-family argument.
    enum ExpiryUnit {
        case seconds, milliseconds
    }

    /// The NX/XX/GT/LT condition of the EXPIRE family: which current expiries allow the change.
    struct ExpiryCondition {
        var nx = false, xx = false, gt = false, lt = false

        /// Whether a key whose expiry is `current` (nil: persistent) may get `newTime`.
        /// A persistent key counts as expiring at infinity: GT never applies, LT always does.
        func allows(current: Int64?, newTime: Int64) -> Bool {
            if nx && current != nil { return false }
            if xx && current == nil { return false }
            if gt {
                guard let current, newTime > current else { return false }
            }
            if lt, let current, newTime >= current { return false }
            return true
        }
    }

    /// Redis's `expireGenericCommand`: options first, then the time, then the key. The time is
    /// converted to absolute milliseconds, refusing any overflow on the way; a time already
    /// past deletes the key (and still answers 1). `invalidTime` is the overflow error, which
    /// names the command.
    static func setExpiry(_ c: CommandContext, base: Int64, unit: ExpiryUnit, invalidTime: StaticString) {
        var condition = ExpiryCondition()
        for index in 3..<c.args.count {
            let option = c.args[index]
            if option.equalsCaseInsensitive("nx") {
                condition.nx = true
            } else if option.equalsCaseInsensitive("xx") {
                condition.xx = true
            } else if option.equalsCaseInsensitive("gt") {
                condition.gt = true
            } else if option.equalsCaseInsensitive("lt") {
                condition.lt = true
            } else {
                let message = Array("ERR Unsupported option ".utf8) + CommandExecutor.cString(option, limit: option.count)
                return c.reply.error(bytes: message)
            }
        }
        if condition.nx && (condition.xx || condition.gt || condition.lt) {
            return c.reply.error("ERR NX and XX, GT or LT options at the same time are not compatible")
        }
        if condition.gt && condition.lt {
            return c.reply.error("ERR GT and LT options at the same time are not compatible")
        }
        guard var when = RedisInteger.parse(c.args[2]) else { return c.reply.error(CommandError.notInteger) }
        if unit == .seconds {
            guard when <= Int64.max / 1000 && when >= Int64.min / 1000 else { return c.reply.error(invalidTime) }
            when *= 1000
        }
        guard when <= Int64.max - base else { return c.reply.error(invalidTime) }
        when += base

        let key = c.args[1]
        guard let record = c.db.lookup(key, now: c.now) else { return c.reply.integer(0) }
        guard condition.allows(current: record.expireAt, newTime: when) else { return c.reply.integer(0) }
        if when <= c.now {
            c.db.delete(key)
        } else {
            c.db.setExpiry(key, .at(when))
        }
        c.reply.integer(1)
    }
}
