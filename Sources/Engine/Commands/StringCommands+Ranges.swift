import RESP

/// Commands that address bytes inside a string: APPEND STRLEN GETRANGE SUBSTR SETRANGE.
/// Edits happen in place through `Keyspace.mutateString`, so an edited value is `raw`-encoded
/// and keeps its time to live; no edit may grow a string past `DataStore.maximumStringLength`.
extension StringCommands {
    static func append(_ c: CommandContext) {
        let key = c.args[1]
        let suffix = c.args[2]
        guard let record = c.db.lookup(key, now: c.now) else {
            // A new key is stored as SET would store it (possibly `int`-encoded).
            c.db.setString(key, encoded(suffix), expiry: .clear, now: c.now)
            return c.reply.integer(suffix.count)
        }
        guard record.type == .string else { return c.reply.error(CommandError.wrongType) }
        let oldLength = length(of: record.stringValue)
        guard checkStringLength(c, Int64(oldLength), adding: Int64(suffix.count)) else { return }
        let newLength = oldLength + suffix.count
        c.db.mutateString(key, length: newLength, now: c.now) { bytes in
            (bytes.baseAddress! + oldLength).copyMemory(from: suffix.base, byteCount: suffix.count)
        }
        c.reply.integer(newLength)
    }

    static func strlen(_ c: CommandContext) {
        guard let record = readLookup(c, c.args[1]) else { return c.reply.integer(0) }
        guard record.type == .string else { return c.reply.error(CommandError.wrongType) }
        c.reply.integer(length(of: record.stringValue))
    }

    /// GETRANGE and SUBSTR. Negative offsets count from the end; the range is clamped to the
    /// string, and an empty range replies with an empty string.
    static func getrange(_ c: CommandContext) {
        guard var start = RedisInteger.parse(c.args[2]), var end = RedisInteger.parse(c.args[3]) else {
            return c.reply.error(CommandError.notInteger)
        }
        guard let record = readLookup(c, c.args[1]) else { return c.reply.bulk("") }
        guard record.type == .string else { return c.reply.error(CommandError.wrongType) }
        withBytes(of: record.stringValue) { value in
            let length = Int64(value.count)
            if start < 0 && end < 0 && start > end { return c.reply.bulk("") }
            if start < 0 { start += length }
            if end < 0 { end += length }
            start = max(start, 0)
            end = min(max(end, 0), length - 1)
            if start > end || length == 0 { return c.reply.bulk("") }
            c.reply.bulk(value.base + Int(start), count: Int(end - start + 1))
        }
    }

    static func setrange(_ c: CommandContext) {
        let key = c.args[1]
        let patch = c.args[3]
        guard let offset = RedisInteger.parse(c.args[2]) else { return c.reply.error(CommandError.notInteger) }
        guard offset >= 0 else { return c.reply.error("ERR offset is out of range") }
        var oldLength = 0
        if let record = c.db.lookup(key, now: c.now) {
            guard record.type == .string else { return c.reply.error(CommandError.wrongType) }
            oldLength = length(of: record.stringValue)
        }
        // Writing nothing changes nothing and, on a missing key, creates nothing.
        if patch.count == 0 { return c.reply.integer(oldLength) }
        guard checkStringLength(c, offset, adding: Int64(patch.count)) else { return }
        let start = Int(offset)
        let newLength = max(oldLength, start + patch.count)
        c.db.mutateString(key, length: newLength, now: c.now) { bytes in
            (bytes.baseAddress! + start).copyMemory(from: patch.base, byteCount: patch.count)
        }
        c.reply.integer(newLength)
    }
}
