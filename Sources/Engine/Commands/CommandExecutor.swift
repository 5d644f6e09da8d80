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
    /// Time spent in each command, in `CycleClock` ticks (see `microseconds(of:)`).
    public var cycles: [UInt64]
    public var rejectedCalls: [Int64]
    public var failedCalls: [Int64]
    /// Error replies by error code ("ERR", "WRONGTYPE"), for INFO errorstats and
    /// `total_error_replies`: unknown commands and arity errors included.
    public var errorReplies: [[UInt8]: Int64] = [:]

    init(count: Int) {
        calls = Array(repeating: 0, count: count)
        cycles = Array(repeating: 0, count: count)
        rejectedCalls = calls
        failedCalls = calls
    }

    public mutating func reset() { self = CommandStatistics(count: calls.count) }

    /// Microseconds spent in command `id` (INFO commandstats `usec`).
    public func microseconds(of id: Int) -> Int64 { CycleClock.microseconds(cycles[id]) }
}

/// Resolves a request to its command, applies Redis's generic checks (unknown command, unknown
/// subcommand, arity) with Redis's exact errors, runs the handler and counts it.
///
/// A class, not a struct: handlers such as INFO read the counters while `execute` is running,
/// which a mutating method on a value stored in the shard would forbid (exclusive access).
/// Owned by one shard; used on its thread only.
public final class CommandExecutor {
    public let table: CommandTable
    public var statistics: CommandStatistics
    /// Total commands processed (INFO `total_commands_processed`).
    public private(set) var processed: Int64 = 0

    /// CONFIG RESETSTAT: zero the per-command counters, the command total and the latency
    /// histograms.
    public func resetStatistics() {
        statistics.reset()
        latencyHistograms.reset()
        processed = 0
    }

    /// This shard's part of SLOWLOG.
    public let slowLog: SlowLog
    /// `slowlog-log-slower-than` in microseconds (negative: off).
    private var slowLogMicroseconds: Int64 = 10_000
    /// This shard's part of the latency monitor, and `latency-monitor-threshold` in
    /// milliseconds (0: off).
    public let latencyMonitor = LatencyMonitor()
    private var latencyMonitorMilliseconds: Int64 = 0
    /// The shorter of the two thresholds above as ticks of `CycleClock`, rounded down
    /// (`UInt64.max` when both are off): comparing ticks is all a command that is not slow
    /// pays for the slow log and the latency monitor.
    private var slowTicks: UInt64 = CycleClock.ticks(microseconds: 10_000)

    /// This shard's per-command latency histograms (INFO latencystats, LATENCY HISTOGRAM),
    /// recorded while `latency-tracking` is on.
    public let latencyHistograms: CommandLatencyRecorder
    public var tracksLatency = true
    /// `CycleClock`'s rate, kept here so that the per-call conversion reads no lazy global:
    /// ticks in a microsecond, rounded down (fewer are 0 µs), and its inverse.
    private let oneMicrosecond = CycleClock.ticks(microseconds: 1)
    private let microsecondsPerTick = 1 / CycleClock.ticksPerMicrosecond
    /// Arguments of the running command that SLOWLOG must not show (a bit per position): the
    /// credentials of HELLO's AUTH, as Redis redacts them.
    @usableFromInline var redactedArguments: UInt64 = 0

    /// CONFIG SET slowlog-log-slower-than and latency-monitor-threshold.
    public func setSlowThresholds(slowLogMicroseconds: Int64, latencyMonitorMilliseconds: Int64) {
        self.slowLogMicroseconds = slowLogMicroseconds
        self.latencyMonitorMilliseconds = latencyMonitorMilliseconds
        let slowLogTicks = slowLogMicroseconds < 0 ? UInt64.max : CycleClock.ticks(microseconds: slowLogMicroseconds)
        let (monitorMicroseconds, overflow) = latencyMonitorMilliseconds.multipliedReportingOverflow(by: 1000)
        let monitorTicks = latencyMonitorMilliseconds <= 0 ? UInt64.max : CycleClock.ticks(microseconds: overflow ? .max : monitorMicroseconds)
        slowTicks = min(slowLogTicks, monitorTicks)
    }

    /// Called after each command runs, with its id and the arguments it redacted (a bit per
    /// position), while the server has monitors (MONITOR's feed); nil otherwise, so that a
    /// command pays one test for it.
    public var commandObserver: ((Int, CommandContext, UInt64) -> Void)?

    /// Who AUTH authenticates and whether clients must (`requirepass`).
    public var defaultUser = DefaultUser(requirepass: [])
    /// Who may run DEBUG, the one command flagged `protected` (`enable-debug-command`).
    public var debugCommandAccess = ProtectedCommandAccess.no

    /// Per command id: whether it runs at once inside MULTI instead of being queued.
    @usableFromInline let runsInTransaction: [Bool]
    /// EXEC's id: its arity error aborts the transaction; routing finds the keys it needs.
    public let execID: Int?

    public init(table: CommandTable, slowLog: SlowLog = SlowLog(sequence: SlowLogSequence())) {
        self.table = table
        self.slowLog = slowLog
        self.statistics = CommandStatistics(count: table.commands.count)
        self.latencyHistograms = CommandLatencyRecorder(commandCount: table.commands.count)
        let immediate: Set<String> = ["exec", "discard", "multi", "watch", "quit", "reset"]
        runsInTransaction = table.commands.map { immediate.contains($0.fullName) }
        execID = table.commands.first { $0.fullName == "exec" }?.id
    }

    /// Executes the command in `context.args`, writing exactly one reply — or queues it, inside
    /// MULTI.
    public func execute(_ context: CommandContext) {
        guard let id = resolve(context) else { return }
        if queueInTransaction(id, context) { return }
        run(id, context)
    }

    /// The id of the command (or subcommand) in `context.args`, after Redis's generic checks
    /// (unknown command, arity, authentication); nil when one failed, its error already
    /// replied and counted (and the client's transaction, if any, doomed). A sharded server
    /// resolves first to learn where the command must run, then calls `run`.
    public func resolve(_ context: CommandContext) -> Int? {
        let resolution = table.resolve(context.args)
        if case .command(let id) = resolution, context.withSession({ $0.admitsEveryCommand }) { return id }
        return refuse(resolution, context)
    }

    /// `resolve` for everything but a plain client's runnable command: a protected command
    /// (DEBUG), or the command of a client that has not authenticated or is a monitor (run, or
    /// refused), or the error of an unknown command or a wrong arity. Kept out of line, so the
    /// common case stays short.
    @inline(never)
    private func refuse(_ resolution: CommandTable.Resolution, _ context: CommandContext) -> Int? {
        let args = context.args
        switch resolution {
        case .command(let id), .protected(let id):
            if admitsRestricted(id, context.session) { return id }
            refuseRestricted(id, context)
            return nil
        default:
            break
        }
        context.session.transaction?.isDoomed = true
        // CLIENT LIST's `cmd=` is what Redis looked up: the command of a wrong arity, nothing
        // for an unknown command or subcommand.
        if case .wrongArity(let id) = resolution { context.session.lastCommandID = id } else { context.session.lastCommandID = -1 }
        switch resolution {
        case .command, .protected:
            break
        case .unknownCommand:
            statistics.errorReplies[Self.genericErrorCode, default: 0] += 1
            Self.replyUnknownCommand(args, context.reply)
        case .unknownSubcommand(let container):
            statistics.errorReplies[Self.genericErrorCode, default: 0] += 1
            let message = Array("ERR unknown subcommand '".utf8) + Self.cString(args[1], limit: 128)
                + Array("'. Try \(table.commands[container].spec.name.uppercased()) HELP.".utf8)
            context.reply.error(bytes: message)
        case .wrongArity(let id) where id == execID:
            statistics.rejectedCalls[id] += 1
            abortTransaction(because: "wrong number of arguments for 'exec' command", context)
        case .wrongArity(let id):
            statistics.rejectedCalls[id] += 1
            statistics.errorReplies[Self.genericErrorCode, default: 0] += 1
            context.reply.error("ERR wrong number of arguments for '\(table.commands[id].fullName)' command")
        }
        return nil
    }

    /// Whether `session` may run command `id` now, once the command is known and its arity
    /// checked (Redis's `processCommand`): a client that has not authenticated while the default
    /// user requires a password may run only commands flagged `no_auth`, and a monitor none
    /// that reads or writes keys. Inlinable: a sharded server asks it of every request before
    /// routing it (a plain client pays one load).
    @inlinable
    public func admits(_ id: Int, _ session: ClientSession) -> Bool {
        session.admitsEveryCommand || admitsRestricted(id, session)
    }

    @usableFromInline
    func admitsRestricted(_ id: Int, _ session: ClientSession) -> Bool {
        refusal(of: id, session) == nil
    }

    /// Redis's `authRequired`: the client has not authenticated and the default user has a
    /// password.
    @inlinable
    public func mustAuthenticate(_ session: ClientSession) -> Bool {
        !session.isAuthenticated && defaultUser.requiresPassword
    }

    /// The error that refuses command `id` to `session`, in Redis's order of checks (a
    /// protected command's directive, authentication, a monitor's keyspace); nil when it may
    /// run.
    private func refusal(of id: Int, _ session: ClientSession) -> String? {
        let spec = table.commands[id].spec
        let flags = spec.flags
        if flags.contains(.protected) && !allowsProtected(id, session) {
            return "ERR \(spec.name.uppercased()) command not allowed. If the enable-\(spec.name)-command option is set to \"local\", "
                + "you can run it from a local connection, otherwise you need to set this option in the configuration "
                + "file, and then restart the server."
        }
        if mustAuthenticate(session) && !flags.contains(.noAuth) {
            return "NOAUTH Authentication required."
        }
        if session.isMonitor && !flags.isDisjoint(with: [.write, .readonly, .mayReplicate]) {
            return "ERR Replica can't interact with the keyspace"
        }
        return nil
    }

    /// A command `admits` refused: its error (inside EXEC: EXECABORT), counted as a rejected
    /// call, the client's transaction doomed.
    @inline(never)
    private func refuseRestricted(_ id: Int, _ context: CommandContext) {
        let session = context.session
        guard let message = refusal(of: id, session) else { return }
        session.transaction?.isDoomed = true
        session.lastCommandID = id
        statistics.rejectedCalls[id] += 1
        if id == execID {
            abortTransaction(because: message, context)
        } else {
            let start = context.reply.writerIndex
            context.reply.error(message)
            let buffer = context.reply.buffer
            countErrorReply(buffer.storage + start, count: buffer.writerIndex - start)
        }
    }

    /// Whether `session` may run protected command `id`: Redis's `allowProtectedAction` for
    /// DEBUG, the only protected command here.
    public func allowsProtected(_ id: Int, _ session: ClientSession) -> Bool {
        debugCommandAccess.allows(session)
    }

    /// Runs resolved command `id` and counts it (calls, time, failures by error code). A
    /// command EXEC runs is not the client's last command (CLIENT LIST shows `cmd=exec`).
    public func run(_ id: Int, _ context: CommandContext, queued: Bool = false) {
        if !queued { context.withSession { $0.lastCommandID = id } }
        let replyStart = context.reply.writerIndex
        let started = CycleClock.now()
        table.dispatch[id].handler(context)
        let elapsed = CycleClock.now() &- started
        statistics.cycles[id] &+= elapsed
        if elapsed >= slowTicks { noteSlow(id, context, ticks: elapsed) }
        if let commandObserver { commandObserver(id, context, redactedArguments) }
        if tracksLatency {
            if elapsed < oneMicrosecond {
                latencyHistograms.recordUnderAMicrosecond(id)  // most commands: no clock conversion
            } else {
                latencyHistograms.record(id, microseconds: Int64(Double(elapsed) * microsecondsPerTick))
            }
        }
        redactedArguments = 0
        statistics.calls[id] += 1
        processed += 1  // after the call, as Redis's `call()`: INFO does not count itself, rejected calls do not count
        if context.reply.firstByte(since: replyStart) == UInt8(ascii: "-") {
            statistics.failedCalls[id] += 1
            let buffer = context.reply.buffer
            countErrorReply(buffer.storage + replyStart, count: buffer.writerIndex - replyStart)
        }
    }

    /// A command that may have reached a threshold. Redis's `latencyAddSampleIfNeeded`: at
    /// least `latency-monitor-threshold` milliseconds is a "fast-command" or "command" event.
    /// Redis's `slowlogPushCurrentCommand`: at least the slow log's threshold is logged, EXEC
    /// excepted (the commands it ran are logged one by one).
    @inline(never)
    private func noteSlow(_ id: Int, _ context: CommandContext, ticks: UInt64) {
        let microseconds = CycleClock.microseconds(ticks)
        let flags = table.commands[id].spec.flags
        if latencyMonitorMilliseconds > 0 && microseconds / 1000 >= latencyMonitorMilliseconds {
            latencyMonitor.add(flags.contains(.fast) ? "fast-command" : "command", milliseconds: microseconds / 1000, now: context.now / 1000)
        }
        guard slowLogMicroseconds >= 0, microseconds >= slowLogMicroseconds, !flags.contains(.skipSlowlog) else { return }
        context.withSession { session in
            slowLog.append(context.args, redacted: redactedArguments, microseconds: microseconds, now: context.now, session: session)
        }
    }

    static let genericErrorCode = Array("ERR".utf8)

    /// Counts an error reply under its code, as Redis's `afterErrorReply`: the word after "-",
    /// if a space ends it within the first 32 bytes, else "ERR".
    private func countErrorReply(_ reply: UnsafeMutableRawPointer, count: Int) {
        if count >= 5 && memcmp(reply + 1, "ERR ", 4) == 0 {  // the common code, without an allocation
            statistics.errorReplies[Self.genericErrorCode, default: 0] += 1
            return
        }
        var code = Self.genericErrorCode
        for index in 1..<min(count, 32) {
            let byte = reply.load(fromByteOffset: index, as: UInt8.self)
            if byte == UInt8(ascii: " ") {
                code = Array(UnsafeRawBufferPointer(start: reply + 1, count: index - 1))
                break
            }
            if byte == UInt8(ascii: "\r") { break }
        }
        statistics.errorReplies[code, default: 0] += 1
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
    public static func cString(_ view: ByteView, limit: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for i in 0..<min(view.count, limit) {
            let byte = view[i]
            if byte == 0 { break }
            bytes.append(byte)
        }
        return bytes
    }

}
