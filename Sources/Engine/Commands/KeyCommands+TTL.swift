import RESP

/// TTL PTTL EXPIRETIME PEXPIRETIME: reading a key's expiry, relative or absolute.
extension KeyCommands {
    static func ttl(_ c: CommandContext) { replyExpiry(c, milliseconds: false, absolute: false) }
    static func pttl(_ c: CommandContext) { replyExpiry(c, milliseconds: true, absolute: false) }
    static func expiretime(_ c: CommandContext) { replyExpiry(c, milliseconds: false, absolute: true) }
    static func pexpiretime(_ c: CommandContext) { replyExpiry(c, milliseconds: true, absolute: true) }

    /// Redis's `ttlGenericCommand`: -2 without the key, -1 without an expiry, else the time
    /// (never negative). Seconds are rounded to the nearest, computed unsigned as Redis's
    /// compiled code does, so `PEXPIREAT k 9223372036854775807` then EXPIRETIME gives
    /// 9223372036854776.
    static func replyExpiry(_ c: CommandContext, milliseconds: Bool, absolute: Bool) {
        guard let record = lookupForRead(c, c.args[1], touch: false) else { return c.reply.integer(-2) }
        guard let expireAt = record.expireAt else { return c.reply.integer(-1) }
        let time = max(absolute ? expireAt : expireAt - c.now, 0)
        c.reply.integer(milliseconds ? time : Int64((UInt64(time) + 500) / 1000))
    }
}
