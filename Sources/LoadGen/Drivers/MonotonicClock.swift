#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// CLOCK_MONOTONIC in nanoseconds (a vDSO call, no system call): every latency is a difference
/// of two of these.
enum MonotonicClock {
    @inline(__always)
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }

    /// Wall-clock milliseconds since the epoch, for the JSON's start and finish times.
    static func wallMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
