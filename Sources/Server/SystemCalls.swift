import CFerriteSys
import Glibc

/// A failed system call: which one and its errno.
struct SystemCallError: Error, CustomStringConvertible {
    let call: String
    let errno: Int32
    var description: String { "\(call): \(String(cString: strerror(errno)))" }
}

/// Runs a system call, retrying on EINTR and turning -1 into a `SystemCallError` — the one
/// place the server reads errno.
@inline(__always)
func systemCall<T: BinaryInteger>(_ name: @autoclosure () -> String, _ body: () -> T) throws(SystemCallError) -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        let error = ferrite_errno()
        if error == EINTR { continue }
        throw SystemCallError(call: name(), errno: error)
    }
}

/// Listening and accepted sockets (TCP and Unix domain): creation, options and addresses.
enum Socket {
    /// A stream socket, non-blocking and closed on exec.
    private static let streamFlags = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)

    /// bind(2) to an address of any family (`sockaddr_in`, `sockaddr_in6`, `sockaddr_un`).
    private static func bind<Address>(_ fd: Int32, to address: inout Address) throws(SystemCallError) {
        _ = try withUnsafePointer(to: &address) { pointer throws(SystemCallError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa throws(SystemCallError) in
                try systemCall("bind") { Glibc.bind(fd, sa, socklen_t(MemoryLayout<Address>.size)) }
            }
        }
    }

    /// A non-blocking listening socket on `host:port` with SO_REUSEADDR and `backlog`. With
    /// `reusePort`, several sockets (one per shard) share the port and the kernel spreads
    /// incoming connections over them.
    static func listen(host: String, port: Int, backlog: Int, reusePort: Bool = false) throws(SystemCallError) -> Int32 {
        let isIPv6 = host.contains(":")
        let fd = try systemCall("socket") { socket(isIPv6 ? AF_INET6 : AF_INET, streamFlags, 0) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if reusePort { setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size)) }
        do throws(SystemCallError) {
            if isIPv6 {
                var address = sockaddr_in6()
                address.sin6_family = sa_family_t(AF_INET6)
                address.sin6_port = UInt16(port).bigEndian
                setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
                guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else {
                    throw SystemCallError(call: "inet_pton(\(host))", errno: EINVAL)
                }
                try bind(fd, to: &address)
            } else {
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = UInt16(port).bigEndian
                let name = host == "*" ? "0.0.0.0" : host
                guard inet_pton(AF_INET, name, &address.sin_addr) == 1 else {
                    throw SystemCallError(call: "inet_pton(\(host))", errno: EINVAL)
                }
                try bind(fd, to: &address)
            }
            _ = try systemCall("listen") { Glibc.listen(fd, Int32(backlog)) }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Longest path a Unix domain socket can be bound to (`sun_path` less its terminating NUL).
    static let unixPathLimit = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// A non-blocking listening Unix domain socket at `path`, as Redis opens `unixsocket`: a file
    /// already there is removed first (a socket left by a server that died), and `permissions`
    /// (when not 0) replace what the umask left. The caller checks the path's length.
    static func listenUnix(path: String, permissions: Int, backlog: Int) throws(SystemCallError) -> Int32 {
        unlink(path)
        let fd = try systemCall("socket") { socket(AF_UNIX, streamFlags, 0) }
        do throws(SystemCallError) {
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { pathBytes in
                pathBytes.copyBytes(from: path.utf8.prefix(unixPathLimit))
            }
            try bind(fd, to: &address)
            if permissions != 0 { _ = try systemCall("chmod") { chmod(path, mode_t(permissions)) } }
            _ = try systemCall("listen") { Glibc.listen(fd, Int32(backlog)) }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Options every client socket gets: TCP_NODELAY and keepalive (both accept paths already
    /// create it non-blocking and close-on-exec).
    static func configureAccepted(_ fd: Int32, keepalive: Int) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if keepalive > 0 {
            setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, socklen_t(MemoryLayout<Int32>.size))
            var idle = Int32(clamping: keepalive)
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_KEEPIDLE, &idle, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// The two ends of an accepted connection as CLIENT LIST shows them: "ip:port" each, or on
    /// the Unix socket, whose client has no path of its own, the socket's "path:0" for both.
    static func endpoints(of fd: Int32) -> (peer: String, local: String, isUnixDomain: Bool) {
        let local = name(of: fd, peer: false)
        let localText = local.map(describe) ?? "?:0"
        if let local, Int32(local.ss_family) == AF_UNIX { return (localText, localText, true) }
        return (address(of: fd, peer: true), localText, false)
    }

    /// "ip:port" of the peer (`peer: true`) or the local end ("path:0" for a Unix socket's).
    static func address(of fd: Int32, peer: Bool) -> String {
        name(of: fd, peer: peer).map(describe) ?? "?:0"
    }

    /// getpeername(2) or getsockname(2).
    private static func name(of fd: Int32, peer: Bool) -> sockaddr_storage? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                peer ? getpeername(fd, $0, &length) : getsockname(fd, $0, &length)
            }
        }
        return ok == 0 ? storage : nil
    }

    /// An address as Redis prints it: "ip:port", or "path:0" for a Unix socket.
    private static func describe(_ address: sockaddr_storage) -> String {
        var storage = address
        if Int32(storage.ss_family) == AF_UNIX {
            return withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_un.self, capacity: 1) { address in
                    let path = withUnsafeBytes(of: address.pointee.sun_path) { bytes in
                        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                    }
                    return "\(path):0"
                }
            }
        }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        if Int32(storage.ss_family) == AF_INET6 {
            return withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var ip = address.pointee.sin6_addr
                    inet_ntop(AF_INET6, &ip, &text, socklen_t(text.count))
                    return "\(String(cString: text)):\(UInt16(bigEndian: address.pointee.sin6_port))"
                }
            }
        }
        return withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                var ip = address.pointee.sin_addr
                inet_ntop(AF_INET, &ip, &text, socklen_t(text.count))
                return "\(String(cString: text)):\(UInt16(bigEndian: address.pointee.sin_port))"
            }
        }
    }
}

extension Socket {
    /// The port a listening socket is bound to (for `port 0`, picked by the kernel).
    static func localPort(of fd: Int32) -> Int {
        Int(address(of: fd, peer: false).split(separator: ":").last.flatMap { Int($0) } ?? 0)
    }
}

extension Socket {
    /// True for "127.x.y.z:port" and "::1:port" (and IPv4-mapped loopback).
    static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address.hasPrefix("::1:") || address.hasPrefix("::ffff:127.")
    }

    /// Redis's `islocalClient` for a TCP peer ("ip:port"): the address is 127.0.0.1 or ::1
    /// exactly — narrower than `isLoopback`, as in Redis.
    static func isLocalPeer(_ address: String) -> Bool {
        address.hasPrefix("127.0.0.1:") || address.hasPrefix("::1:")
    }
}
