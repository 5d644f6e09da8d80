import CFerriteSys
import Engine
import Glibc

/// Process-wide facts and settings that every shard reads: the configuration (changed by
/// CONFIG SET), start time, run id, listening ports, the event-loop backend in use.
///
/// Thread ownership: written only before the shards run, or by a command that holds every
/// shard (CONFIG SET, routed `CommandRoute.everyShard`), so shards read it without a lock.
final class ServerContext {
    var config: ServerConfig
    let startedAt: Int64
    let runID: String
    let executablePath: String
    var backend: ServerConfig.IOBackendChoice = .epoll
    var tcpPort: Int
    /// Unix time of the last successful save (LASTSAVE); start-up time until persistence exists.
    var lastSave: Int64
    /// Where the log goes; CONFIG SET loglevel changes its level.
    let logSink: LogSink
    /// Bytes malloc had handed out when the server started (INFO's `used_memory_startup`).
    let startupMemory: Int
    /// `shards` as the file and flags gave it (0: one per CPU), before start-up resolves 0 to
    /// the CPU count: what CONFIG REWRITE writes, so a file moved to another machine still
    /// follows its CPUs.
    let configuredShards: Int
    /// The process's umask, read while the process has one thread (CONFIG REWRITE's file mode).
    let umask: mode_t = {
        let mask = Glibc.umask(0)
        Glibc.umask(mask)
        return mask
    }()

    init(config: ServerConfig, executablePath: String, logSink: LogSink) {
        self.config = config
        self.configuredShards = config.shards
        self.logSink = logSink
        self.executablePath = executablePath
        startedAt = Clock.milliseconds()
        let heap = mallinfo2()
        startupMemory = Int(heap.uordblks) + Int(heap.hblkhd)
        lastSave = startedAt / 1000
        tcpPort = config.port
        let hexDigits = Array("0123456789abcdef")
        runID = String((0..<40).map { _ in hexDigits[Int.random(in: 0..<16)] })
    }
}
