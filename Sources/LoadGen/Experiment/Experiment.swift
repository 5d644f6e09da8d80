/// A declarative benchmark run (`Experiments/*.yaml`): which servers to compare, where they
/// and the load run, how to fill them, which workloads to measure, how often and how long,
/// and which figures to keep. `ExperimentParser` reads it; the experiment runner carries it
/// out and records one `Results/` file per run.
public struct Experiment: Sendable, Equatable {
    /// One server under comparison. `command` is `ferrite` (this checkout's release build),
    /// `redis` (Debian's redis-server without persistence) or any executable, each followed by
    /// its own arguments; `{port}` in it is replaced by the port the runner picks (for
    /// `ferrite` and `redis` the port is added when absent).
    public struct Server: Sendable, Equatable {
        public var name: String
        public var command: [String]
        /// Compared with, not tested: the first reference is what ratios are taken against.
        public var reference: Bool
    }

    /// CPUs as `taskset -c` takes them ("0", "0-1", "0,2").
    public struct CPUs: Sendable, Equatable {
        public var server: String
        public var load: String
    }

    public enum Mode: String, Sendable, CaseIterable {
        /// Each connection sends its next request when the reply arrives (memtier's way).
        case closed
        /// Requests at a fixed rate, latency measured from the intended send time.
        case open
    }

    public enum Measure: String, Sendable, CaseIterable {
        /// Ops/s, latency percentiles, ops per server-CPU-second.
        case throughput
        /// RSS growth per key after the prefill (bytes per key); the arguments load the keys.
        case memory
    }

    public struct Workload: Sendable, Equatable {
        public var name: String
        /// ferrite-bench arguments (memtier's flags).
        public var arguments: [String]
        public var mode: Mode
        public var measure: Measure
        /// Open loop only: the offered rate as a fraction of the capacity the runner measures
        /// closed-loop first for each server.
        public var rateFraction: Double?
    }

    /// Figures a result may keep.
    public enum Figure: String, Sendable, CaseIterable {
        case opsPerSec = "ops_per_sec"
        case p50 = "p50_ms"
        case p99 = "p99_ms"
        case p999 = "p999_ms"
        case opsPerCPUSecond = "ops_per_cpu_second"
        case rss = "rss_bytes"
        case bytesPerKey = "bytes_per_key"
        case latencyDistribution = "latency_distribution"
    }

    public var name: String
    public var description: String
    public var servers: [Server]
    public var cpus: CPUs
    /// ferrite-bench arguments that fill a fresh server before the workloads; empty: none.
    public var prefill: [String]
    public var workloads: [Workload]
    public var rounds: Int
    public var seconds: Double
    public var warmupSeconds: Double
    public var keep: [Figure]
    /// Record run-queue latency and syscall counts with eBPF where the kernel allows it.
    public var probes: Bool
}
