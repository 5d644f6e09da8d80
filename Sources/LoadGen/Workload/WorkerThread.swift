#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Runs one worker on its own POSIX thread, with its own io_uring ring (created on that
/// thread, as IORING_SETUP_SINGLE_ISSUER requires) or epoll.
///
/// Ownership: `start` hands the worker to the new thread through a retained box; the starting
/// thread does not touch the worker again until `join` returns, and pthread_join orders
/// everything the worker wrote before everything the joiner reads. That hand-off is what makes
/// the `@unchecked Sendable` box safe.
final class WorkerThread {
    private final class Box: @unchecked Sendable {
        let worker: Worker
        let backend: BenchmarkConfig.IOBackend
        var usedBackend: BenchmarkConfig.IOBackend
        let finished: Atomic<Bool>
        init(worker: Worker, backend: BenchmarkConfig.IOBackend) {
            self.worker = worker
            self.backend = backend
            usedBackend = backend
            finished = Atomic(false)
        }
    }

    private var thread = pthread_t()
    private let box: Box
    /// The worker's live counters, safe to read from any thread.
    let progress: WorkerProgress

    init(worker: Worker, backend: BenchmarkConfig.IOBackend) {
        progress = worker.progress
        box = Box(worker: worker, backend: backend)
        let context = Unmanaged.passRetained(box).toOpaque()
        let status = pthread_create(&thread, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            WorkerThread.body(box)
            return nil
        }, context)
        precondition(status == 0, "pthread_create failed with \(status)")
    }

    private static func body(_ box: Box) {
        if box.backend == .ioUring, let driver = try? UringDriver(worker: box.worker) {
            driver.run()
        } else {
            box.usedBackend = .epoll
            do {
                try EpollDriver(worker: box.worker).run()
            } catch {
                box.worker.fail(error.description)
            }
        }
        box.finished.store(true, ordering: .releasing)
    }

    /// True once the worker has stopped (the thread may still be exiting).
    var isFinished: Bool { box.finished.load(ordering: .acquiring) }

    /// Waits for the thread; returns the worker and the backend it ran on.
    func join() -> (Worker, BenchmarkConfig.IOBackend) {
        pthread_join(thread, nil)
        return (box.worker, box.usedBackend)
    }
}
