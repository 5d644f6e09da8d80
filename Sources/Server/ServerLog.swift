import Foundation
import Logging
import Synchronization

/// Writes log lines in Redis's format (`pid:M 23 Nov 2026 06:28:13.123 * message`) to the
/// configured logfile, or standard output when none is set, so tools that read Redis logs read
/// ours. Installed as the swift-log backend at start-up.
///
/// The level lives in the shared sink rather than in each handler copy, so CONFIG SET loglevel
/// changes it for every logger at once, as in Redis.
struct RedisStyleLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    let sink: LogSink

    var logLevel: Logger.Level {
        get { sink.level }
        set { sink.level = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let marker: Character
        switch event.level {
        case .trace, .debug: marker = "."
        case .info: marker = "-"
        case .notice: marker = "*"
        default: marker = "#"
        }
        sink.write("\(getpid()):M \(LogSink.timestamp()) \(marker) \(event.message)\n")
    }
}

/// The open log destination and the level in force, shared by all loggers of the process.
/// @unchecked Sendable: the file handle is written under `lock`; the level is an atomic.
final class LogSink: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()
    /// The index of the level in `Logger.Level.allCases`; read by every log call's level check.
    private let levelIndex: Atomic<Int>

    var level: Logger.Level {
        get { Logger.Level.allCases[levelIndex.load(ordering: .relaxed)] }
        set { levelIndex.store(Logger.Level.allCases.firstIndex(of: newValue)!, ordering: .relaxed) }
    }

    init(path: String, level: Logger.Level) {
        levelIndex = Atomic(Logger.Level.allCases.firstIndex(of: level)!)
        if path.isEmpty {
            handle = FileHandle.standardOutput
        } else {
            if !FileManager.default.fileExists(atPath: path) {
                FileManager.default.createFile(atPath: path, contents: nil)
            }
            handle = FileHandle(forWritingAtPath: path) ?? FileHandle.standardOutput
            handle.seekToEndOfFile()
        }
    }

    func write(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        handle.write(Data(line.utf8))
    }

    static func timestamp() -> String {
        var now = timeval()
        gettimeofday(&now, nil)
        var seconds = now.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let length = strftime(&buffer, 64, "%d %b %Y %H:%M:%S", &parts)
        let date = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let millis = Int(now.tv_usec) / 1000
        return date + "." + (millis < 10 ? "00" : millis < 100 ? "0" : "") + String(millis)
    }
}

extension ServerConfig.LogLevel {
    var swiftLogLevel: Logger.Level {
        switch self {
        case .debug: return .debug
        case .verbose: return .info
        case .notice: return .notice
        case .warning: return .warning
        }
    }
}

