import CFerriteSys
import Glibc

/// Drives a shard with io_uring: multishot accept, multishot receive into a provided-buffer
/// ring, one send per connection per loop turn, and one `io_uring_enter` per turn that both
/// submits the turn's sends and waits for the next completions (or the next timer).
///
/// ```
/// loop:
///   submit queued SQEs + wait ≥1 CQE or timeout        (one io_uring_enter; no wait when
///                                                        another shard's message is queued)
///   for each CQE: accept → new connection + arm receive
///                 receive → copy into query buffer, return buffer, process
///                 send → consume output, queue more
///                 wake (another shard's IORING_OP_MSG_RING) → nothing more
///                 mailbox eventfd (the fallback wake-up) → re-arm its read
///   handle the mailbox (holds, forwarded commands and their replies)
///   cron when due; prepare sends/closes for dirty connections (submitted next turn)
/// ```
/// A connection with a send in flight is not processed further until the send completes, so
/// the kernel's view of its output buffer never moves. Completions carry (kind, slot,
/// generation); those of closed connections are ignored (their buffers still returned).
final class UringEventLoop: ShardEventLoop {
    private let shard: Shard
    private let listeners: [Listener]
    private var ring = io_uring()
    /// Receive buffers, provided-buffer group 0.
    private var buffers = ferrite_buffer_pool()
    private static let bufferGroup: UInt16 = 0
    /// Connections whose multishot receive ended (buffer shortage) and must be re-armed.
    private var needsReceive: [Connection] = []
    private var cqes = [UnsafeMutablePointer<io_uring_cqe>?](repeating: nil, count: 256)
    /// Where the read armed on the mailbox's eventfd puts the counter.
    private let mailboxCounter = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)

    private enum Kind: UInt64 {
        /// `wake`: another shard's IORING_OP_MSG_RING arrived (its mailbox has mail);
        /// `wakeFailed`: one this loop sent failed, slot = the shard to wake another way.
        case accept = 1, receive, send, mailbox, wake, wakeFailed
    }

    init(shard: Shard, listeners: [Listener]) throws(SystemCallError) {
        self.shard = shard
        self.listeners = listeners
        var params = io_uring_params()
        params.flags = UInt32(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN)
        var result = io_uring_queue_init_params(4096, &ring, &params)
        if result == -EINVAL {  // kernels before 6.1: plain ring
            params = io_uring_params()
            result = io_uring_queue_init_params(4096, &ring, &params)
        }
        if result < 0 { throw SystemCallError(call: "io_uring_queue_init", errno: -result) }
        // A registered ring fd spares every io_uring_enter its file-table lookup; liburing uses
        // it by itself once registered. Older kernels refuse, and the plain fd still works.
        _ = io_uring_register_ring_fd(&ring)
        // 256 × 16 KB (Redis's read size): enough for a full batch of completions, and small
        // enough that cycling through all of them (the ring is FIFO) adds only 4 MB of RSS.
        result = ferrite_buffer_pool_init(&buffers, &ring, 256, 16 * 1024, Self.bufferGroup)
        if result < 0 {
            io_uring_queue_exit(&ring)
            throw SystemCallError(call: "io_uring_register_buf_ring", errno: -result)
        }
        for index in listeners.indices { armAccept(index) }
        armMailbox()
        shard.ringFD = ring.ring_fd
        shard.uringLoop = self
        shard.adopt = { [unowned self] fd in
            if let connection = self.shard.accept(fd: fd) { self.armReceive(connection) }
        }
    }

    /// Whether io_uring can be set up here (the kernel has it and no policy forbids it).
    static func probe() throws(SystemCallError) {
        var ring = io_uring()
        let result = io_uring_queue_init(8, &ring, 0)
        if result < 0 { throw SystemCallError(call: "io_uring_queue_init", errno: -result) }
        io_uring_queue_exit(&ring)
    }

    deinit {
        io_uring_queue_exit(&ring)
        ferrite_buffer_pool_destroy(&buffers)
        mailboxCounter.deallocate()
    }

    // MARK: Submission

    private static func userData(_ kind: Kind, slot: Int, generation: UInt32) -> UInt64 {
        kind.rawValue << 60 | UInt64(generation & 0x0fff_ffff) << 32 | UInt64(slot)
    }

    /// A free SQE, submitting queued ones first if the queue is full.
    private func nextSQE() -> UnsafeMutablePointer<io_uring_sqe> {
        while true {
            if let sqe = io_uring_get_sqe(&ring) { return sqe }
            io_uring_submit(&ring)
        }
    }

    private func armAccept(_ index: Int) {
        let sqe = nextSQE()
        io_uring_prep_multishot_accept(sqe, listeners[index].fd, nil, nil, Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue))
        io_uring_sqe_set_data64(sqe, Self.userData(.accept, slot: index, generation: 0))
    }

    private func armMailbox() {
        let sqe = nextSQE()
        io_uring_prep_read(sqe, shard.mailbox.eventFD, mailboxCounter, 8, 0)
        io_uring_sqe_set_data64(sqe, Self.userData(.mailbox, slot: 0, generation: 0))
    }

    /// Wakes `shard`, whose ring is `ringFD`, with a completion posted there by this ring; it
    /// leaves with this loop's next `io_uring_enter`, or at once with `submitNow` (the caller is
    /// about to block).
    func wake(ringFD: Int32, shard target: Int, submitNow: Bool) {
        let sqe = nextSQE()
        ferrite_prep_wake(sqe, ringFD, Self.userData(.wake, slot: 0, generation: 0))
        io_uring_sqe_set_data64(sqe, Self.userData(.wakeFailed, slot: target, generation: 0))
        if submitNow { io_uring_submit(&ring) }
    }

    /// Submits the SQEs queued so far (wake-ups of other shards among them) before the thread
    /// blocks outside the loop.
    func submitQueued() {
        io_uring_submit(&ring)
    }

    private func armReceive(_ connection: Connection) {
        let sqe = nextSQE()
        io_uring_prep_recv_multishot(sqe, connection.fd, nil, 0, 0)
        ferrite_sqe_select_buffer(sqe, Self.bufferGroup)
        io_uring_sqe_set_data64(sqe, Self.userData(.receive, slot: connection.slot, generation: connection.generation))
        connection.receiveArmed = true
    }

    private func submitSend(_ connection: Connection) {
        let region = connection.output.readableRegion
        let sqe = nextSQE()
        io_uring_prep_send(sqe, connection.fd, region.baseAddress, region.count, 0)
        io_uring_sqe_set_data64(sqe, Self.userData(.send, slot: connection.slot, generation: connection.generation))
        connection.sendInFlight = region.count
    }

    // MARK: The loop

    func run() {
        let cronInterval = Int64(1000 / shard.server.config.hz)
        var nextCron = Clock.milliseconds() + cronInterval
        while !shard.stopRequested && ferrite_stop_signal() == 0 {
            let wait = shard.expiryPending ? 1 : max(0, nextCron - Clock.milliseconds())
            var timeout = __kernel_timespec(tv_sec: wait / 1000, tv_nsec: (wait % 1000) * 1_000_000)
            var first: UnsafeMutablePointer<io_uring_cqe>? = nil
            if !shard.hasPendingMessages && shard.mailbox.prepareToSleep() {
                _ = io_uring_submit_and_wait_timeout(&ring, &first, 1, &timeout, nil)
                shard.mailbox.awake()
            } else {
                // Not `io_uring_submit`: with DEFER_TASKRUN the kernel posts completions only
                // when the ring is entered to get events, and a shard other shards keep busy
                // (a hold or a forwarded batch waiting every turn) would never see its own
                // sockets again — new connections, requests — until they stopped.
                io_uring_submit_and_get_events(&ring)
            }
            drainCompletions()
            shard.serviceMailbox()
            if Clock.milliseconds() >= nextCron {
                shard.cron()
                nextCron = Clock.milliseconds() + Int64(1000 / shard.server.config.hz)
            }
            shard.runExpirySlice()
            endTurn()
        }
        for connection in shard.connections.all {
            close(connection.fd)
            shard.didClose(connection, serverExiting: true)
        }
    }

    private func drainCompletions() {
        while true {
            let count = cqes.withUnsafeMutableBufferPointer { Int(io_uring_peek_batch_cqe(&ring, $0.baseAddress, UInt32($0.count))) }
            if count == 0 { break }
            for index in 0..<count {
                let cqe = cqes[index]!
                handle(userData: cqe.pointee.user_data, result: cqe.pointee.res, cqe: cqe)
            }
            io_uring_cq_advance(&ring, UInt32(count))
            ferrite_buffer_pool_publish(&buffers)
        }
    }

    private func handle(userData: UInt64, result: Int32, cqe: UnsafeMutablePointer<io_uring_cqe>) {
        guard let kind = Kind(rawValue: userData >> 60) else { return }
        let slot = Int(userData & 0xffff_ffff)
        let generation = UInt32((userData >> 32) & 0x0fff_ffff)
        switch kind {
        case .accept:
            if result >= 0, let connection = shard.accepted(fd: result, handOff: listeners[slot].handsOff) { armReceive(connection) }
            if ferrite_cqe_has_more(cqe) == 0 { armAccept(slot) }
        case .receive:
            let connection = shard.connections.connection(slot: slot, generation: generation)
            received(connection, result: result, cqe: cqe)
        case .mailbox:
            armMailbox()
        case .wake:
            break  // the loop looks at its mailbox every turn
        case .wakeFailed:
            shard.group.shards[slot].mailbox.wakeThroughEventFD()
        case .send:
            guard let connection = shard.connections.connection(slot: slot, generation: generation) else { return }
            connection.sendInFlight = 0
            if result > 0 {
                connection.output.consume(Int(result))
                connection.unparkReplies()
                shard.metrics.netOutputBytes += Int64(result)
                if connection.input.readableBytes > 0 && !connection.closing { shard.process(connection) }
                connection.closeIfPeerFinished()
            } else if result != -EAGAIN && result != -EINTR {
                connection.beginClosing(flush: false)
            }
            shard.markDirty(connection)
        }
    }

    private func received(_ connection: Connection?, result: Int32, cqe: UnsafeMutablePointer<io_uring_cqe>) {
        let hasBuffer = ferrite_cqe_has_buffer(cqe) != 0
        let bufferID = UInt16(truncatingIfNeeded: ferrite_cqe_buffer_id(cqe))
        defer { if hasBuffer { ferrite_buffer_pool_give(&buffers, bufferID) } }
        guard let connection else { return }
        let more = ferrite_cqe_has_more(cqe) != 0
        if !more { connection.receiveArmed = false }
        if result > 0 && hasBuffer {
            shard.metrics.netInputBytes += Int64(result)
            if !connection.closing && !shard.exceedsQueryBufferLimit(connection, incoming: Int(result)) {
                let bytes = UnsafeMutableRawBufferPointer(start: ferrite_buffer_pool_buffer(&buffers, bufferID), count: Int(result))
                if connection.sendInFlight == 0 {
                    shard.process(connection, received: bytes)
                } else {
                    connection.input.append(bytes.baseAddress!, count: bytes.count)
                }
            }
            if !more && !connection.closing { needsReceive.append(connection) }
        } else if result == -ENOBUFS {
            if !connection.closing { needsReceive.append(connection) }
        } else if result == 0 && !more {
            // Peer finished sending: requests already received are still answered, as in
            // Redis, which writes pending replies before it reads the EOF. With a send in
            // flight or forwarded commands outstanding, input may still be waiting; their
            // completion runs it, then closes.
            connection.peerClosed = true
            connection.closeIfPeerFinished()
            shard.markDirty(connection)
        } else if result < 0 && !more {
            connection.beginClosing(flush: false)
            shard.markDirty(connection)
        }
    }

    /// End of a turn: run what a pause that ended held back, re-arm receives, queue one send
    /// per connection with replies, close what is done. The SQEs go to the kernel with the
    /// next turn's single `io_uring_enter`.
    private func endTurn() {
        shard.resumeHeldBackIfUnpaused()
        shard.finishMonitorTurn()
        for connection in needsReceive where !connection.closing && !connection.receiveArmed
            && shard.connections.connection(slot: connection.slot, generation: connection.generation) === connection
        {
            armReceive(connection)
        }
        needsReceive.removeAll(keepingCapacity: true)
        shard.postForwardedBatches()
        shard.drainDirty { connection in
            if connection.sendInFlight > 0 { return }
            if connection.readyToClose {
                shutdown(connection.fd, Int32(SHUT_RDWR))  // ends the armed multishot receive
                close(connection.fd)
                shard.didClose(connection)
            } else if !connection.output.isEmpty && !(connection.closing && !connection.flushBeforeClose) {
                submitSend(connection)
            }
        }
    }
}
