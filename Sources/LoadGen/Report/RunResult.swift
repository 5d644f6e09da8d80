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
    var backlog = 0
    var verification = VerificationTally()

    var durationSeconds: Double { max(Double(durationNanos) / 1e9, 1e-9) }

    /// All types together.
    var totals: RequestStats {
        var all = RequestStats()
        for entry in stats { all.add(entry) }
        return all
    }

    func opsPerSecond(_ stats: RequestStats) -> Double { Double(stats.counters.count) / durationSeconds }

    /// Adds a later run of the same plan, as if one run had lasted both: the experiment runner
    /// measures in slices. (Per-second series overlap; only whole-run figures stay meaningful.)
    mutating func append(_ later: RunResult) {
        for index in stats.indices { stats[index].add(later.stats[index]) }
        durationNanos += later.durationNanos
        finishWallMilliseconds = later.finishWallMilliseconds
        maxSendLagNanos = max(maxSendLagNanos, later.maxSendLagNanos)
        lateSends += later.lateSends
        backlog += later.backlog
        verification.add(later.verification)
    }

    /// Open loop only: the rate asked for, the rate completed, and whether the server kept up:
    /// when the connections stopped, the requests overdue (due but not yet sent because the
    /// pipelines were full of unanswered requests) were at most 1% of those completed, one
    /// pipeline's worth per connection, or 50 ms worth of the rate (a momentary stall of a
    /// busy machine at the deadline). A server that cannot sustain the rate builds a backlog
    /// that grows with the run. The completed
    /// rate is reported but not judged: in a short run the connections' staggered first
    /// requests make it fall short of the asked rate even when every request went out on time.
    var openLoopOutcome: (requested: Double, achieved: Double, keptUp: Bool)? {
        guard case .openLoop(let rate, _) = plan.config.loadMode, !plan.verifying else { return nil }
        let all = totals.counters.count
        let tolerated = max(all / 100, plan.config.totalConnections * plan.config.pipeline, Int(rate * 0.05))
        let keptUp = backlog <= tolerated
        return (rate, opsPerSecond(totals), keptUp)
    }
}
