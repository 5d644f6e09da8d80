import RESP

/// Commands that read a string as a number and store the result: INCR DECR INCRBY DECRBY
/// (64-bit integers, overflow refused) and INCRBYFLOAT (extended precision, Redis `t_string.c`
/// `incrDecrCommand`/`incrbyfloatCommand`). The key's time to live is kept.
extension StringCommands {
    /// Why adding to a stored integer failed.
    enum IntegerIncrementError: Error {
        case wrongType, notInteger, overflow

        var message: StaticString {
            switch self {
            case .wrongType: return CommandError.wrongType
            case .notInteger: return CommandError.notInteger
            case .overflow: return CommandError.overflow
            }
        }
    }

    /// Adds `increment` to the integer at `key` (a missing key counts as 0) and stores the sum
    /// `int`-encoded, keeping the TTL.
    static func incrementInteger(
        _ db: Database, _ key: ByteView, by increment: Int64, now: Int64
    ) -> Result<Int64, IntegerIncrementError> {
        var current: Int64 = 0
        if let record = db.lookup(key, now: now) {
            guard record.type == .string else { return .failure(.wrongType) }
            switch record.stringValue {
            case .integer(let integer): current = integer
            case .bytes(let bytes):
                guard let integer = RedisInteger.parse(bytes) else { return .failure(.notInteger) }
                current = integer
            }
        }
        let (sum, overflow) = current.addingReportingOverflow(increment)
        if overflow { return .failure(.overflow) }
        db.setString(key, .integer(sum), expiry: .keep, now: now)
        return .success(sum)
    }

    static func incr(_ c: CommandContext) { replyIncrement(c, by: 1) }

    static func decr(_ c: CommandContext) { replyIncrement(c, by: -1) }

    static func incrby(_ c: CommandContext) {
        guard let increment = RedisInteger.parse(c.args[2]) else { return c.reply.error(CommandError.notInteger) }
        replyIncrement(c, by: increment)
    }

    static func decrby(_ c: CommandContext) {
        guard let decrement = RedisInteger.parse(c.args[2]) else { return c.reply.error(CommandError.notInteger) }
        // Negating Int64.min would overflow; Redis refuses it with its own message.
        guard decrement != Int64.min else { return c.reply.error("ERR decrement would overflow") }
        replyIncrement(c, by: -decrement)
    }

    private static func replyIncrement(_ c: CommandContext, by increment: Int64) {
        switch incrementInteger(c.db, c.args[1], by: increment, now: c.now) {
        case .success(let value): c.reply.integer(value)
        case .failure(let error): c.reply.error(error.message)
        }
    }

    static func incrbyfloat(_ c: CommandContext) {
        let key = c.args[1]
        var current: Float80 = 0
        if let record = c.db.lookup(key, now: c.now) {
            guard record.type == .string else { return c.reply.error(CommandError.wrongType) }
            switch record.stringValue {
            case .integer(let integer): current = Float80(integer)
            case .bytes(let bytes):
                guard let value = LongDoubleText.parse(bytes) else { return c.reply.error(CommandError.notFloat) }
                current = value
            }
        }
        guard let increment = LongDoubleText.parse(c.args[2]) else { return c.reply.error(CommandError.notFloat) }
        let sum = current + increment
        guard sum.isFinite else { return c.reply.error("ERR increment would produce NaN or Infinity") }
        // Redis stores the printed text, not an integer, even when it reads like one.
        LongDoubleText.withHumanFriendlyText(sum) { text in
            c.db.setString(key, .bytes(text), expiry: .keep, now: c.now)
            c.reply.bulk(text)
        }
    }
}
