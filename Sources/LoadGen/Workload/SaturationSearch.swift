/// `--slo-p99=MS`: finds the highest offered rate whose open-loop P99 stays within the SLO.
/// Each step runs open loop for --slo-step-time seconds; the search bisects between the
/// highest rate that met the SLO and the lowest that did not, starting from --rate as the
/// upper bound, and stops when the bracket is within 5%.
enum SaturationSearch {
    static func run(_ config: BenchmarkConfig, sloMilliseconds: Double, json: inout JSONWriter) throws -> String {
        guard case .openLoop(let ceiling, let arrival) = config.loadMode else {
            throw ConfigError("--slo-p99 needs --rate: the highest rate to try")
        }
        var report = "\nSaturation search: P99 ≤ \(Text.fixed(sloMilliseconds, 3)) ms, rates up to \(Text.fixed(ceiling, 0)) ops/sec, \(config.sloStepSeconds) s per step\n"
        var good = 0.0
        var bad = ceiling * 1.0001
        var rate = ceiling
        var step = 0
        var steps: [(rate: Double, achieved: Double, p99: Double, ok: Bool)] = []
        while step < 20 {
            step += 1
            var stepConfig = config
            stepConfig.loadMode = .openLoop(totalRate: rate, arrival: arrival)
            stepConfig.runLength = .seconds(Double(config.sloStepSeconds))
            let plan = WorkloadPlan(config: stepConfig, verifying: false)
            let result = try BenchmarkRun.execute(plan, runNumber: step, progress: false)
            let totals = result.totals
            let p99 = TableReport.percentileMilliseconds(totals.histogram, 99)
            let achieved = result.opsPerSecond(totals)
            let ok = totals.counters.count > 0 && p99 <= sloMilliseconds && (result.openLoopOutcome?.keptUp ?? true)
                && totals.counters.errors == 0
            steps.append((rate, achieved, p99, ok))
            report += "step \(Text.pad(String(step), 2)): offered \(Text.pad(Text.fixed(rate, 0), 10)) ops/sec, completed "
                + "\(Text.pad(Text.fixed(achieved, 0), 10)) ops/sec, P99 \(Text.pad(Text.fixed(p99, 3), 9)) ms: \(ok ? "within" : "over") the SLO\n"
            if ok { good = rate } else { bad = rate }
            if good > 0 && (bad - good) / bad < 0.05 { break }
            if ok && rate >= ceiling { break }
            rate = good > 0 ? (good + bad) / 2 : bad / 2
            if rate < 1 { break }
        }
        if good > 0 {
            report += "Saturation: \(Text.fixed(good, 0)) ops/sec is the highest offered rate with P99 within \(Text.fixed(sloMilliseconds, 3)) ms\n"
        } else {
            report += "Saturation: no rate tried met the SLO (lowest tried: \(Text.fixed(steps.last?.rate ?? 0, 0)) ops/sec)\n"
        }
        json.beginObject("SATURATION SEARCH")
        json.number("SLO p99", sloMilliseconds, decimals: 3)
        json.number("Max Ops/sec within SLO", good, decimals: 2)
        json.beginArray("Steps")
        for entry in steps {
            json.beginObject()
            json.number("Offered Ops/sec", entry.rate, decimals: 2)
            json.number("Ops/sec", entry.achieved, decimals: 2)
            json.number("p99.00", entry.p99, decimals: 3)
            json.bool("Within SLO", entry.ok)
            json.end()
        }
        json.end(array: true)
        json.end()
        return report
    }
}
