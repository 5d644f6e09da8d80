import CFerriteSys
import Foundation
import Glibc

/// A server the experiment runner starts fresh for each round: pinned to the experiment's
/// server CPUs with `taskset`, on a free port, ready once it answers PING; its CPU time and
/// memory read from /proc while it runs. LoadGen starts servers as any user would — it never
/// links the server.
final class ServerProcess {
    let name: String
    let port: Int
    private let process: Process

    /// `ferrite` and `redis` in an experiment's commands mean these.
    struct Binaries {
        var ferrite: String
        var redis = "redis-server"
    }

    /// The command line an experiment's server command stands for, with the port in it.
    static func commandLine(_ command: [String], port: Int, binaries: Binaries) -> [String] {
        let substituted = command.map { $0.replacingOccurrences(of: "{port}", with: String(port)) }
        let rest = Array(substituted.dropFirst())
        switch command[0] {
        case "ferrite":
            return [binaries.ferrite] + (command.contains { $0.contains("{port}") } ? [] : ["--port", String(port)]) + ["--loglevel", "warning"] + rest
        case "redis":
            return [binaries.redis] + (command.contains { $0.contains("{port}") } ? [] : ["--port", String(port)])
                + ["--save", "", "--appendonly", "no", "--loglevel", "warning"] + rest
        default:
            return substituted
        }
    }

    init(name: String, command: [String], cpus: String, binaries: Binaries) throws(ExperimentRunError) {
        self.name = name
        port = Self.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
        process.arguments = ["-c", cpus] + Self.commandLine(command, port: port, binaries: binaries)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw ExperimentRunError("\(name): could not start \(process.arguments!.joined(separator: " ")): \(error)") }
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if !process.isRunning { throw ExperimentRunError("\(name) exited with status \(process.terminationStatus) while starting") }
            if (try? RawClient.command(["PING"], port: port)) == "+PONG\r\n" { return }
            usleep(50_000)
        }
        stop()
        throw ExperimentRunError("\(name) did not answer PING within 20 s")
    }

    var pid: Int32 { process.processIdentifier }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// CPU time of the server, seconds: the run time of all its threads from
    /// `/proc/PID/task/*/schedstat`, in nanoseconds (utime + stime come in 10 ms ticks, too
    /// coarse for a one-second measurement).
    func cpuSeconds() -> Double {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return 0 }
        var nanoseconds = 0
        for task in tasks {
            guard let line = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/schedstat", encoding: .utf8),
                  let running = Int(line.prefix { $0.isNumber }) else { continue }
            nanoseconds += running
        }
        return Double(nanoseconds) / 1e9
    }

    /// Resident set size, bytes.
    func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return 0 }
        return kilobytes * 1024
    }

    /// `<binary> --version`: the version line the result records.
    static func version(_ command: [String], binaries: Binaries) -> String {
        let binary = commandLine(command, port: 0, binaries: binaries)[0]
        return Shell.output([binary, "--version"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func freePort() -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// One request and its reply over a fresh connection, for the runner's own checks (PING,
/// DBSIZE): not the measured path.
enum RawClient {
    static func command(_ arguments: [String], port: Int) throws -> String {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ExperimentRunError("socket failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ExperimentRunError("connect to \(port) failed") }
        var request = "*\(arguments.count)\r\n"
        for argument in arguments { request += "$\(argument.utf8.count)\r\n\(argument)\r\n" }
        _ = request.withCString { send(socket, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(socket, &buffer, buffer.count, 0)
        guard count > 0 else { throw ExperimentRunError("no reply from \(port)") }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}

/// A short command's standard output (git, uname, --version), empty when it fails.
enum Shell {
    static func output(_ arguments: [String], directory: String? = nil) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return "" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : ""
    }
}

/// Why an experiment run stopped.
public struct ExperimentRunError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
