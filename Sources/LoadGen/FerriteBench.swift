import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// ferrite-bench's top level, called by the thin executable: parses the command line, runs the
/// benchmark (or the verification, or the saturation search), prints memtier's report and
/// writes the requested files. Every failure is one line on stderr and exit code 1.
public enum FerriteBench {
    public static func main(_ arguments: [String]) -> Int32 {
        if arguments.first == "experiment" { return Subcommand.main(ExperimentCommand.self, Array(arguments.dropFirst())) }
        if arguments.first == "backfill" { return Subcommand.main(BackfillCommand.self, Array(arguments.dropFirst())) }
        let config: BenchmarkConfig
        do {
            config = try BenchmarkConfig.parse(arguments)
        } catch let error as ConfigError {
            return failure(error.description)
        } catch {
            if BenchmarkArguments.exitCode(for: error) == .success {
                print(BenchmarkArguments.helpMessage())
                return 0
            }
            return failure(BenchmarkArguments.message(for: error).split(separator: "\n").first.map(String.init) ?? "bad arguments")
        }
        do {
            return try run(config)
        } catch let error as ConnectionError {
            return failure(error.description)
        } catch let error as ConfigError {
            return failure(error.description)
        } catch {
            return failure("\(error)")
        }
    }

    private static func failure(_ message: String) -> Int32 {
        StandardError.write("ferrite-bench: \(message)\n")
        return 1
    }

    private static func run(_ config: BenchmarkConfig) throws -> Int32 {
        var report = ""
        var json = JSONWriter()
        json.beginObject()
        JSONReport.configuration(config, into: &json)
        report += runInformation(config)
        var exitCode: Int32 = 0

        if let slo = config.sloP99Milliseconds {
            report += try SaturationSearch.run(config, sloMilliseconds: slo, json: &json)
        } else if !config.verifyOnly {
            let plan = WorkloadPlan(config: config, verifying: false)
            var results: [RunResult] = []
            for runNumber in 1...config.runCount {
                let result = try BenchmarkRun.execute(plan, runNumber: runNumber, progress: true)
                results.append(result)
                if let prefix = config.hdrFilePrefix {
                    for file in HgrmWriter.files(for: result, prefix: prefix, runNumber: runNumber) {
                        try FileOutput.write(file.contents, to: file.path)
                    }
                }
            }
            if results.count == 1 {
                report += TableReport.render(results[0], title: "ALL STATS")
                JSONReport.run(results[0], title: "ALL STATS", into: &json)
            } else {
                for (index, result) in results.enumerated() {
                    report += TableReport.render(result, title: "RUN #\(index + 1) RESULTS")
                    JSONReport.run(result, title: "RUN #\(index + 1) RESULTS", into: &json)
                }
                let ranked = results.sorted { $0.opsPerSecond($0.totals) > $1.opsPerSecond($1.totals) }
                let average = aggregate(results)
                for (title, result) in [("BEST RUN RESULTS", ranked[0]), ("WORST RUN RESULTS", ranked[ranked.count - 1]),
                                        ("AGGREGATED AVERAGE RESULTS (\(results.count) runs)", average)] {
                    report += TableReport.render(result, title: title)
                    JSONReport.run(result, title: title, into: &json)
                }
            }
        }
        if config.verify || config.verifyOnly {
            let plan = WorkloadPlan(config: config, verifying: true)
            StandardError.write("[VERIFY] Reading back keys \(config.keyPrefix)\(config.keyMinimum)..\(config.keyPrefix)\(config.keyMaximum)...\n")
            let result = try BenchmarkRun.execute(plan, runNumber: 1, progress: false)
            let tally = result.verification
            report += TableReport.render(result, title: "VERIFY RESULTS")
            report += "\nVerification: \(tally.checked) keys checked, \(tally.matched) matched, \(tally.mismatched) mismatched, \(tally.missing) missing\n"
            if !tally.examples.isEmpty {
                report += "Mismatched keys: " + tally.examples.map { "\(config.keyPrefix)\($0)" }.joined(separator: " ") + "\n"
            }
            JSONReport.run(result, title: "VERIFY RESULTS", into: &json)
            if tally.mismatched > 0 { exitCode = 1 }
        }
        json.end()

        if let path = config.outFile {
            try FileOutput.write(report, to: path)
        } else {
            print(report, terminator: "")
        }
        if let path = config.jsonOutFile { try FileOutput.write(json.text + "\n", to: path) }
        return exitCode
    }

    private static func runInformation(_ config: BenchmarkConfig) -> String {
        let last: String
        switch config.runLength {
        case .seconds(let seconds): last = Text.padRight(String(Int(seconds)), 9) + " Seconds"
        case .requestsPerConnection(let count): last = Text.padRight(String(count), 9) + " Requests per client"
        case .allKeys: last = Text.padRight(String(config.keyCount), 9) + " Requests in total (allkeys)"
        }
        return Text.padRight(String(config.threads), 9) + " Threads\n" + Text.padRight(String(config.connectionsPerThread), 9)
            + " Connections per thread\n" + last + "\n"
    }

    /// memtier's "AGGREGATED AVERAGE RESULTS": every run's requests over the runs' total time.
    private static func aggregate(_ results: [RunResult]) -> RunResult {
        var merged = results[0]
        for result in results.dropFirst() {
            for index in merged.stats.indices { merged.stats[index].add(result.stats[index]) }
            merged.durationNanos += result.durationNanos
            merged.maxSendLagNanos = max(merged.maxSendLagNanos, result.maxSendLagNanos)
            merged.lateSends += result.lateSends
            merged.backlog += result.backlog
        }
        merged.finishWallMilliseconds = results[results.count - 1].finishWallMilliseconds
        return merged
    }
}
