import Engine
import Glibc
import RESP
import Synchronization

/// MONITOR's fan-out: every command the server runs, as one line, to every monitor connection
/// on every shard.
///
/// A command runs on one shard's thread; its monitors may be served by others. The line is
/// queued here, under a lock, for each shard that serves monitors, and the shard is told once
/// (a message, or a flag when it is the same thread) to hand its queue to its monitors. The
/// lock is never taken while the server has no monitors: shards call in only through
/// `CommandExecutor.commandObserver`, which is set only while some monitor exists. Lines from
/// one shard reach a monitor in the order that shard ran them; lines of different shards
/// interleave as they arrive (Redis, with one thread, has a single order).
final class MonitorFeed: Sendable {
    private struct State {
        /// Per shard: how many monitors it serves, and the lines they have not been given yet.
        var monitors: [Int]
        var pending: [[UInt8]]
    }

    private let state: Mutex<State>
    /// Monitors on all shards; read without the lock by shards dropping their observer.
    private let total = Atomic<Int>(0)

    init(shardCount: Int) {
        state = Mutex(State(monitors: Array(repeating: 0, count: shardCount), pending: Array(repeating: [], count: shardCount)))
    }

    /// True once the last monitor has gone.
    var isIdle: Bool { total.load(ordering: .relaxed) == 0 }

    func added(on shard: Int) {
        state.withLock { $0.monitors[shard] += 1 }
        total.add(1, ordering: .relaxed)
    }

    func removed(on shard: Int) {
        state.withLock { state in
            state.monitors[shard] -= 1
            if state.monitors[shard] == 0 { state.pending[shard] = [] }
        }
        total.subtract(1, ordering: .relaxed)
    }

    /// Queues `line` for every shard with monitors; returns the shards whose queue it started
    /// (each must be told to deliver).
    func publish(_ line: [UInt8]) -> [Int] {
        state.withLock { state in
            var started: [Int] = []
            for shard in state.monitors.indices where state.monitors[shard] > 0 {
                if state.pending[shard].isEmpty { started.append(shard) }
                state.pending[shard] += line
            }
            return started
        }
    }

    /// The lines queued for `shard`'s monitors, emptying its queue.
    func take(for shard: Int) -> [UInt8] {
        state.withLock { state in
            defer { state.pending[shard] = [] }
            return state.pending[shard]
        }
    }

    /// One line as Redis's `replicationFeedMonitors` writes it: a simple string with the time
    /// (seconds and microseconds), the database and the client (`ip:port`, or `unix:` and the
    /// socket's path), then the arguments quoted, the redacted ones as "(redacted)".
    static func line(_ args: Arguments, redacted: UInt64, database: Int, client: ClientSession, unixSocket: String) -> [UInt8] {
        var now = timeval()
        gettimeofday(&now, nil)
        let microseconds = String(now.tv_usec)
        let peer = client.isUnixSocket ? "unix:\(unixSocket)" : client.peerAddress
        var line = Array("+\(now.tv_sec).\(String(repeating: "0", count: max(0, 6 - microseconds.count)))\(microseconds) [\(database) \(peer)] ".utf8)
        for index in 0..<args.count {
            if index > 0 { line.append(UInt8(ascii: " ")) }
            if index < 64 && redacted & (1 << UInt64(index)) != 0 {
                line += Array("\"(redacted)\"".utf8)
            } else {
                RedisQuoting.append(args[index].bytes, to: &line)
            }
        }
        return line + [13, 10]
    }
}
