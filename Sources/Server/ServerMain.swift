import CFerriteSys
import Engine
import Foundation
import Logging

/// Start-up and shutdown of `ferrite-server`: configuration, logging, daemonizing, listening
/// sockets, the event-loop backend (io_uring, or epoll where io_uring is unavailable) and the
/// shard. `main` of the executable only calls `run`.
public enum FerriteServerMain {
    public static func run(arguments: [String]) -> Never {
        if arguments.count == 2 && (arguments[1] == "-v" || arguments[1] == "--version") {
            print("Ferrite server v=\(ServerIdentity.ferriteVersion) redis_compat=\(ServerIdentity.redisVersion) bits=64")
            exit(0)
        }
        let config: ServerConfig
        do {
            config = try ConfigLoader.load(arguments: arguments)
        } catch {
            FileHandle.standardError.write(Data((error.report + "\n").utf8))
            exit(1)
        }
        if let failure = AllocatorPreload.ensure(config.allocator, arguments: arguments) {
            FileHandle.standardError.write(Data((failure + "\n").utf8))
            exit(1)
        }
        if config.daemonize { daemonize() }
        let sink = LogSink(path: config.logfile, level: config.loglevel.swiftLogLevel)
        LoggingSystem.bootstrap { _ in RedisStyleLogHandler(sink: sink) }
        let logger = Logger(label: "ferrite")
        ferrite_install_signal_handlers()

        let executable = arguments[0].hasPrefix("/") ? arguments[0] : FileManager.default.currentDirectoryPath + "/" + arguments[0]
        let server = ServerContext(config: config, executablePath: (executable as NSString).standardizingPath, logSink: sink)
        logger.notice("Ferrite version=\(ServerIdentity.ferriteVersion), bits=64, pid=\(getpid()), just started")
        if !config.pidfile.isEmpty {
            _ = FileManager.default.createFile(atPath: config.pidfile, contents: Data("\(getpid())\n".utf8))
        }
        if config.shards == 0 { server.config.shards = ShardGroup.availableCPUs().count }
        let shardCount = server.config.shards
        // A listener set per shard thread: guests share their host's (`ShardGroup`).
        let threadCount = ShardGroup.hostCount(shards: shardCount, cpus: ShardGroup.availableCPUs().count)
        let listeners = Listener.openAll(config, threads: threadCount, logger: logger)
        if config.port != 0, let first = listeners[0].first { server.tcpPort = Socket.localPort(of: first.fd) }
        let backend = chooseBackend(config.ioBackend, logger: logger)
        server.backend = backend
        logger.notice("Server initialized")
        logger.notice("Ready to accept connections\(config.port != 0 ? " tcp" : "") (\(backend == .ioUring ? "io_uring" : "epoll"), \(shardCount) shard\(shardCount == 1 ? "" : "s"))")
        if !config.unixSocket.isEmpty { logger.notice("The server is now ready to accept connections at \(config.unixSocket)") }
        ShardGroup.run(count: shardCount, server: server, table: ServerCommands.table(), logger: logger) { shard in
            let shardListeners = listeners[shard.id]
            if backend == .ioUring { return try UringEventLoop(shard: shard, listeners: shardListeners) }
            return try EpollEventLoop(shard: shard, listeners: shardListeners)
        }

        if ferrite_stop_signal() != 0 {
            logger.warning("Received \(ferrite_stop_signal() == SIGINT ? "SIGINT" : "SIGTERM") scheduling shutdown...")
        }
        if !config.pidfile.isEmpty {
            logger.notice("Removing the pid file.")
            unlink(config.pidfile)
        }
        if !config.unixSocket.isEmpty {
            logger.notice("Removing the unix socket file.")
            unlink(config.unixSocket)
        }
        logger.warning("Ferrite is now ready to exit, bye bye...")
        exit(0)
    }

    /// io_uring unless unavailable or `io-backend epoll`; logs one line when it falls back.
    private static func chooseBackend(_ choice: ServerConfig.IOBackendChoice, logger: Logger) -> ServerConfig.IOBackendChoice {
        if choice == .epoll { return .epoll }
        do {
            try UringEventLoop.probe()
            return .ioUring
        } catch {
            if choice == .ioUring {
                logger.warning("io-backend io_uring requested but unavailable: \(error)")
                exit(1)
            }
            logger.warning("io_uring unavailable (\(error)); using epoll")
            return .epoll
        }
    }

    /// `daemonize yes`: detach from the terminal as redis-server does.
    private static func daemonize() {
        if fork() != 0 { exit(0) }
        setsid()
        let null = open("/dev/null", O_RDWR)
        if null >= 0 {
            dup2(null, 0)
            dup2(null, 1)
            dup2(null, 2)
            if null > 2 { close(null) }
        }
    }
}
