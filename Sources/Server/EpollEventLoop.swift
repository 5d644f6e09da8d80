import CFerriteSys
import Glibc

/// Drives a shard with epoll, for kernels or containers where io_uring is unavailable
/// (`kernel.io_uring_disabled`, seccomp) or when `io-backend epoll` asks for it. Behaviour is
/// identical to `UringEventLoop`: one read per ready socket per turn, replies flushed once at the
/// end of the turn with one write per connection, timers from the wait's timeout.
final class EpollEventLoop: ShardEventLoop {
    private let shard: Shard
    private let listeners: [Listener]
    private let epollFD: Int32
    private var events: [epoll_event]
    /// `data.u64` of listener registrations; connections use (slot << 32 | generation).
    private static let listenerTag: UInt64 = 1 << 63
    /// `data.u64` of the mailbox's eventfd.
    private static let mailboxTag: UInt64 = 1 << 62

    init(shard: Shard, listeners: [Listener]) throws(SystemCallError) {
        self.shard = shard
        self.listeners = listeners
        epollFD = try systemCall("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        events = Array(repeating: epoll_event(), count: 256)
        for (index, listener) in listeners.enumerated() {
            try control(EPOLL_CTL_ADD, listener.fd, events: EPOLLIN.rawValue, data: Self.listenerTag | UInt64(index))
        }
        try control(EPOLL_CTL_ADD, shard.mailbox.eventFD, events: EPOLLIN.rawValue, data: Self.mailboxTag)
        shard.adopt = { [unowned self] fd in
            if let connection = self.shard.accept(fd: fd) { self.watch(connection) }
        }
    }

    deinit { close(epollFD) }

    private func control(_ operation: Int32, _ fd: Int32, events: UInt32, data: UInt64) throws(SystemCallError) {
        var event = epoll_event()
        event.events = events
        event.data.u64 = data
        _ = try systemCall("epoll_ctl") { epoll_ctl(epollFD, operation, fd, &event) }
    }

    func run() {
        let cronInterval = Int64(1000 / shard.server.config.hz)
        var nextCron = Clock.milliseconds() + cronInterval
        while !shard.stopRequested && ferrite_stop_signal() == 0 {
            var timeout = shard.expiryPending ? 1 : Int32(clamping: max(0, nextCron - Clock.milliseconds()))
            let sleeps = !shard.hasPendingMessages && shard.mailbox.prepareToSleep()
            if !sleeps { timeout = 0 }
            let ready = events.withUnsafeMutableBufferPointer { epoll_wait(epollFD, $0.baseAddress, Int32($0.count), timeout) }
            if sleeps { shard.mailbox.awake() }
            if ready > 0 {
                for index in 0..<Int(ready) { handle(events[index]) }
            }
            shard.serviceMailbox()
            if Clock.milliseconds() >= nextCron {
                shard.cron()
                nextCron = Clock.milliseconds() + Int64(1000 / shard.server.config.hz)
            }
            shard.runExpirySlice()
            shard.resumeHeldBackIfUnpaused()
            shard.finishMonitorTurn()
            shard.postForwardedBatches()
            shard.drainDirty { flush($0) }
        }
        for connection in shard.connections.all { finishClose(connection, serverExiting: true) }
    }

    private func handle(_ event: epoll_event) {
        let data = event.data.u64
        if data == Self.mailboxTag {
            shard.mailbox.clearEventFD()
            return
        }
        if data & Self.listenerTag != 0 {
            acceptAll(listeners[Int(data & 0xffff)])
            return
        }
        guard let connection = shard.connections.connection(slot: Int(data >> 32), generation: UInt32(truncatingIfNeeded: data)) else { return }
        if event.events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 && !connection.closing && !connection.peerClosed {
            receive(connection)
        }
        if event.events & EPOLLOUT.rawValue != 0 { shard.markDirty(connection) }
    }

    private func acceptAll(_ listener: Listener) {
        while true {
            let fd = ferrite_accept(listener.fd)
            if fd < 0 { return }  // EAGAIN, or an error the next readiness will report again
            if let connection = shard.accepted(fd: fd, handOff: listener.handsOff) { watch(connection) }
        }
    }

    /// Adds an accepted connection to the epoll set.
    private func watch(_ connection: Connection) {
        do {
            try control(EPOLL_CTL_ADD, connection.fd, events: EPOLLIN.rawValue, data: UInt64(connection.slot) << 32 | UInt64(connection.generation))
        } catch {
            connection.beginClosing(flush: false)
            shard.markDirty(connection)
        }
    }

    /// One read of whatever is available, then processing.
    private func receive(_ connection: Connection) {
        let input = connection.input
        let size = shard.readSize(for: connection)
        input.ensureWritable(size)
        let count = read(connection.fd, input.writableRegion, size)
        if count > 0 {
            shard.metrics.netInputBytes += Int64(count)
            if shard.exceedsQueryBufferLimit(connection, incoming: count) { return }
            input.didWrite(count)
            shard.process(connection)
        } else if count == 0 {
            // Replies already queued still go out (the peer may have only half-closed), and
            // requests waiting for forwarded replies still run.
            connection.peerClosed = true
            connection.closeIfPeerFinished()
            shard.markDirty(connection)
        } else if ferrite_errno() != EAGAIN && ferrite_errno() != EINTR {
            connection.beginClosing(flush: false)
            shard.markDirty(connection)
        }
    }

    /// Writes queued replies; waits for EPOLLOUT when the socket is full; closes when done.
    private func flush(_ connection: Connection) {
        let output = connection.output
        while !output.isEmpty && !(connection.closing && !connection.flushBeforeClose) {
            let region = output.readableRegion
            let written = write(connection.fd, region.baseAddress, region.count)
            if written > 0 {
                output.consume(written)
                shard.metrics.netOutputBytes += Int64(written)
                continue
            }
            if written < 0 && ferrite_errno() == EINTR { continue }
            if written < 0 && ferrite_errno() == EAGAIN { break }
            connection.beginClosing(flush: false)
            break
        }
        if connection.readyToClose {
            finishClose(connection)
            return
        }
        let wantsWritable = !output.isEmpty
        if wantsWritable != connection.wantsWritable {
            connection.wantsWritable = wantsWritable
            let interest = EPOLLIN.rawValue | (wantsWritable ? EPOLLOUT.rawValue : 0)
            try? control(EPOLL_CTL_MOD, connection.fd, events: interest, data: UInt64(connection.slot) << 32 | UInt64(connection.generation))
        }
    }

    private func finishClose(_ connection: Connection, serverExiting: Bool = false) {
        close(connection.fd)  // also removes it from the epoll set
        shard.didClose(connection, serverExiting: serverExiting)
    }
}
