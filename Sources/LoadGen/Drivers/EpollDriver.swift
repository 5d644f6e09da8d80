import CFerriteSys
#if canImport(Glibc)
import Glibc
#endif

/// Drives one worker's connections with epoll where io_uring is unavailable (or
/// `--io-backend epoll` asks for it): same turn structure as `UringDriver` — fill every
/// connection's pipeline and write it with one `write` each, wait, read what is ready with one
/// `read` each and judge the replies.
final class EpollDriver {
    private let worker: Worker
    private let epollFD: Int32
    private var events: [epoll_event]

    init(worker: Worker) throws(ConnectionError) {
        self.worker = worker
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw ConnectionError(description: "epoll_create1: \(String(cString: strerror(ferrite_errno())))") }
        events = Array(repeating: epoll_event(), count: max(64, worker.connections.count))
        for connection in worker.connections {
            control(EPOLL_CTL_ADD, connection, events: EPOLLIN.rawValue)
        }
    }

    deinit { close(epollFD) }

    private func control(_ operation: Int32, _ connection: BenchConnection, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.u64 = UInt64(connection.index)
        if epoll_ctl(epollFD, operation, connection.fd, &event) != 0 {
            worker.fail("epoll_ctl: \(String(cString: strerror(ferrite_errno())))")
        }
    }

    func run() {
        while !worker.isDone {
            let now = MonotonicClock.now()
            worker.beginTurn(now: now)
            worker.forEachToFill { connection in
                guard !connection.wantsWritable else { return }
                worker.fill(connection, now: now)
                flush(connection)
            }
            let budget = worker.sleepBudget(now: now)
            var timeout = timespec(tv_sec: Int(budget / 1_000_000_000), tv_nsec: Int(budget % 1_000_000_000))
            let ready = events.withUnsafeMutableBufferPointer {
                epoll_pwait2(epollFD, $0.baseAddress, Int32($0.count), &timeout, nil)
            }
            let received = MonotonicClock.now()
            guard ready > 0 else { continue }
            for index in 0..<Int(ready) {
                let event = events[index]
                let connection = worker.connections[Int(event.data.u64)]
                if event.events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
                    receive(connection, now: received)
                }
                if event.events & EPOLLOUT.rawValue != 0 {
                    flush(connection)
                    worker.mayHaveRoom(connection)
                }
            }
        }
        worker.beginTurn(now: MonotonicClock.now())
    }

    private func receive(_ connection: BenchConnection, now: UInt64) {
        connection.input.prepareForReceive(minimum: 16 * 1024)
        let count = read(connection.fd, connection.input.writableStart, connection.input.writableBytes)
        if count > 0 {
            connection.input.didWrite(count)
            worker.consume(connection, now: now)
            worker.mayHaveRoom(connection)
        } else if count == 0 {
            worker.fail("the server closed a connection")
        } else if ferrite_errno() != EAGAIN && ferrite_errno() != EINTR {
            worker.fail("receive failed: \(String(cString: strerror(ferrite_errno())))")
        }
    }

    /// Writes queued requests; watches for writability while the socket is full.
    private func flush(_ connection: BenchConnection) {
        let output = connection.output
        while !output.isEmpty {
            let region = output.readableRegion
            let written = write(connection.fd, region.baseAddress, region.count)
            if written > 0 {
                output.consume(written)
            } else if written < 0 && ferrite_errno() == EINTR {
                continue
            } else if written < 0 && ferrite_errno() == EAGAIN {
                break
            } else {
                worker.fail("send failed: \(String(cString: strerror(ferrite_errno())))")
                return
            }
        }
        let wantsWritable = !output.isEmpty
        if wantsWritable != connection.wantsWritable {
            connection.wantsWritable = wantsWritable
            control(EPOLL_CTL_MOD, connection, events: EPOLLIN.rawValue | (wantsWritable ? EPOLLOUT.rawValue : 0))
        }
    }
}
