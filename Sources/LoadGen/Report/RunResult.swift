/// The measurements of one run, merged over all workers: what the table, the JSON and the
/// .hgrm files are made from.
struct RunResult {
    let plan: WorkloadPlan
    /// One per request type of the plan, in the plan's order.
    var stats: [RequestStats]
    var durationNanos: UInt64
    var startWallMilliseconds: Int64
    var finishWallMilliseconds: Int64
    var backend: BenchmarkConfig.IOBackend
    var maxSendLagNanos: UInt64 = 0
    var lateSends = 0
    var verification = VerificationTally()
    var interrupted = false

    var durationSeconds: Double { max(Double(durationNanos) / 1e9, 1e-9) }

    /// All types together.
    var totals: RequestStats {
        var all = RequestStats()
        for entry in stats { all.add(entry) }
        return all
    }

    func opsPerSecond(_ stats: RequestStats) -> Double { Double(stats.counters.count) / durationSeconds }

    /// Open loop only: the rate asked for and whether the server sustained it. Not kept up when
    /// the completed rate fell more than 5% short, or when requests had to wait more than
    /// 100 ms past their due time to be sent (the pipeline was full of unanswered requests).
    var openLoopOutcome: (requested: Double, achieved: Double, keptUp: Bool)? {
        guard case .openLoop(let rate, _) = plan.config.loadMode, !plan.verifying else { return nil }
        let achieved = opsPerSecond(totals)
        return (rate, achieved, achieved >= rate * 0.95 && maxSendLagNanos <= 100_000_000)
    }
}
