import Engine

/// The server's configuration, as `redis-server` takes it: a redis.conf-style file and/or
/// `--name value` flags, every directive available both ways (see `ConfigParameter.all`).
///
/// Values are stored as the typed fields below; `ConfigParameter` maps names to fields for the
/// file parser, the command line and CONFIG GET/SET, so there is one list of parameters.
public struct ServerConfig: Sendable {
    public var port = 6379
    public var bind = ["127.0.0.1"]
    public var protectedMode = true
    public var tcpBacklog = 511
    /// A Unix domain socket to listen on as well ("": none), and the permissions it gets
    /// (0: what the umask leaves).
    public var unixSocket = ""
    public var unixSocketPermissions = 0
    public var tcpKeepalive = 300
    public var timeout = 0
    public var daemonize = false
    public var pidfile = ""
    public var logfile = ""
    public var loglevel = LogLevel.notice
    public var databases = 16
    public var hz = 10
    public var maxclients = 10000
    /// The default user's password ("": none, every connection starts authenticated).
    public var requirepass = ""
    /// SLOWLOG: commands taking at least this many microseconds are logged (-1: none), and
    /// the log keeps the newest `slowlogMaxLen`.
    public var slowlogLogSlowerThan = 10000
    public var slowlogMaxLen = 128
    /// LATENCY's monitor: commands taking at least this many milliseconds are events (0: off).
    public var latencyMonitorThreshold = 0
    /// Per-command latency histograms (INFO latencystats, LATENCY HISTOGRAM), and the
    /// percentiles INFO shows of them.
    public var latencyTracking = true
    public var latencyTrackingInfoPercentiles: [Double] = [50, 99, 99.9]
    public var protoMaxBulkLen = 512 * 1024 * 1024
    public var clientQueryBufferLimit = 1024 * 1024 * 1024
    public var ioBackend = IOBackendChoice.auto
    /// Shards (threads, each owning a range of hash slots); 0 at start means one per CPU of
    /// the process's affinity mask, and becomes that number.
    public var shards = 0
    /// How connections reach the shards (with more than one).
    public var acceptMode = AcceptMode.reusePort
    /// The malloc the process runs on (`MemoryAllocator`); chosen once, at start.
    public var allocator = MemoryAllocator.system
    /// Who may run DEBUG (`enable-debug-command no|yes|local`); fixed at start, as in Redis.
    public var enableDebugCommand = ProtectedCommandAccess.no
    /// Where CONFIG REWRITE would write; also shown by INFO server `config_file`.
    public var configFile = ""

    public init() {}

    /// Redis's log levels; the character is the one Redis prints in each log line.
    public enum LogLevel: String, Sendable, CaseIterable {
        case debug, verbose, notice, warning
    }

    /// `reuseport`: every shard listens on the port (SO_REUSEPORT) and the kernel spreads
    /// connections by a hash of their addresses. `handoff`: the first shard accepts them all
    /// and hands them to the shards in turn. `scripts/bench_accept.py` compares the two.
    public enum AcceptMode: String, Sendable, CaseIterable {
        case reusePort = "reuseport"
        case handOff = "handoff"
    }

    /// Which event loop the shards use. `auto` prefers io_uring and falls back to epoll.
    public enum IOBackendChoice: String, Sendable, CaseIterable {
        case auto
        case ioUring = "io_uring"
        case epoll
    }
}
