#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Draws ranks 1...n with P(k) ∝ k^(-exponent) in constant time and memory, by rejection
/// inversion (W. Hörmann and G. Derflinger, "Rejection-inversion to generate variates from
/// monotone discrete distributions", 1996). A table of n cumulative weights would cost 80 MB for
/// memtier's default ten million keys; this costs four doubles.
///
/// The method samples x from the continuous density h(x) = x^(-s) over [0.5, n + 0.5] by
/// inverting its integral H, rounds to k, and accepts k when the area under h around k covers
/// the discrete weight k^(-s); the acceptance rate is above 90% for every s > 0.
struct ZipfSampler: Sendable {
    let n: Double
    let exponent: Double
    private let hIntegralX1: Double
    private let hIntegralN: Double
    private let squeeze: Double

    init(count: Int, exponent: Double) {
        precondition(count >= 1 && exponent > 0, "Zipf needs count ≥ 1 and exponent > 0, got \(count), \(exponent)")
        n = Double(count)
        self.exponent = exponent
        hIntegralX1 = Self.hIntegral(1.5, exponent) - 1
        hIntegralN = Self.hIntegral(n + 0.5, exponent)
        squeeze = 2 - Self.hIntegralInverse(Self.hIntegral(2.5, exponent) - Self.h(2, exponent), exponent)
    }

    /// A rank in 1...count.
    func sample(_ random: inout RandomSource) -> Int {
        while true {
            let u = hIntegralN + random.unitInterval() * (hIntegralX1 - hIntegralN)
            let x = Self.hIntegralInverse(u, exponent)
            var k = (x + 0.5).rounded(.down)
            if k < 1 { k = 1 } else if k > n { k = n }
            if k - x <= squeeze || u >= Self.hIntegral(k + 0.5, exponent) - Self.h(k, exponent) {
                return Int(k)
            }
        }
    }

    /// h(x) = x^(-s).
    private static func h(_ x: Double, _ s: Double) -> Double { exp(-s * log(x)) }

    /// H(x) = (x^(1-s) - 1) / (1 - s), and log(x) at s = 1, written to stay exact near s = 1.
    private static func hIntegral(_ x: Double, _ s: Double) -> Double {
        let logX = log(x)
        return expm1OverX((1 - s) * logX) * logX
    }

    /// The inverse of H.
    private static func hIntegralInverse(_ x: Double, _ s: Double) -> Double {
        var t = x * (1 - s)
        if t < -1 { t = -1 }  // rounding can push it just below the domain of log1p
        return exp(log1pOverX(t) * x)
    }

    /// (e^x - 1) / x, continuous at 0.
    private static func expm1OverX(_ x: Double) -> Double {
        abs(x) > 1e-8 ? expm1(x) / x : 1 + x / 2 * (1 + x / 3 * (1 + x / 4))
    }

    /// log(1 + x) / x, continuous at 0.
    private static func log1pOverX(_ x: Double) -> Double {
        abs(x) > 1e-8 ? log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x))
    }
}
