@testable import Engine
import Testing

/// SLOWLOG's per-shard parts: one id sequence, one floor, so that two parts read together are
/// Redis's single list (trimmed to the newest max-len at each entry, emptied by RESET).
@Suite struct SlowLogTests {
    private func log(_ part: SlowLog, _ arguments: [String], redacted: UInt64 = 0) {
        Arguments.with(arguments.map { Array($0.utf8) }) { args in
            part.append(args, redacted: redacted, microseconds: 7, now: 1_700_000_000_123,
                        session: ClientSession(id: 1, now: 0, peerAddress: "127.0.0.1:5000"))
        }
    }

    private func ids(_ parts: SlowLog...) -> [Int64] {
        parts.flatMap { $0.current.map(\.id) }.sorted()
    }

    @Test func partsShareOneSequenceAndOneLength() {
        let sequence = SlowLogSequence()
        sequence.setMaximumLength(3)
        let first = SlowLog(sequence: sequence)
        let second = SlowLog(sequence: sequence)
        log(first, ["SET", "a", "1"])
        log(second, ["SET", "b", "1"])
        log(first, ["SET", "c", "1"])
        #expect(ids(first, second) == [0, 1, 2])
        log(second, ["SET", "d", "1"])  // the fourth entry pushes out the first, on the other part
        #expect(ids(first, second) == [1, 2, 3])
        #expect(first.current.map(\.id) == [2])
    }

    @Test func aShorterLengthTakesEffectAtTheNextEntry() {
        let sequence = SlowLogSequence()
        let part = SlowLog(sequence: sequence)
        for key in ["a", "b", "c", "d"] { log(part, ["GET", key]) }
        sequence.setMaximumLength(1)
        #expect(ids(part) == [0, 1, 2, 3])
        log(part, ["GET", "e"])
        #expect(ids(part) == [4])
    }

    @Test func resetForgetsEverythingAndIdsGoOn() {
        let sequence = SlowLogSequence()
        let first = SlowLog(sequence: sequence)
        let second = SlowLog(sequence: sequence)
        log(first, ["PING"])
        log(second, ["PING"])
        sequence.forgetAll()
        #expect(ids(first, second).isEmpty)
        log(second, ["PING"])
        #expect(ids(first, second) == [2])
    }

    @Test func aLongLogKeepsItsNewestEntries() {
        let sequence = SlowLogSequence()
        sequence.setMaximumLength(5)
        let part = SlowLog(sequence: sequence)
        for index in 0..<1000 { log(part, ["INCR", "k\(index)"]) }
        #expect(ids(part) == Array(995...999))
    }

    @Test func argumentsAreKeptAsRedisKeepsThem() throws {
        let part = SlowLog(sequence: SlowLogSequence())
        log(part, ["MSET"] + (0..<40).map { "k\($0)" })
        log(part, ["SET", "big", String(repeating: "x", count: 200)])
        log(part, ["HELLO", "3", "AUTH", "user", "pass"], redacted: 0b11000)
        let entries = Array(part.current)
        #expect(entries[0].arguments.count == 32)
        #expect(entries[0].arguments[30] == Array("k29".utf8))
        #expect(entries[0].arguments[31] == Array("... (10 more arguments)".utf8))
        #expect(entries[1].arguments[2] == Array((String(repeating: "x", count: 128) + "... (72 more bytes)").utf8))
        #expect(entries[2].arguments.map { String(decoding: $0, as: UTF8.self) } == ["HELLO", "3", "AUTH", "(redacted)", "(redacted)"])
        #expect(entries[2].time == 1_700_000_000 && entries[2].microseconds == 7 && entries[2].peer == "127.0.0.1:5000")
    }

    @Test func theExecutorLogsWhatReachesTheThresholdButNotExec() {
        let engine = Engine()
        engine.executor.setSlowThresholds(slowLogMicroseconds: 0, latencyMonitorMilliseconds: 0)
        _ = engine.reply("MULTI")
        _ = engine.reply("SET", "a", "1")
        _ = engine.reply("EXEC")
        _ = engine.reply("NOSUCH")
        _ = engine.reply("GET")
        engine.executor.setSlowThresholds(slowLogMicroseconds: -1, latencyMonitorMilliseconds: 0)
        _ = engine.reply("GET", "a")
        let logged = engine.executor.slowLog.current.map { String(decoding: $0.arguments[0], as: UTF8.self) }
        #expect(logged == ["MULTI", "SET"])
    }

    @Test(arguments: [1_000_000, Int64.max])
    func aFastCommandUnderAHighThresholdIsNotLogged(microseconds: Int64) {
        let engine = Engine()
        engine.executor.setSlowThresholds(slowLogMicroseconds: microseconds, latencyMonitorMilliseconds: 0)
        _ = engine.reply("SET", "a", "1")
        #expect(engine.executor.slowLog.current.isEmpty)
    }
}
