import Synchronization

/// Live counters a worker publishes for the progress line (relaxed atomics, stored once per
/// loop turn; the main thread only reads them).
final class WorkerProgress: Sendable {
    let completed = Atomic<Int>(0)
    let latencyMicrosTotal = Atomic<Int>(0)
    let bytes = Atomic<Int>(0)
}

/// What the read-back phase of --verify found.
struct VerificationTally {
    var checked = 0
    var matched = 0
    var mismatched = 0
    var missing = 0
    /// The first few mismatched keys, for the report.
    var examples: [Int] = []

    mutating func add(_ other: VerificationTally) {
        checked += other.checked
        matched += other.matched
        mismatched += other.mismatched
        missing += other.missing
        examples.append(contentsOf: other.examples.prefix(max(0, 10 - examples.count)))
    }
}

/// One thread's share of the load: its connections, their workload and its statistics. The
/// I/O drivers (`UringDriver`, `EpollDriver`) move bytes; this type decides what to send
/// (`fill`) and judges what came back (`consume`). Owned by its thread from `start` to join.
final class Worker {
    let plan: WorkloadPlan
    let connections: [BenchConnection]
    private let recorders: InPlaceTable<RequestRecorder>
    /// What the worker measured, one entry per request type of the plan.
    var stats: [RequestStats] { (0..<recorders.count).map { recorders[$0].stats } }
    let progress = WorkerProgress()
    let encoder: RequestEncoder
    private let pacing: (gap: Double, fromDueTime: Bool, poisson: Bool)?
    private(set) var runStart: UInt64 = 0
    private var deadline: UInt64 = .max
    private var completed = 0
    private var latencyMicrosTotal = 0
    private var bytes = 0
    /// Longest time a paced request waited past its due time before it could be sent.
    private(set) var maxSendLag: UInt64 = 0
    /// Paced requests that fell due while their connection's pipeline was full of unanswered
    /// requests: the server held them back (client-side scheduling jitter does not count).
    private(set) var lateSends = 0
    /// Paced requests overdue when their connection stopped sending (at the deadline, or when
    /// it sent its last request): a backlog that grows with the run's length means the server
    /// did not sustain the rate.
    private(set) var backlog = 0
    var verification = VerificationTally()
    /// Why the worker stopped early (a broken connection, a reply that is not RESP).
    private(set) var failure: String?
    private(set) var finishTime: UInt64 = 0

    init(plan: WorkloadPlan, connections: [BenchConnection]) {
        self.plan = plan
        self.connections = connections
        mayFill = ConnectionWorkList(connections: connections.count)
        recorders = InPlaceTable(plan.types.map { _ in RequestRecorder() })
        encoder = RequestEncoder(keyPrefix: plan.keyPrefix, values: plan.values)
        pacing = plan.pacing
    }

    /// Sets the clock origin (shared by all workers of a run, so their seconds line up).
    func prepare(runStart: UInt64, durationSeconds: Double?) {
        self.runStart = runStart
        if let seconds = durationSeconds { deadline = runStart + UInt64(seconds * 1e9) }
        if let pacing {
            for connection in connections {
                // Spread the first requests over one gap so connections do not send in step.
                connection.gap = pacing.gap
                connection.nextDue = runStart + UInt64(connection.random.unitInterval() * pacing.gap)
            }
        }
    }

    /// The connections before this index have finished. Finishing is for good (nothing left
    /// to send, nothing in flight, and `remaining` never grows), so each turn's `isDone` looks
    /// at the first unfinished connection only, not at all of them.
    private var finishedPrefix = 0

    var isDone: Bool {
        if failure != nil { return true }
        while finishedPrefix < connections.count && connections[finishedPrefix].finished { finishedPrefix += 1 }
        return finishedPrefix == connections.count
    }

    func fail(_ message: String) {
        if failure == nil { failure = message }
    }

    /// Start of a loop turn: stop sending at the deadline; publish progress.
    @inline(__always)
    func beginTurn(now: UInt64) {
        if now >= deadline {
            for connection in connections {
                if pacing != nil && connection.remaining != 0 && connection.nextDue <= now {
                    backlog += Int(Double(now - connection.nextDue) / connection.gap) + 1
                }
                connection.remaining = 0
            }
            deadline = .max
        }
        progress.completed.store(completed, ordering: .relaxed)
        progress.latencyMicrosTotal.store(latencyMicrosTotal, ordering: .relaxed)
        progress.bytes.store(bytes, ordering: .relaxed)
        finishTime = now
    }

    /// Nanoseconds the driver may sleep before some paced request falls due (nil: until a
    /// completion arrives, at most `idle`).
    func sleepBudget(now: UInt64, idle: UInt64 = 100_000_000) -> UInt64 {
        guard pacing != nil else { return idle }
        var earliest = now + idle
        for connection in connections where connection.remaining != 0 && !connection.inFlight.isFull {
            earliest = min(earliest, connection.nextDue)
        }
        return earliest > now ? earliest - now : 0
    }

    /// Closed loop: the connections (their indices) that may have room to send since they were
    /// last filled (a reply or a finished send); the drivers report them with `mayHaveRoom`.
    /// Indices, not references: listing and clearing them costs no reference counting per reply.
    private let mayFill: ConnectionWorkList

    /// Tells the worker `connection` answered requests or finished sending, so the next turn's
    /// `forEachToFill` visits it.
    @inline(__always)
    func mayHaveRoom(_ connection: BenchConnection) {
        mayFill.add(connection.index)
    }

    /// Calls `body` with each connection that may have requests to send now: in closed loop
    /// only those reported since the last call (the first call: all of them), in open loop
    /// every one, since requests fall due with time. `body` must not call `mayHaveRoom`.
    @inline(__always)
    func forEachToFill(_ body: (BenchConnection) -> Void) {
        if pacing != nil {
            for connection in connections { body(connection) }
            return
        }
        mayFill.drain { body(connections[$0]) }
    }

    /// Queues the requests `connection` may send now into its output buffer.
    @inline(__always)
    func fill(_ connection: BenchConnection, now: UInt64) {
        while connection.remaining != 0 {
            if connection.inFlight.isFull {
                if pacing != nil && connection.nextDue <= now { connection.heldBack = true }
                break
            }
            var start = now
            if let pacing {
                if connection.nextDue > now { break }
                let lag = now - connection.nextDue
                if lag > maxSendLag { maxSendLag = lag }
                if connection.heldBack { lateSends += 1 }
                if pacing.fromDueTime { start = connection.nextDue }
                let gap = pacing.poisson ? connection.random.exponential(mean: connection.gap) : connection.gap
                connection.nextDue += UInt64(max(gap, 1))
                if connection.nextDue > now { connection.heldBack = false }  // caught up
            }
            let type = Int(plan.cycle[connection.cycle])
            connection.cycle += 1
            if connection.cycle == plan.cycle.count { connection.cycle = 0 }
            let key = connection.keys[type].next(&connection.random)
            let written: Int
            let expectation: ReplyExpectation
            switch plan.kinds[type] {
            case .set:
                written = encoder.set(key: key, valueSize: plan.valueSize(key: key, random: &connection.random), into: connection.output)
                expectation = .ok
            case .get:
                written = encoder.get(key: key, into: connection.output)
                expectation = .value
            case .verifyGet:
                written = encoder.get(key: key, into: connection.output)
                expectation = .verifiedValue
            case .command(let template):
                written = encoder.command(template, key: key, valueSize: plan.valueSize(key: key, random: &connection.random), into: connection.output)
                expectation = .anyNonError
            }
            connection.inFlight.push(InFlightRequest(type: UInt16(type), expectation: expectation, start: start, bytes: UInt32(written), key: key))
            if connection.remaining > 0 {
                connection.remaining -= 1
                if connection.remaining == 0 && pacing != nil && now > start {
                    backlog += Int(Double(now - start) / connection.gap)  // the last request's lag, in requests
                }
            }
        }
    }

    /// Judges every complete reply in `connection`'s receive buffer, received at `now`.
    @inline(__always)
    func consume(_ connection: BenchConnection, now: UInt64) {
        connection.input.consume(judgeReplies(connection, in: connection.input.readable, now: now))
    }

    /// Judges every complete reply at the start of `received` (arrived at `now`; the bytes lie
    /// in the connection's buffer, or still in the ring's provided buffer) and returns how many
    /// bytes they took; the rest is the start of a reply still arriving.
    @inline(__always)
    func judgeReplies(_ connection: BenchConnection, in received: UnsafeRawBufferPointer, now: UInt64) -> Int {
        var used = 0
        let second = Int((now &- runStart) / 1_000_000_000)
        while used < received.count {
            let readable = UnsafeRawBufferPointer(rebasing: received[used...])
            switch ReplyScanner.scan(readable) {
            case .incomplete:
                return used
            case .malformed(let reason):
                fail("malformed reply from the server: \(reason)")
                return used
            case .reply(let kind, let length, let payload):
                used += length
                if kind == .push { continue }
                guard !connection.inFlight.isEmpty else {
                    fail("the server sent a reply nobody asked for")
                    return used
                }
                let request = connection.inFlight.pop()
                let outcome = judge(kind: kind, payload: UnsafeRawBufferPointer(rebasing: readable[payload]), request: request)
                let micros = now > request.start ? (now - request.start) / 1000 : 0
                recorders[Int(request.type)].record(micros: micros, second: second, sent: Int(request.bytes), received: length, outcome: outcome)
                completed += 1
                latencyMicrosTotal += Int(micros)
                bytes += length + Int(request.bytes)
            }
        }
        return used
    }

    @inline(__always)
    private func judge(kind: ReplyScanner.Kind, payload: UnsafeRawBufferPointer, request: InFlightRequest) -> ReplyOutcome {
        switch request.expectation {
        case .ok:
            return kind == .status && payload.count == 2 && payload[0] == UInt8(ascii: "O") && payload[1] == UInt8(ascii: "K") ? .ok : .error
        case .value:
            return kind == .bulk ? .hit : kind == .null ? .miss : .error
        case .verifiedValue:
            verification.checked += 1
            if kind == .null {
                verification.missing += 1
                return .miss
            }
            guard kind == .bulk else {
                verification.mismatched += 1
                if verification.examples.count < 10 { verification.examples.append(request.key) }
                return .error
            }
            if plan.isExpectedValue(payload, key: request.key) {
                verification.matched += 1
            } else {
                verification.mismatched += 1
                if verification.examples.count < 10 { verification.examples.append(request.key) }
            }
            return .hit
        case .anyNonError:
            return kind == .error ? .error : .ok
        }
    }
}
