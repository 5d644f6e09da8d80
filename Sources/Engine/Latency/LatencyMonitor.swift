/// One shard's part of Redis's latency monitor (`latency-monitor-threshold`): for each event
/// ("command", "fast-command"), the worst latency of each of the last 160 seconds that had one,
/// and the worst ever.
///
/// Redis keeps one series per event for the server; here each shard records what it ran, on its
/// own thread, and LATENCY reads them together (`merged`), holding every shard: one second's
/// worst is the worst of the shards' in that second, which is what one series would have kept.
public final class LatencyMonitor {
    /// Redis's LATENCY_TS_LEN.
    public static let historyLength = 160

    /// One event's samples, oldest first, one per second (Unix time), with the worst ever.
    public struct Series: Equatable, Sendable {
        public var samples: [Sample] = []
        public var highest: Int64 = 0
    }

    public struct Sample: Equatable, Sendable {
        public let time: Int64
        public var milliseconds: Int64
    }

    /// By event name, and the names in the order they first happened (the listing order).
    private var series: [String: Series] = [:]
    private var names: [String] = []

    public init() {}

    /// Redis's `latencyAddSample`: a later sample in the same second keeps only the worse one.
    public func add(_ event: String, milliseconds: Int64, now: Int64) {
        if series[event] == nil { names.append(event) }
        series[event, default: Series()].add(milliseconds, now: now)
    }

    /// Forgets the events `matching` (all when nil) and says which it had.
    public func reset(matching matches: (String) -> Bool = { _ in true }) -> Set<String> {
        let forgotten = Set(names.filter(matches))
        names.removeAll { forgotten.contains($0) }
        for name in forgotten { series[name] = nil }
        return forgotten
    }

    /// The shards' monitors as Redis's one: each event's samples joined by second (the worst
    /// of a second), the newest `historyLength` kept, in the order events first appeared on
    /// the first shard that has them.
    public static func merged(_ monitors: [LatencyMonitor]) -> [(name: String, series: Series)] {
        var order: [String] = []
        var joined: [String: Series] = [:]
        for monitor in monitors {
            for name in monitor.names {
                guard let part = monitor.series[name] else { continue }
                if joined[name] == nil { order.append(name) }
                joined[name, default: Series()].join(part)
            }
        }
        return order.map { ($0, joined[$0]!) }
    }
}

extension LatencyMonitor.Series {
    mutating func add(_ milliseconds: Int64, now: Int64) {
        highest = max(highest, milliseconds)
        if let last = samples.last, last.time == now {
            samples[samples.count - 1].milliseconds = max(last.milliseconds, milliseconds)
            return
        }
        samples.append(LatencyMonitor.Sample(time: now, milliseconds: milliseconds))
        if samples.count > LatencyMonitor.historyLength { samples.removeFirst(samples.count - LatencyMonitor.historyLength) }
    }

    mutating func join(_ other: LatencyMonitor.Series) {
        highest = max(highest, other.highest)
        var worst: [Int64: Int64] = [:]
        for sample in samples + other.samples { worst[sample.time] = max(worst[sample.time] ?? 0, sample.milliseconds) }
        samples = worst.sorted { $0.key < $1.key }.suffix(LatencyMonitor.historyLength)
            .map { LatencyMonitor.Sample(time: $0.key, milliseconds: $0.value) }
    }
}
