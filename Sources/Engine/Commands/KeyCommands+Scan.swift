import RESP

/// KEYS SCAN RANDOMKEY: walking the keyspace.
extension KeyCommands {
    static func keys(_ c: CommandContext) {
        let matcher = GlobMatcher(pattern: c.args[1])
        let everything = matcher.matchesEverything
        let deferred = c.reply.beginDeferred()
        var count = 0
        c.db.forEach(now: c.now) { record in
            let key = record.key
            if everything || matcher.matches(key) {
                c.reply.bulk(key)
                count += 1
            }
        }
        c.reply.endDeferredArray(deferred, count: count)
    }

    static func randomkey(_ c: CommandContext) {
        guard let record = c.db.randomKey(now: c.now) else { return c.reply.null() }
        c.reply.bulk(record.key)
    }

    /// Redis's `scanGenericCommand` for the keyspace. The cursor is the keyspace's own, passed
    /// through as an unsigned decimal. Keys the keyspace hands out are filtered in Redis's
    /// order: MATCH, then TYPE (a counted read lookup, which reaps an expired key and calls it
    /// "none" — so `TYPE none` lists keys that have just expired, as Redis does), then expiry
    /// (an expired key is reaped and left out).
    static func scan(_ c: CommandContext) {
        guard let cursor = parseCursor(c.args[1]) else { return c.reply.error("ERR invalid cursor") }
        var count = 10
        var pattern: GlobMatcher? = nil
        var typeName: ByteView? = nil
        var index = 2
        while index < c.args.count {
            let option = c.args[index]
            let hasValue = c.args.count - index >= 2
            if option.equalsCaseInsensitive("count") && hasValue {
                guard let requested = RedisInteger.parse(c.args[index + 1]) else {
                    return c.reply.error(CommandError.notInteger)
                }
                guard requested >= 1 else { return c.reply.error(CommandError.syntax) }
                count = Int(requested)
            } else if option.equalsCaseInsensitive("match") && hasValue {
                let matcher = GlobMatcher(pattern: c.args[index + 1])
                pattern = matcher.matchesEverything ? nil : matcher
            } else if option.equalsCaseInsensitive("type") && hasValue {
                typeName = c.args[index + 1]
            } else {
                return c.reply.error(CommandError.syntax)
            }
            index += 2
        }

        let db = c.db
        var candidates: [(key: [UInt8], expired: Bool)] = []
        let next = db.scan(cursor: cursor, count: count) { record in
            let key = record.key
            if let pattern, !pattern.matches(key) { return }
            let expired = record.expireAt.map { $0 <= c.now } ?? false
            candidates.append((key.array, expired))
        }

        var keys: [[UInt8]] = []
        keys.reserveCapacity(candidates.count)
        for candidate in candidates {
            candidate.key.withByteView { key in
                if let typeName {
                    let record = lookupForRead(c, key, touch: false)
                    let matches = record.map { typeName.equalsCaseInsensitive($0.type.name) }
                        ?? typeName.equalsCaseInsensitive("none")
                    if matches { keys.append(candidate.key) }
                } else if candidate.expired {
                    _ = db.lookup(key, now: c.now, touch: false)  // reaps it
                } else {
                    keys.append(candidate.key)
                }
            }
        }

        c.reply.arrayHeader(2)
        c.reply.bulk(String(next))
        c.reply.arrayHeader(keys.count)
        for key in keys { c.reply.bulk(key) }
    }

    /// Redis's `parseScanCursorOrReply`: C's `strtoul` in base 10 over the whole argument
    /// (which stops at a NUL byte), except that leading white space is refused. So "+5", "007",
    /// "" (zero) and "-1" (2^64-1, strtoul negates modulo 2^64) are cursors; " 1", "1x" and
    /// anything past 2^64-1 are not.
    static func parseCursor(_ text: ByteView) -> UInt64? {
        guard text.count > 0 else { return 0 }
        let first = text[0]
        if first == 32 || (first >= 9 && first <= 13) { return nil }
        var index = 0
        if first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { index = 1 }
        let digitsStart = index
        var value: UInt64 = 0
        var overflow = false
        while index < text.count && text[index] >= UInt8(ascii: "0") && text[index] <= UInt8(ascii: "9") {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(text[index] - UInt8(ascii: "0")))
            overflow = overflow || o1 || o2
            value = sum
            index += 1
        }
        // Without digits strtoul stops at the very start: valid only for an empty C string.
        if index == digitsStart { return first == 0 ? 0 : nil }
        if (index < text.count && text[index] != 0) || overflow { return nil }
        return first == UInt8(ascii: "-") ? 0 &- value : value
    }
}
