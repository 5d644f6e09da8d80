import Foundation
import Testing

@testable import Server

@Suite struct ConfigLoaderTests {
    private func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ferrite-\(UUID().uuidString).conf").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func defaultsMatchRedis() throws {
        let config = try ConfigLoader.load(arguments: ["ferrite-server"])
        #expect(config.port == 6379)
        #expect(config.bind == ["127.0.0.1"])
        #expect(config.protectedMode)
        #expect(!config.daemonize)
        #expect(config.databases == 16)
        #expect(config.protoMaxBulkLen == 512 * 1024 * 1024)
        #expect(config.clientQueryBufferLimit == 1024 * 1024 * 1024)
    }

    @Test func fileThenFlagsWithFlagsWinning() throws {
        let path = try write("# comment\nport 7000\n\nbind 127.0.0.1 -::1\nloglevel warning\n")
        defer { unlink(path) }
        let config = try ConfigLoader.load(arguments: ["ferrite-server", path, "--port", "7001", "--io-backend", "epoll"])
        #expect(config.port == 7001)
        #expect(config.bind == ["127.0.0.1", "-::1"])
        #expect(config.loglevel == .warning)
        #expect(config.ioBackend == .epoll)
        #expect(config.configFile == path)
    }

    /// A file with Windows line ends reads as Redis reads it: each line ends at "\n" and loses
    /// its "\r" (a Character-wise split would see "\r\n" as one character and no line end).
    @Test func windowsLineEndsSeparateLines() throws {
        let path = try write("# comment\r\nport 7002\r\nhz 5\r\n")
        defer { unlink(path) }
        let config = try ConfigLoader.load(arguments: ["ferrite-server", path])
        #expect(config.port == 7002)
        #expect(config.hz == 5)
    }

    /// One value with spaces is several for a many-valued directive, as Redis reads
    /// `--bind "a b"`; a one-valued directive keeps it whole (a password may have spaces).
    @Test func oneValueWithSpacesSplitsOnlyForManyValuedDirectives() throws {
        let config = try ConfigLoader.load(arguments: ["ferrite-server", "--bind", "10.0.0.1 127.0.0.1", "--requirepass", "a b"])
        #expect(config.bind == ["10.0.0.1", "127.0.0.1"])
        #expect(config.requirepass == "a b")
        let fromFile = try write("bind \"10.0.0.2 -::1\"\nlatency-tracking-info-percentiles \"50 99\"\n")
        defer { unlink(fromFile) }
        let loaded = try ConfigLoader.load(arguments: ["ferrite-server", fromFile])
        #expect(loaded.bind == ["10.0.0.2", "-::1"])
        #expect(loaded.latencyTrackingInfoPercentiles == [50, 99])
    }

    @Test func memoryUnitsAndEmptyValues() throws {
        let config = try ConfigLoader.load(arguments: ["ferrite-server", "--proto-max-bulk-len", "2mb", "--client-query-buffer-limit", "1gb", "--save", "", "--appendonly", "no"])
        #expect(config.protoMaxBulkLen == 2 * 1024 * 1024)
        #expect(config.clientQueryBufferLimit == 1 << 30)
    }

    @Test func unknownDirectiveReportsLineAndReason() throws {
        let path = try write("port 7000\nfoo bar\n")
        defer { unlink(path) }
        #expect {
            try ConfigLoader.load(arguments: ["ferrite-server", path])
        } throws: { error in
            let error = error as! ConfigLoadError
            return error.line == 2 && error.text == "foo bar" && error.reason == "Bad directive or wrong number of arguments"
                && error.report.contains("Reading the configuration file, at line 2")
        }
    }

    @Test func badValuesAreRejectedWithReasons() throws {
        let cases: [([String], String)] = [
            (["--port", "abc"], "argument couldn't be parsed into an integer"),
            (["--port", "70000"], "argument must be between 0 and 65535 inclusive"),
            (["--protected-mode", "maybe"], "argument must be 'yes' or 'no'"),
            (["--io-backend", "kqueue"], "argument(s) must be one of the following: auto, io_uring, epoll"),
            (["--save", "900 1"], "snapshots are not implemented yet: only save \"\" is accepted"),
            (["--port", "1", "2"], "Bad directive or wrong number of arguments"),
        ]
        for (flags, reason) in cases {
            do {
                _ = try ConfigLoader.load(arguments: ["ferrite-server"] + flags)
                Issue.record("expected \(flags) to be rejected")
            } catch {
                #expect(error.reason == reason, "\(flags)")
                #expect(error.line == 2, "flags come after a newline, as in Redis")
            }
        }
    }

    @Test func unbalancedQuotesAreAnError() throws {
        let path = try write("logfile \"/tmp/x\n")
        defer { unlink(path) }
        do {
            _ = try ConfigLoader.load(arguments: ["ferrite-server", path])
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 1)
            #expect(error.reason == "Unbalanced quotes in configuration line")
        }
    }

    @Test func missingFileIsFatal() {
        do {
            _ = try ConfigLoader.load(arguments: ["ferrite-server", "/nonexistent/ferrite.conf"])
            Issue.record("expected an error")
        } catch {
            #expect(error.report.contains("can't open config file '/nonexistent/ferrite.conf'"))
        }
    }
}
