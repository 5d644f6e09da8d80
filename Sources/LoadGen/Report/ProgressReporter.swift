#if canImport(Glibc)
import Glibc
#endif

/// memtier's live progress line on stderr, rewritten in place once a second:
/// `[RUN #1 40%,   4 secs]  4 threads 200 conns:  123456 ops,  30000 (avg:  30000) ops/sec,
/// 1.23MB/sec (avg: 1.20MB/sec),  0.52 (avg:  0.52) msec latency`.
final class ProgressReporter {
    private let runNumber: Int
    private let threads: Int
    private let connections: Int
    private let duration: Double?
    private let expectedRequests: Int?
    private let start: UInt64
    private let enabled: Bool
    private var lastPrint: UInt64
    private var last = (ops: 0, latency: 0, bytes: 0)
    /// The last "current" rates shown: the final line, drawn moments after the previous one,
    /// repeats them instead of dividing a few requests by a few milliseconds.
    private var current = (ops: 0.0, bytes: 0.0, latency: 0.0)

    init(runNumber: Int, config: BenchmarkConfig, duration: Double?, start: UInt64, enabled: Bool) {
        self.runNumber = runNumber
        threads = config.threads
        connections = config.totalConnections
        self.duration = duration
        switch config.runLength {
        case .requestsPerConnection(let count): expectedRequests = count * config.totalConnections
        case .allKeys: expectedRequests = config.keyCount
        case .seconds: expectedRequests = nil
        }
        self.start = start
        self.enabled = enabled
        lastPrint = start
    }

    func tick(_ progress: [WorkerProgress]) {
        let now = MonotonicClock.now()
        guard enabled, now - lastPrint >= 1_000_000_000 else { return }
        emit(progress, now: now)
    }

    func finish(_ progress: [WorkerProgress]) {
        guard enabled else { return }
        emit(progress, now: MonotonicClock.now())
        StandardError.write("\n\n")
    }

    private func emit(_ progress: [WorkerProgress], now: UInt64) {
        let ops = progress.reduce(0) { $0 + $1.completed.load(ordering: .relaxed) }
        let latency = progress.reduce(0) { $0 + $1.latencyMicrosTotal.load(ordering: .relaxed) }
        let bytes = progress.reduce(0) { $0 + $1.bytes.load(ordering: .relaxed) }
        let elapsed = Double(now - start) / 1e9
        let interval = max(Double(now - lastPrint) / 1e9, 1e-9)
        let percent: Double
        if let duration {
            percent = min(100, 100 * elapsed / duration)
        } else if let expected = expectedRequests, expected > 0 {
            percent = min(100, 100 * Double(ops) / Double(expected))
        } else {
            percent = 0
        }
        if interval >= 0.5 {
            current = (Double(ops - last.ops) / interval, Double(bytes - last.bytes) / interval,
                       ops > last.ops ? Double(latency - last.latency) / Double(ops - last.ops) / 1000 : 0)
        }
        let (currentOps, currentBytes, currentLatency) = current
        let averageOps = Double(ops) / max(elapsed, 1e-9)
        let averageLatency = ops > 0 ? Double(latency) / Double(ops) / 1000 : 0
        let line = "[RUN #\(runNumber) \(Text.fixed(percent, 0))%, \(Text.pad(String(Int(elapsed)), 3)) secs] "
            + "\(Text.pad(String(threads), 2)) threads \(Text.pad(String(connections), 2)) conns: \(Text.pad(String(ops), 11)) ops, "
            + "\(Text.pad(String(Int(currentOps)), 7)) (avg: \(Text.pad(String(Int(averageOps)), 7))) ops/sec, "
            + "\(Text.byteRate(currentBytes))/sec (avg: \(Text.byteRate(Double(bytes) / max(elapsed, 1e-9)))/sec), "
            + "\(Text.pad(Text.fixed(currentLatency, 2), 5)) (avg: \(Text.pad(Text.fixed(averageLatency, 2), 5))) msec latency\r"
        StandardError.write(line)
        last = (ops, latency, bytes)
        lastPrint = now
    }
}
