import Foundation
import Testing
@testable import LoadGen

/// --json-out-file has memtier's field names, checked against a memtier JSON sample written
/// from memtier's documented format (Fixtures/memtier-sample.json).
@Suite struct JSONReportTests {
    /// A run with real recorded latencies, rendered the way `FerriteBench` renders it.
    private func document(_ arguments: [String], maxSendLag: UInt64 = 0, backlog: Int = 0) throws -> [String: Any] {
        let config = try BenchmarkConfig.parse(arguments)
        let plan = WorkloadPlan(config: config, verifying: false)
        var result = RunResult(plan: plan, stats: plan.types.map { _ in RequestStats() }, durationNanos: 2_000_000_000,
                               startWallMilliseconds: 1_000, finishWallMilliseconds: 3_000, backend: .ioUring)
        result.maxSendLagNanos = maxSendLag
        result.backlog = backlog
        var recorders = result.stats.map { _ in RequestRecorder() }
        for second in 0..<2 {
            recorders[0].record(micros: 120, second: second, sent: 60, received: 5, outcome: .ok)
            if recorders.count > 1 {
                recorders[1].record(micros: 300, second: second, sent: 30, received: 40, outcome: .hit)
                recorders[1].record(micros: 90, second: second, sent: 30, received: 5, outcome: .miss)
            }
        }
        result.stats = recorders.map(\.stats)
        var json = JSONWriter()
        json.beginObject()
        JSONReport.configuration(config, into: &json)
        JSONReport.run(result, title: "ALL STATS", into: &json)
        json.end()
        let object = try JSONSerialization.jsonObject(with: Data(json.text.utf8))
        return try #require(object as? [String: Any])
    }

    private func memtierSample() throws -> [String: Any] {
        let url = try #require(Bundle.module.url(forResource: "memtier-sample", withExtension: "json", subdirectory: "Fixtures"))
        return try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// Key paths of nested objects ("ALL STATS/Gets/Percentile Latencies/p99.00"); arrays and
    /// Time-Serie entries are summarised by their first element.
    private func paths(_ value: Any, _ prefix: String = "") -> Set<String> {
        var result: Set<String> = []
        if let object = value as? [String: Any] {
            for (key, child) in object {
                let name = prefix.hasSuffix("Time-Serie/") ? "<second>" : key
                result.insert(prefix + name)
                result.formUnion(paths(child, prefix + name + "/"))
            }
        } else if let array = value as? [Any], let first = array.first {
            result.formUnion(paths(first, prefix + "[]/"))
        }
        return result
    }

    @Test func statsHaveEveryMemtierField() throws {
        let ours = paths(try document(["--ratio=1:10", "--test-time=2"])["ALL STATS"]!, "ALL STATS/")
        let memtier = paths(try memtierSample()["ALL STATS"]!, "ALL STATS/")
        // Not written: the base64 HdrHistogram log (the .hgrm files carry the distribution).
        let missing = memtier.subtracting(ours).filter { !$0.contains("Histogram log format") }
        #expect(missing.isEmpty, "memtier fields missing: \(missing.sorted())")
        let extra = ours.subtracting(memtier)
        let allowedExtras: Set<String> = ["Errors", "Errors/sec", "Load"]
        #expect(extra.allSatisfy { path in path.split(separator: "/").contains { allowedExtras.contains(String($0)) } },
                "fields memtier does not have: \(extra.sorted())")
    }

    @Test func runInformationAndConfigurationUseMemtierNames() throws {
        let ours = try document(["--test-time=2"])
        let memtier = try memtierSample()
        #expect(Set((ours["run information"] as! [String: Any]).keys) == Set((memtier["run information"] as! [String: Any]).keys))
        let ourConfig = Set((ours["configuration"] as! [String: Any]).keys)
        let memtierConfig = Set((memtier["configuration"] as! [String: Any]).keys)
        let extras: Set<String> = ["load_mode", "rate", "arrival", "io_backend"]
        #expect(ourConfig.subtracting(memtierConfig).subtracting(extras).isEmpty, "\(ourConfig.subtracting(memtierConfig))")
    }

    @Test func valuesAreWhatWasRecorded() throws {
        let stats = try document(["--test-time=2", "--print-percentiles=50,99,99.9"])["ALL STATS"] as! [String: Any]
        let gets = stats["Gets"] as! [String: Any]
        #expect(gets["Count"] as? Int == 4)
        #expect(gets["Ops/sec"] as? Double == 2)
        #expect(gets["Hits/sec"] as? Double == 1)
        #expect(gets["Misses/sec"] as? Double == 1)
        let percentiles = gets["Percentile Latencies"] as! [String: Any]
        #expect(percentiles["p50.00"] as? Double == 0.09)
        #expect(percentiles["p99.90"] as? Double == 0.3)
        let series = gets["Time-Serie"] as! [String: Any]
        #expect((series["1"] as! [String: Any])["Count"] as? Int == 2)
        let load = stats["Load"] as! [String: Any]
        #expect(load["Mode"] as? String == "closed-loop")
        #expect((stats["Totals"] as! [String: Any])["Count"] as? Int == 6)
        #expect((stats["Runtime"] as! [String: Any])["Total duration"] as? Int == 2000)
    }

    @Test func openLoopSaysSoAndWhetherTheServerKeptUp() throws {
        let late = try document(["--rate=1000", "--test-time=2"], maxSendLag: 250_000_000, backlog: 500)["ALL STATS"] as! [String: Any]
        let load = late["Load"] as! [String: Any]
        #expect(load["Mode"] as? String == "open-loop")
        #expect(load["Requested Ops/sec"] as? Double == 1000)
        #expect(load["Max Send Lag"] as? Double == 250)
        #expect(load["Kept Up"] as? String == "false")
        let onTime = try document(["--rate=1000", "--test-time=2"], maxSendLag: 2_000_000, backlog: 3)["ALL STATS"] as! [String: Any]
        #expect((onTime["Load"] as! [String: Any])["Kept Up"] as? String == "true")
    }

    @Test func commandTypesAreNamedAsMemtierNamesThem() throws {
        let stats = try document(["--command=INCR __key__", "--test-time=2"])["ALL STATS"] as! [String: Any]
        #expect(stats["Incrs"] != nil && stats["Totals"] != nil && stats["Sets"] == nil && stats["Waits"] == nil)
    }
}

@Suite struct TextTests {
    @Test func fixedMatchesPrintf() {
        #expect(Text.fixed(0, 2) == "0.00")
        #expect(Text.fixed(1.005, 3) == "1.005")
        #expect(Text.fixed(12345.678, 2) == "12345.68")
        #expect(Text.fixed(-0.5, 0) == "-1")
        #expect(Text.fixed(0.0004, 3) == "0.000")
        #expect(Text.fixed(99.9, 2) == "99.90")
        #expect(TableReport.percentileLabel(99.9) == "p99.9")
        #expect(TableReport.percentileLabel(50) == "p50")
        #expect(JSONReport.key(99.9) == "p99.90")
    }

    @Test func requestsAreRESP() {
        let values = ValuePattern(count: 8)
        let encoder = RequestEncoder(keyPrefix: Array("k:".utf8), values: values)
        let output = OutputBufferProbe()
        encoder.set(key: 42, valueSize: 5, into: output.buffer)
        encoder.get(key: 7, into: output.buffer)
        let template = try! CommandTemplate("HSET h __key__ __data__")
        encoder.command(template, key: 3, valueSize: 2, into: output.buffer)
        #expect(String(decoding: output.buffer.readableArray, as: UTF8.self)
            == "*3\r\n$3\r\nSET\r\n$4\r\nk:42\r\n$5\r\nabcde\r\n*2\r\n$3\r\nGET\r\n$3\r\nk:7\r\n*4\r\n$4\r\nHSET\r\n$1\r\nh\r\n$3\r\nk:3\r\n$2\r\nab\r\n")
    }
}

import RESP

/// A fresh output buffer for encoder tests.
struct OutputBufferProbe {
    let buffer = OutputBuffer(capacity: 8)
}
