import Dashboard
import Foundation
import Testing

/// Results in, numbers and pages out: the record round trip, the medians and ratios the
/// pages show, the regression check, and the pages themselves.
@Suite struct DashboardTests {
    /// 12 commits; GET P1 drops 10 % from commit 8 on, SET P1 stays flat. Rounds vary by ±1 %.
    static func library() throws -> ResultsLibrary {
        let records = (0..<12).map { index in
            ResultFixtures.record(commit: index, ferrite: { workload, round in
                let level = workload == "GET P1" && index >= 8 ? 108_000.0 : 120_000.0
                return level * (1 + Double(round - 1) * 0.01)
            })
        }
        return try ResultsLibrary.load(folder: ResultFixtures.folder(records))
    }

    @Test func recordsRoundTripThroughJSON() throws {
        let record = ResultFixtures.record(commit: 3, ferrite: { _, round in 1000 + Double(round) })
        let data = try ResultRecord.encoder().encode(record)
        #expect(try ResultRecord.decoder().decode(ResultRecord.self, from: data) == record)
        let text = String(decoding: data, as: UTF8.self)
        for key in ["\"ops_per_sec\"", "\"p999_ms\"", "\"latency_distribution\"", "\"cpu_model\"", "\"sha256\""] {
            #expect(text.contains(key), "missing \(key)")
        }
    }

    @Test func aBrokenFileStopsTheLoadWithItsPath() throws {
        let folder = try ResultFixtures.folder([ResultFixtures.record(commit: 0, ferrite: { _, _ in 1 })])
        let bad = folder.appendingPathComponent("core/broken.json")
        try Data("{\"schema\": 1}".utf8).write(to: bad)
        #expect(throws: ResultsError.self) { try ResultsLibrary.load(folder: folder) }
        do { _ = try ResultsLibrary.load(folder: folder) } catch let error as ResultsError { #expect(error.path.hasSuffix("core/broken.json")) }
    }

    @Test func seriesHaveMediansAndRatiosFromSamples() throws {
        let library = try Self.library()
        let series = SeriesBuilder.series(library.runs, experiment: "core", workload: "GET P1", metric: .throughput)
        #expect(series.entries.count == 12)
        #expect(series.entries[0].subjectMedian == 120_000)
        #expect(series.entries[8].subjectMedian == 108_000)
        #expect(series.entries[0].referenceMedian("redis") == 100_000)
        #expect(series.entries[0].ratios.map { ($0 * 1000).rounded() / 1000 } == [1.188, 1.2, 1.212])
        let p99 = SeriesBuilder.series(library.runs, experiment: "core", workload: "GET P1", metric: .p99)
        #expect(abs(p99.entries[0].subjectMedian! - 50_000.0 / 120_000) < 1e-12)
    }

    @Test func theDropIsFlaggedWhereItHappened() throws {
        let library = try Self.library()
        let series = SeriesBuilder.series(library.runs, experiment: "core", workload: "GET P1", metric: .throughput)
        let changes = series.changePoints()
        #expect(changes.map(\.index) == [8])
        #expect(changes.first.map(series.isRegression) == true)
        let flat = SeriesBuilder.series(library.runs, experiment: "core", workload: "SET P1", metric: .throughput)
        #expect(flat.changePoints().isEmpty)
    }

    @Test func checkFlagsOnlyARegressionAtTheNewestCommit() throws {
        // The drop at commit 8 is history; nothing changed at the newest.
        #expect(RegressionCheck(library: try Self.library()).findings().isEmpty)
        let slowed = (0..<10).map { index in
            ResultFixtures.record(commit: index, rounds: 5, ferrite: { _, round in (index == 9 ? 108_000.0 : 120_000) * (1 + Double(round - 2) * 0.01) })
        }
        let findings = RegressionCheck(library: try ResultsLibrary.load(folder: ResultFixtures.folder(slowed))).findings()
        #expect(findings.map(\.workload).sorted() == ["GET P1", "GET P1", "SET P1", "SET P1"])
        #expect(Set(findings.map(\.metric)) == [.throughput, .p99])
        #expect(findings.allSatisfy { $0.change.commit == "abc0009" })
    }

    @Test func pagesShowTheNumbers() throws {
        let site = DashboardSite(library: try Self.library())
        let overview = try #require(site.page("index.html"))
        #expect(overview.contains("<svg class=\"chart\""))
        #expect(overview.contains("GET P1 · Throughput (median)"))
        #expect(overview.contains("abc0008 ferrite: 108k ops/s"))
        #expect(overview.contains("-10.0%"))  // the marker on the flagged commit
        #expect(overview.contains("href=\"run/core/abc0008-"))
        let runPath = try #require(site.paths.first { $0.hasPrefix("run/core/abc0008-") })
        let run = try #require(site.page(runPath))
        #expect(run.contains("Test CPU") && run.contains("Redis 7.0.15") && run.contains("probes"))
        #expect(run.contains("latency by percentile") && run.contains("99.9%"))
        #expect(run.contains("<td>108000</td>") || run.contains("<td>106920</td>"))
        let compare = try #require(site.page("compare/core/abc0007..abc0008.html"))
        #expect(compare.contains("regression"))
        #expect(compare.contains("<td>0.900</td>"))
        #expect(site.page("compare/core/abc0007..nosuch.html") == nil)
        #expect(site.page("run/core/nosuch.html") == nil)
    }

    @Test func exportWritesEveryLinkedPage() throws {
        let site = DashboardSite(library: try Self.library())
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ferrite-export-\(UUID().uuidString)")
        let count = try site.export(to: out)
        #expect(count == site.paths.count)
        for path in site.paths { #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(path).path), "\(path)") }
    }
}
