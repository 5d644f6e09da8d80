#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// xoshiro256** seeded through SplitMix64: a fast, allocation-free generator, one per
/// connection, so runs are reproducible for a given seed (memtier's fixed default seed,
/// `--randomize` for the clock, `--distinct-client-seed` for one stream per connection).
struct RandomSource {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    init(seed: UInt64) {
        var x = seed
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(&x); s1 = splitMix(&x); s2 = splitMix(&x); s3 = splitMix(&x)
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, bound) (Lemire's multiply-shift; the bias is below 2⁻³² for our ranges).
    @inline(__always)
    mutating func next(below bound: UInt64) -> UInt64 {
        next().multipliedFullWidth(by: bound).high
    }

    /// Uniform in (0, 1]: never 0, so `log` of it is finite.
    @inline(__always)
    mutating func unitInterval() -> Double {
        Double((next() >> 11) + 1) * 0x1.0p-53
    }

    /// Standard normal (Box–Muller; one of the pair is dropped, which keeps the state small).
    mutating func gaussian() -> Double {
        let u1 = unitInterval(), u2 = unitInterval()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Exponential with mean `mean`: gaps between Poisson arrivals.
    @inline(__always)
    mutating func exponential(mean: Double) -> Double {
        -log(unitInterval()) * mean
    }
}
