#if canImport(Glibc)
import Glibc
#endif

/// One run of a plan: opens every connection, starts one thread per `--threads`, prints
/// memtier's progress line once a second to stderr while they work, and merges what they
/// measured.
enum BenchmarkRun {
    static func execute(_ plan: WorkloadPlan, runNumber: Int, progress: Bool) throws(ConnectionError) -> RunResult {
        let config = plan.config
        var workers: [Worker] = []
        var opened: [Int32] = []
        // As memtier: one fixed seed shared by every connection unless --randomize (clock) or
        // --distinct-client-seed (one stream per connection).
        let seed: UInt64 = config.randomize ? MonotonicClock.now() : 0x6d656d74
        do {
            for thread in 0..<config.threads {
                var connections: [BenchConnection] = []
                for local in 0..<config.connectionsPerThread {
                    let global = thread * config.connectionsPerThread + local
                    let connectionSeed = config.distinctClientSeed ? seed &+ UInt64(global + 1) &* 0x9E37_79B9_7F4A_7C15 : seed
                    let keys = plan.types.map {
                        KeyGenerator(pattern: $0.keyPattern, minimum: config.keyMinimum, maximum: config.keyMaximum,
                                     distribution: config.keyDistribution, connection: global, connections: config.totalConnections)
                    }
                    let fd = try ClientSocket.connect(config)
                    opened.append(fd)
                    connections.append(BenchConnection(fd: fd, index: local, pipeline: plan.verifying ? max(config.pipeline, 32) : config.pipeline,
                                                       seed: connectionSeed, keys: keys,
                                                       remaining: plan.requests(forConnection: global)))
                }
                workers.append(Worker(plan: plan, connections: connections))
            }
        } catch {
            for fd in opened { close(fd) }
            throw error
        }
        var duration: Double?
        if !plan.verifying, case .seconds(let seconds) = config.runLength { duration = seconds }
        if progress { StandardError.write("[RUN #\(runNumber)] Launching threads now...\n") }
        let startWall = MonotonicClock.wallMilliseconds()
        let start = MonotonicClock.now()
        for worker in workers { worker.prepare(runStart: start, durationSeconds: duration) }
        let threads = workers.map { WorkerThread(worker: $0, backend: config.ioBackend) }

        let reporter = ProgressReporter(runNumber: runNumber, config: config, duration: duration, start: start, enabled: progress)
        while !threads.allSatisfy(\.isFinished) {
            usleep(progress ? 50_000 : 5_000)  // the experiment runner's slices end within 5 ms
            reporter.tick(threads.map(\.progress))
        }
        reporter.finish(threads.map(\.progress))

        var result = RunResult(plan: plan, stats: plan.types.map { _ in RequestStats() }, durationNanos: 0,
                               startWallMilliseconds: startWall, finishWallMilliseconds: MonotonicClock.wallMilliseconds(),
                               backend: config.ioBackend)
        var failure: String?
        var usedEpoll = false
        for thread in threads {
            let (worker, backend) = thread.join()
            if backend == .epoll { usedEpoll = true }
            for index in result.stats.indices { result.stats[index].add(worker.stats[index]) }
            result.durationNanos = max(result.durationNanos, worker.finishTime &- start)
            result.maxSendLagNanos = max(result.maxSendLagNanos, worker.maxSendLag)
            result.lateSends += worker.lateSends
            result.backlog += worker.backlog
            result.verification.add(worker.verification)
            if failure == nil { failure = worker.failure }
            for connection in worker.connections { close(connection.fd) }
        }
        if usedEpoll { result.backend = .epoll }
        if let failure { throw ConnectionError(description: failure) }
        return result
    }
}
