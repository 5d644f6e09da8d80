import Foundation
import Testing

@testable import Server

/// Run-time configuration as Redis applies it: hz clamped, loglevel changeable and followed by
/// every logger.
@Suite struct ConfigParameterTests {
    @Test func hzIsAcceptedFromZeroAndClampedLikeRedis() throws {
        var config = try ConfigLoader.load(arguments: ["ferrite-server"])
        let hz = try #require(ConfigParameter.named("hz"))
        try hz.set(&config, ["0"])
        #expect(config.hz == 1)
        try hz.set(&config, ["600"])
        #expect(config.hz == 500)
        #expect(throws: ConfigError.self) { try hz.set(&config, ["-1"]) }
        #expect(config.hz == 500)
    }

    @Test func loglevelIsChangeableAtRunTime() throws {
        let loglevel = try #require(ConfigParameter.named("loglevel"))
        #expect(loglevel.mutable)
        var config = try ConfigLoader.load(arguments: ["ferrite-server"])
        try loglevel.set(&config, ["WARNING"])
        #expect(config.loglevel == .warning)
    }
}

@Suite struct LogLevelTests {
    @Test func everyLoggerFollowsTheSinkLevel() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ferrite-\(UUID().uuidString).log").path
        defer { unlink(path) }
        let sink = LogSink(path: path, level: .notice)
        let first = RedisStyleLogHandler(sink: sink)
        var second = RedisStyleLogHandler(sink: sink)
        #expect(first.logLevel == .notice)
        second.logLevel = .debug
        #expect(first.logLevel == .debug && sink.level == .debug)
        sink.level = ServerConfig.LogLevel.warning.swiftLogLevel
        #expect(first.logLevel == .warning && second.logLevel == .warning)
    }
}
