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
        let sink = LogSink(path: config.logfile)
        let level = config.loglevel.swiftLogLevel
        LoggingSystem.bootstrap { _ in RedisStyleLogHandler(logLevel: level, sink: sink) }
        let logger = Logger(label: "ferrite")
        ferrite_install_signal_handlers()

        let executable = arguments[0].hasPrefix("/") ? arguments[0] : FileManager.default.currentDirectoryPath + "/" + arguments[0]
        let server = ServerContext(config: config, executablePath: (executable as NSString).standardizingPath)
        logger.notice("Ferrite version=\(ServerIdentity.ferriteVersion), bits=64, pid=\(getpid()), just started")
        if !config.pidfile.isEmpty {
            FileManager.default.createFile(atPath: config.pidfile, contents: Data("\(getpid())\n".utf8))
        }
        var listeners: [Int32] = []
        for host in config.bind {
            do {
                listeners.append(try Socket.listen(host: host.hasPrefix("-") ? String(host.dropFirst()) : host, port: config.port, backlog: config.tcpBacklog))
            } catch {
                if host.hasPrefix("-") { continue }  // "-::1": optional address, as in Redis
                logger.warning("Warning: Could not create server TCP listening socket \(host):\(config.port): \(error)")
                logger.warning("Failed listening on port \(config.port) (tcp), aborting.")
                exit(1)
            }
        }
        if config.port == 0 { listeners = [] }
        if let first = listeners.first { server.tcpPort = Socket.localPort(of: first) }

        let table = ServerCommands.table()
        let shard = Shard(id: 0, server: server, table: table, logger: logger)
        logger.notice("Server initialized")
        runLoop(shard: shard, listeners: listeners, logger: logger)

        if ferrite_stop_signal() != 0 {
            logger.warning("Received \(ferrite_stop_signal() == SIGINT ? "SIGINT" : "SIGTERM") scheduling shutdown...")
        }
        logger.warning("Ferrite is now ready to exit, bye bye...")
        if !config.pidfile.isEmpty { unlink(config.pidfile) }
        exit(0)
    }

    /// Picks the backend: io_uring unless unavailable or `io-backend epoll`; logs one line when
    /// it falls back.
    private static func runLoop(shard: Shard, listeners: [Int32], logger: Logger) {
        let choice = shard.server.config.ioBackend
        if choice != .epoll {
            do {
                let loop = try UringEventLoop(shard: shard, listeners: listeners)
                shard.server.backend = .ioUring
                logger.notice("Ready to accept connections tcp (io_uring)")
                loop.run()
                return
            } catch {
                if choice == .ioUring {
                    logger.warning("io-backend io_uring requested but unavailable: \(error)")
                    exit(1)
                }
                logger.warning("io_uring unavailable (\(error)); using epoll")
            }
        }
        do {
            let loop = try EpollEventLoop(shard: shard, listeners: listeners)
            shard.server.backend = .epoll
            logger.notice("Ready to accept connections tcp (epoll)")
            loop.run()
        } catch {
            logger.critical("Could not start the epoll event loop: \(error)")
            exit(1)
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
