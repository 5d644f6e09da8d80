#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import CFerriteSys

/// A cheap clock for timing every command (INFO commandstats): the CPU's time-stamp counter on
/// x86-64 (a few nanoseconds, where `clock_gettime` costs tens inside a VM), the monotonic
/// clock in nanoseconds elsewhere. Ticks become microseconds with a rate measured once.
public enum CycleClock {
    @inline(__always)
    public static func now() -> UInt64 {
        #if arch(x86_64)
        return readTimeStampCounter()
        #else
        return monotonicNanoseconds()
        #endif
    }

    /// Converts a tick count to microseconds.
    public static func microseconds(_ ticks: UInt64) -> Int64 {
        Int64(Double(ticks) / ticksPerMicrosecond)
    }

    /// Converts microseconds to a tick count, rounded down (so a duration of at least that many
    /// ticks may reach the microseconds; fewer never does); `UInt64.max` past what ticks hold.
    public static func ticks(microseconds: Int64) -> UInt64 {
        let ticks = Double(max(microseconds, 0)) * ticksPerMicrosecond
        return ticks < Double(UInt64.max) ? UInt64(ticks) : .max
    }

    /// Ticks per microsecond, measured against the monotonic clock over 10 ms at first use.
    static let ticksPerMicrosecond: Double = {
        #if arch(x86_64)
        let startTicks = now()
        let startNanos = monotonicNanoseconds()
        var pause = timespec(tv_sec: 0, tv_nsec: 10_000_000)
        nanosleep(&pause, nil)
        let ticks = Double(now() &- startTicks)
        let micros = Double(monotonicNanoseconds() - startNanos) / 1000
        return micros > 0 && ticks > 0 ? ticks / micros : 1000
        #else
        return 1000
        #endif
    }()

    static func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    #if arch(x86_64)
    @inline(__always)
    static func readTimeStampCounter() -> UInt64 { UInt64(ferrite_cycles()) }
    #endif
}
