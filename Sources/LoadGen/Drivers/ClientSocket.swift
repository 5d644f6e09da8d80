import CFerriteSys
#if canImport(Glibc)
import Glibc
#endif

/// A connection failed to open or its handshake was refused: the message names the server and
/// the reason, and the run stops with it.
public struct ConnectionError: Error, CustomStringConvertible {
    public let description: String
}

/// Opens client sockets and runs the connection handshake (HELLO 3, AUTH, SELECT) with
/// blocking reads before the connection is handed to a driver in non-blocking mode.
enum ClientSocket {
    static func connect(_ config: BenchmarkConfig) throws(ConnectionError) -> Int32 {
        let fd: Int32
        switch config.endpoint {
        case .tcp(let host, let port):
            fd = try connectTCP(host: host, port: port)
        case .unix(let path):
            fd = try connectUnix(path: path)
        }
        do {
            try handshake(fd, config)
        } catch {
            close(fd)
            throw error
        }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        return fd
    }

    private static func errorText() -> String { String(cString: strerror(ferrite_errno())) }

    private static func connectTCP(host: String, port: Int) throws(ConnectionError) -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw ConnectionError(description: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if fd < 0 { lastError = errorText(); continue }
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return fd
            }
            lastError = errorText()
            close(fd)
        }
        throw ConnectionError(description: "connection to \(host):\(port) failed: \(lastError)")
    }

    private static func connectUnix(path: String) throws(ConnectionError) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw ConnectionError(description: "unix socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ConnectionError(description: "socket: \(errorText())") }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let text = errorText()
            close(fd)
            throw ConnectionError(description: "connection to unix socket \(path) failed: \(text)")
        }
        return fd
    }

    /// Sends the connection's set-up commands and checks each reply. The closing PING makes a
    /// server that refuses this client (NOAUTH, a full server) a clear error before the run
    /// instead of a run of error replies.
    private static func handshake(_ fd: Int32, _ config: BenchmarkConfig) throws(ConnectionError) {
        var commands: [[String]] = []
        if config.protocolVersion == .resp3 {
            var hello = ["HELLO", "3"]
            if let auth = config.authentication { hello += ["AUTH", auth.user ?? "default", auth.password] }
            commands.append(hello)
        } else if let auth = config.authentication {
            commands.append(auth.user.map { ["AUTH", $0, auth.password] } ?? ["AUTH", auth.password])
        }
        if let db = config.selectDB { commands.append(["SELECT", String(db)]) }
        commands.append(["PING"])
        let buffer = ReceiveBuffer(capacity: 4096)
        for command in commands {
            var request = "*\(command.count)\r\n"
            for word in command { request += "$\(word.utf8.count)\r\n\(word)\r\n" }
            let bytes = Array(request.utf8)
            guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
                throw ConnectionError(description: "\(command[0]) failed: \(errorText())")
            }
            while true {
                if case .reply(let kind, let length, _) = ReplyScanner.scan(buffer.readable) {
                    if kind == .error {
                        let text = String(decoding: buffer.readable.prefix(length).dropFirst().dropLast(2), as: UTF8.self)
                        throw ConnectionError(description: "\(command[0]) refused by the server: \(text)")
                    }
                    buffer.consume(length)
                    break
                }
                buffer.prepareForReceive(minimum: 1024)
                let count = read(fd, buffer.writableStart, buffer.writableBytes)
                guard count > 0 else {
                    throw ConnectionError(description: "the server closed the connection during \(command[0])")
                }
                buffer.didWrite(count)
            }
        }
    }
}
