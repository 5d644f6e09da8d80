#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Elapsed time for work budgets (active expiry), independent of the injected wall clock
/// `DataStore.now`, which stands still during a command.
enum MonotonicClock {
    static func microseconds() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return time.tv_sec * 1_000_000 + time.tv_nsec / 1000
    }
}
