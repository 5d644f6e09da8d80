#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import RESP

/// Per-command counters for INFO commandstats, indexed by `CommandTable.Command.id`.
/// Owned by one shard; not shared.
public struct CommandStatistics {
    public var calls: [Int64]
    public var microseconds: [Int64]
    public var rejectedCalls: [Int64]
    public var failedCalls: [Int64]

    init(count: Int) {
        calls = Array(repeating: 0, count: count)
        microseconds = calls
        rejectedCalls = calls
        failedCalls = calls
    }

    public mutating func reset() { self = CommandStatistics(count: calls.count) }
}

/// Resolves a request to its command, applies Redis's generic checks (unknown command, unknown
/// subcommand, arity) with Redis's exact errors, runs the handler and counts it.
public struct CommandExecutor {
    public let table: CommandTable
    public var statistics: CommandStatistics
    /// Total commands processed (INFO `total_commands_processed`).
    public private(set) var processed: Int64 = 0

    public init(table: CommandTable) {
        self.table = table
        self.statistics = CommandStatistics(count: table.commands.count)
    }

    /// Executes the command in `context.args`, writing exactly one reply.
    public mutating func execute(_ context: CommandContext) {
        let args = context.args
        processed += 1
        guard let top = table.lookup(args[0]) else {
            return Self.replyUnknownCommand(args, context.reply)
        }
        var command = top
        if top.spec.isContainer && args.count >= 2 {
            guard let sub = table.subcommand(of: top, named: args[1]) else {
                let message = Array("ERR unknown subcommand '".utf8) + Self.cString(args[1], limit: 128)
                    + Array("'. Try \(top.spec.name.uppercased()) HELP.".utf8)
                return context.reply.error(bytes: message)
            }
            command = sub
        }
        let arity = command.spec.arity
        if (arity > 0 && arity != args.count) || args.count < -arity {
            statistics.rejectedCalls[command.id] += 1
            return context.reply.error("ERR wrong number of arguments for '\(command.fullName)' command")
        }
        context.session.lastCommand = command.fullName
        let replyStart = context.reply.buffer.writerIndex
        let started = Self.monotonicMicroseconds()
        command.spec.handler(context)
        statistics.microseconds[command.id] += Self.monotonicMicroseconds() - started
        statistics.calls[command.id] += 1
        let buffer = context.reply.buffer
        if buffer.writerIndex > replyStart
            && buffer.storage.load(fromByteOffset: replyStart, as: UInt8.self) == UInt8(ascii: "-")
        {
            statistics.failedCalls[command.id] += 1
        }
    }

    /// "ERR unknown command 'x', with args beginning with: 'a' 'b' " as Redis 7 words it.
    static func replyUnknownCommand(_ args: Arguments, _ reply: ReplyWriter) {
        var preview: [UInt8] = []
        var index = 1
        while index < args.count && preview.count < 128 {
            preview += [UInt8(ascii: "'")] + cString(args[index], limit: 128 - preview.count) + Array("' ".utf8)
            index += 1
        }
        let message = Array("ERR unknown command '".utf8) + cString(args[0], limit: 128)
            + Array("', with args beginning with: ".utf8) + preview
        reply.error(bytes: message)
    }

    /// The bytes as C's `%.*s` would print them: up to `limit` bytes, stopping at a NUL.
    static func cString(_ view: ByteView, limit: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for i in 0..<min(view.count, limit) {
            let byte = view[i]
            if byte == 0 { break }
            bytes.append(byte)
        }
        return bytes
    }

    @inline(__always)
    static func monotonicMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
    }
}
