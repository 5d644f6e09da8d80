/// One shard's per-command latency histograms (`latency-tracking`), recorded on every call.
///
/// Recording is on every command's path, so it is a table of raw count arrays, one per command
/// id, each allocated at the command's first call as Redis allocates its histograms: no
/// reference counting and no copy-on-write check per call. What makes it safe: the table and
/// its arrays belong to this recorder, live until `reset` or `deinit` frees them, are used on
/// the shard's thread only, and every index is the histogram layout's own (`LatencyHistogram.index`,
/// in range for the clamped values recorded). Readers get copies (`histogram(of:)`).
public final class CommandLatencyRecorder {
    private let commandCount: Int
    private let table: UnsafeMutablePointer<UnsafeMutablePointer<Int64>?>

    public init(commandCount: Int) {
        self.commandCount = commandCount
        table = .allocate(capacity: commandCount)
        table.initialize(repeating: nil, count: commandCount)
    }

    deinit {
        reset()
        table.deallocate()
    }

    /// Counts one call of command `id` that took `microseconds`, in nanoseconds as Redis does
    /// (so a call under a microsecond counts as 1 ns, and nothing finer than a microsecond
    /// is seen), clamped to the histogram's range.
    @inline(__always)
    public func record(_ id: Int, microseconds: Int64) {
        let nanoseconds = min(max(microseconds &* 1000, LatencyHistogram.lowestValue), LatencyHistogram.highestValue)
        let counts = table[id] ?? allocate(id)
        counts[LatencyHistogram.index(of: nanoseconds)] &+= 1
    }

    /// `record(id, microseconds: 0)` without the arithmetic: a call under a microsecond is
    /// counted at 1 ns, whose index is 1.
    @inline(__always)
    public func recordUnderAMicrosecond(_ id: Int) {
        let counts = table[id] ?? allocate(id)
        counts[1] &+= 1
    }

    @inline(never)
    private func allocate(_ id: Int) -> UnsafeMutablePointer<Int64> {
        let counts = UnsafeMutablePointer<Int64>.allocate(capacity: LatencyHistogram.countsLength)
        counts.initialize(repeating: 0, count: LatencyHistogram.countsLength)
        table[id] = counts
        return counts
    }

    /// A copy of command `id`'s histogram; nil if it was not called since the last reset.
    public func histogram(of id: Int) -> LatencyHistogram? {
        guard id < commandCount, let counts = table[id] else { return nil }
        return LatencyHistogram(counts: Array(UnsafeBufferPointer(start: counts, count: LatencyHistogram.countsLength)))
    }

    /// CONFIG RESETSTAT: every histogram is gone, as in Redis.
    public func reset() {
        for id in 0..<commandCount {
            table[id]?.deallocate()
            table[id] = nil
        }
    }
}
