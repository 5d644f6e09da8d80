import Glibc
import Logging

/// A listening socket of one shard thread, and how the connections it accepts reach the shards:
/// served by the thread that accepted them, or handed to the threads in turn. TCP listeners hand
/// off with `accept-mode handoff`; the Unix socket always does, since only one thread can listen
/// on it (SO_REUSEPORT is for TCP).
struct Listener {
    let fd: Int32
    let handsOff: Bool

    /// Every thread's listeners, opened as redis-server opens them (one TCP socket per `bind`
    /// address and thread, `unixsocket` on the first thread); exits when a required one cannot
    /// be opened or when nothing listens at all, as Redis does.
    static func openAll(_ config: ServerConfig, threads: Int, logger: Logger) -> [[Listener]] {
        let handOff = threads > 1 && config.acceptMode == .handOff
        var listeners = (0..<threads).map { thread in
            handOff && thread > 0
                ? []
                : openTCP(config, reusePort: threads > 1 && !handOff, checkFree: thread == 0, logger: logger)
                    .map { Listener(fd: $0, handsOff: handOff) }
        }
        if !config.unixSocket.isEmpty {
            listeners[0].append(Listener(fd: openUnix(config, logger: logger), handsOff: true))
        }
        if listeners.allSatisfy(\.isEmpty) {
            logger.warning("Configured to not listen anywhere, exiting.")
            exit(1)
        }
        return listeners
    }

    /// One thread's TCP sockets, one per `bind` address. `checkFree`: first bind each address
    /// plainly, since SO_REUSEPORT would let this process share a port another server (another
    /// Ferrite) already listens on.
    private static func openTCP(_ config: ServerConfig, reusePort: Bool, checkFree: Bool, logger: Logger) -> [Int32] {
        guard config.port != 0 else { return [] }
        var sockets: [Int32] = []
        for host in config.bind {
            let address = host.hasPrefix("-") ? String(host.dropFirst()) : host
            do {
                if reusePort && checkFree {
                    close(try Socket.listen(host: address, port: config.port, backlog: config.tcpBacklog))
                }
                sockets.append(try Socket.listen(host: address, port: config.port, backlog: config.tcpBacklog, reusePort: reusePort))
            } catch {
                if host.hasPrefix("-") { continue }  // "-::1": optional address, as in Redis
                logger.warning("Warning: Could not create server TCP listening socket \(host):\(config.port): \(error)")
                logger.warning("Failed listening on port \(config.port) (tcp), aborting.")
                exit(1)
            }
        }
        return sockets
    }

    private static func openUnix(_ config: ServerConfig, logger: Logger) -> Int32 {
        let path = config.unixSocket
        guard path.utf8.count <= Socket.unixPathLimit else {
            logger.warning("Failed opening Unix socket: unix socket path too long (\(path.utf8.count)), must be under \(Socket.unixPathLimit + 1)")
            exit(1)
        }
        do {
            return try Socket.listenUnix(path: path, permissions: config.unixSocketPermissions, backlog: config.tcpBacklog)
        } catch {
            logger.warning("Failed opening Unix socket: \(error)")
            exit(1)
        }
    }
}
