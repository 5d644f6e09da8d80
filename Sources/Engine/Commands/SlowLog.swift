import RESP
import Synchronization

/// One shard's part of SLOWLOG: the commands it ran that took at least
/// `slowlog-log-slower-than` microseconds, newest last.
///
/// Redis keeps one list for the server; here each shard appends to its own, on its own thread,
/// with no lock. What makes the parts one list is `SlowLogSequence`, which every shard shares:
/// entry ids come from one counter, and the entries Redis would have dropped (trimmed to
/// `slowlog-max-len` at each append, or emptied by SLOWLOG RESET) are those at or below one
/// shared floor. So SLOWLOG GET and LEN, which run with every shard held, see exactly Redis's
/// list: the entries above the floor, newest (highest id) first.
public final class SlowLog {
    /// What SLOWLOG GET shows of one command: Redis's six fields.
    public struct Entry {
        public let id: Int64
        /// Unix time in seconds when it was logged.
        public let time: Int64
        public let microseconds: Int64
        /// At most `maximumArguments`, each at most `maximumArgumentLength` bytes plus a note.
        public let arguments: [[UInt8]]
        public let peer: String
        public let clientName: [UInt8]
    }

    /// Redis's SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING.
    static let maximumArguments = 32
    static let maximumArgumentLength = 128
    static let redacted = Array("(redacted)".utf8)

    public let sequence: SlowLogSequence
    /// Oldest first. Entries before `start` are forgotten; they are dropped from the array
    /// only once they are half of it, so that a long log does not shift on every append.
    private var entries: [Entry] = []
    private var start = 0

    public init(sequence: SlowLogSequence) {
        self.sequence = sequence
    }

    /// Logs a command that ran for `microseconds`, its arguments as Redis keeps them: the
    /// first 31 and a count of the rest when there are more than 32, long ones cut at 128
    /// bytes with a count of the rest, and the ones a handler marked secret (`redacted`, a bit
    /// per position) replaced.
    func append(_ args: Arguments, redacted: UInt64, microseconds: Int64, now: Int64, session: ClientSession) {
        let kept = min(args.count, Self.maximumArguments)
        var arguments: [[UInt8]] = []
        arguments.reserveCapacity(kept)
        for index in 0..<kept {
            if kept < args.count && index == kept - 1 {
                arguments.append(Array("... (\(args.count - kept + 1) more arguments)".utf8))
            } else if index < 64 && redacted & (1 << UInt64(index)) != 0 {
                arguments.append(Self.redacted)
            } else if args[index].count > Self.maximumArgumentLength {
                let cut = args[index].bytes.prefix(Self.maximumArgumentLength)
                arguments.append(Array(cut) + Array("... (\(args[index].count - Self.maximumArgumentLength) more bytes)".utf8))
            } else {
                arguments.append(args[index].array)
            }
        }
        let id = sequence.nextID()
        entries.append(Entry(id: id, time: now / 1000, microseconds: microseconds, arguments: arguments,
                             peer: session.peerAddress, clientName: session.name))
        sequence.keepNewest(below: id + 1)
        dropForgotten()
    }

    /// The entries still in the server's list, oldest first.
    public var current: ArraySlice<Entry> {
        dropForgotten()
        return entries[start...]
    }

    /// Forgets what the shared floor has passed.
    private func dropForgotten() {
        let floor = sequence.floor
        while start < entries.count && entries[start].id <= floor { start += 1 }
        if start > 0 && start * 2 >= entries.count {
            entries.removeFirst(start)
            start = 0
        }
    }
}

/// What the shards' slow logs share (`SlowLog`): the next entry id, the floor at or below
/// which entries are gone, and `slowlog-max-len`. Atomics, because shards append on their own
/// threads; contended only when commands are slow enough to be logged.
public final class SlowLogSequence: Sendable {
    private let next = Atomic<Int64>(0)
    private let forgottenThrough = Atomic<Int64>(-1)
    private let maximumLength = Atomic<Int64>(128)

    public init() {}

    /// `slowlog-max-len`. Like Redis, a smaller length trims the list at the next append.
    public func setMaximumLength(_ length: Int64) {
        maximumLength.store(length, ordering: .relaxed)
    }

    var floor: Int64 { forgottenThrough.load(ordering: .relaxed) }

    func nextID() -> Int64 {
        next.add(1, ordering: .relaxed).oldValue
    }

    /// After an append whose id is `end - 1`: Redis trims its list to the newest
    /// `slowlog-max-len`, so everything up to `end - 1 - max-len` is gone.
    func keepNewest(below end: Int64) {
        raiseFloor(to: end - 1 - maximumLength.load(ordering: .relaxed))
    }

    /// SLOWLOG RESET: every entry logged so far is gone; ids go on counting.
    public func forgetAll() {
        raiseFloor(to: next.load(ordering: .relaxed) - 1)
    }

    private func raiseFloor(to value: Int64) {
        var current = forgottenThrough.load(ordering: .relaxed)
        while value > current {
            let (exchanged, original) = forgottenThrough.compareExchange(
                expected: current, desired: value, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}
