import CFerriteSys
#if canImport(Glibc)
import Glibc
#endif

/// Drives one worker's connections on its own io_uring ring. Each connection has one multishot
/// receive armed for its whole life, taking buffers from the worker's provided-buffer pool
/// (no receive to submit and no poll to re-arm per reply batch). Each turn queues one send per
/// connection with requests, and a single `io_uring_enter` submits them and waits for
/// completions (or the next due request): one system call per turn for the whole thread,
/// however many connections it has.
///
/// ```
/// loop:
///   for each connection that may send (closed loop: one whose send or replies completed last
///   turn; open loop: every one) without a send in flight: fill its pipeline, queue a send
///   submit + wait ≥1 completion or until the next paced request is due   (io_uring_enter)
///   for each completion: receive → judge the replies in the pool buffer (copy only a reply
///                        still arriving), give the buffer back (re-arm if the multishot ended);
///                        send → consume sent bytes
/// ```
/// The kernel owns a connection's output bytes while its send is in flight; they are not
/// touched meanwhile.
final class UringDriver {
    private let worker: Worker
    private var ring = io_uring()
    private var cqes = [UnsafeMutablePointer<io_uring_cqe>?](repeating: nil, count: 512)
    /// Receive buffers, provided-buffer group 0.
    private var buffers = ferrite_buffer_pool()
    private static let bufferGroup: UInt16 = 0
    /// Connections whose multishot receive ended (the pool ran dry) and must be re-armed.
    private var needsReceive: [BenchConnection] = []
    /// Whether the sockets are registered with the ring (slot = connection index), so SQEs name
    /// them by slot and the kernel skips the file lookup each send and receive would cost.
    private var fixedFiles = false

    private enum Kind: UInt64 { case receive = 1, send = 2 }

    /// Fails (with the errno) where io_uring is unavailable; the caller falls back to epoll.
    init(worker: Worker) throws(ConnectionError) {
        self.worker = worker
        let entries = UInt32(max(64, min(4096, worker.connections.count * 2 + 16))).nextPowerOfTwo
        var params = io_uring_params()
        params.flags = UInt32(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN)
        var result = io_uring_queue_init_params(entries, &ring, &params)
        if result == -EINVAL {  // kernels before 6.1
            params = io_uring_params()
            result = io_uring_queue_init_params(entries, &ring, &params)
        }
        if result < 0 {
            throw ConnectionError(description: "io_uring_queue_init: \(String(cString: strerror(-result)))")
        }
        // About two 4 KB buffers per connection (at least 64, at most 16 MB): each drain gives
        // every buffer back, so the pool runs dry only when one drain brings more than that; a
        // larger reply simply spans several completions.
        result = ferrite_buffer_pool_init(&buffers, &ring, entries, 4096, Self.bufferGroup)
        if result < 0 {
            io_uring_queue_exit(&ring)
            throw ConnectionError(description: "io_uring_register_buf_ring: \(String(cString: strerror(-result)))")
        }
        // Where registration fails (an old kernel, a file limit), descriptors work as before.
        let descriptors = worker.connections.map(\.fd)
        fixedFiles = io_uring_register_files(&ring, descriptors, UInt32(descriptors.count)) == 0
    }

    deinit {
        io_uring_queue_exit(&ring)
        ferrite_buffer_pool_destroy(&buffers)
    }

    private func nextSQE() -> UnsafeMutablePointer<io_uring_sqe> {
        while true {
            if let sqe = io_uring_get_sqe(&ring) { return sqe }
            io_uring_submit(&ring)
        }
    }

    /// What an SQE names `connection`'s socket by: its registered slot, or its descriptor.
    private func socket(_ connection: BenchConnection) -> Int32 {
        fixedFiles ? Int32(connection.index) : connection.fd
    }

    /// Marks a prepared SQE as naming a registered slot (after the prep call, which clears flags).
    private func markFixedFile(_ sqe: UnsafeMutablePointer<io_uring_sqe>) {
        if fixedFiles { ferrite_sqe_use_fixed_file(sqe) }
    }

    private func armReceive(_ connection: BenchConnection) {
        let sqe = nextSQE()
        io_uring_prep_recv_multishot(sqe, socket(connection), nil, 0, 0)
        markFixedFile(sqe)
        ferrite_sqe_select_buffer(sqe, Self.bufferGroup)
        io_uring_sqe_set_data64(sqe, Kind.receive.rawValue << 32 | UInt64(connection.index))
    }

    private func submitSend(_ connection: BenchConnection) {
        let region = connection.output.readableRegion
        let sqe = nextSQE()
        io_uring_prep_send(sqe, socket(connection), region.baseAddress, region.count, 0)
        markFixedFile(sqe)
        io_uring_sqe_set_data64(sqe, Kind.send.rawValue << 32 | UInt64(connection.index))
        connection.sendInFlight = region.count
    }

    func run() {
        for connection in worker.connections { armReceive(connection) }
        while !worker.isDone {
            let now = MonotonicClock.now()
            worker.beginTurn(now: now)
            worker.forEachToFill { fillAndSend($0, now: now) }
            let budget = worker.sleepBudget(now: now)
            var timeout = __kernel_timespec(tv_sec: Int64(budget / 1_000_000_000), tv_nsec: Int64(budget % 1_000_000_000))
            var first: UnsafeMutablePointer<io_uring_cqe>? = nil
            _ = io_uring_submit_and_wait_timeout(&ring, &first, 1, &timeout, nil)
            drainCompletions(now: MonotonicClock.now())
        }
        worker.beginTurn(now: MonotonicClock.now())
    }

    /// Queues what `connection` may send now, unless its previous send is still in flight.
    @inline(__always)
    private func fillAndSend(_ connection: BenchConnection, now: UInt64) {
        guard connection.sendInFlight == 0 else { return }
        worker.fill(connection, now: now)
        if !connection.output.isEmpty { submitSend(connection) }
    }

    private func drainCompletions(now: UInt64) {
        while true {
            let count = cqes.withUnsafeMutableBufferPointer { Int(io_uring_peek_batch_cqe(&ring, $0.baseAddress, UInt32($0.count))) }
            if count == 0 { return }
            for index in 0..<count {
                let cqe = cqes[index]!
                handle(userData: cqe.pointee.user_data, result: cqe.pointee.res, cqe: cqe, now: now)
            }
            io_uring_cq_advance(&ring, UInt32(count))
            ferrite_buffer_pool_publish(&buffers)
            for connection in needsReceive { armReceive(connection) }
            needsReceive.removeAll(keepingCapacity: true)
        }
    }

    /// Judges the replies in `received` where the kernel put them, when nothing of an earlier
    /// reply waits in the connection's buffer (the usual case); only a reply still arriving is
    /// copied, to be completed by the next receive.
    @inline(__always)
    private func receive(_ received: UnsafeRawBufferPointer, on connection: BenchConnection, now: UInt64) {
        if connection.input.readable.isEmpty {
            let used = worker.judgeReplies(connection, in: received, now: now)
            if used < received.count { connection.input.append(received.baseAddress! + used, count: received.count - used) }
        } else {
            connection.input.append(received.baseAddress!, count: received.count)
            worker.consume(connection, now: now)
        }
    }

    private func handle(userData: UInt64, result: Int32, cqe: UnsafeMutablePointer<io_uring_cqe>, now: UInt64) {
        let connection = worker.connections[Int(userData & 0xffff_ffff)]
        switch Kind(rawValue: userData >> 32) {
        case .receive:
            if ferrite_cqe_has_buffer(cqe) != 0 {
                let id = UInt16(truncatingIfNeeded: ferrite_cqe_buffer_id(cqe))
                if result > 0 {
                    receive(UnsafeRawBufferPointer(start: ferrite_buffer_pool_buffer(&buffers, id), count: Int(result)), on: connection, now: now)
                    worker.mayHaveRoom(connection)
                }
                ferrite_buffer_pool_give(&buffers, id)
            }
            if result == 0 {
                worker.fail("the server closed a connection")
                return
            } else if result < 0 && result != -EAGAIN && result != -EINTR && result != -ENOBUFS {
                worker.fail("receive failed: \(String(cString: strerror(-result)))")
                return
            }
            if ferrite_cqe_has_more(cqe) == 0 { needsReceive.append(connection) }
        case .send:
            connection.sendInFlight = 0
            worker.mayHaveRoom(connection)
            if result > 0 {
                connection.output.consume(Int(result))
            } else if result != -EAGAIN && result != -EINTR {
                worker.fail("send failed: \(String(cString: strerror(-result)))")
            }
        case nil:
            break
        }
    }
}

private extension UInt32 {
    var nextPowerOfTwo: UInt32 { self <= 1 ? 1 : 1 << (32 - (self - 1).leadingZeroBitCount) }
}
