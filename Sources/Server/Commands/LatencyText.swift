import Glibc

/// How Redis writes and reads latency figures, for INFO latencystats and CONFIG GET/SET
/// latency-tracking-info-percentiles.
enum LatencyText {
    /// A percentile as Redis prints it: `%f`, then trailing zeros and a bare point dropped
    /// (`trimDoubleString`): 50 → "50", 99.9 → "99.9".
    static func percentile(_ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 400)
        let length = Int(withVaList([value]) { vsnprintf(&buffer, buffer.count, "%f", $0) })
        var text = String(decoding: buffer.prefix(min(length, buffer.count - 1)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// Nanoseconds as microseconds with three decimals (`%.3f` of ns / 1000, exact for whole
    /// nanoseconds).
    static func microseconds(nanoseconds: Int64) -> String {
        let fraction = String(nanoseconds % 1000)
        return "\(nanoseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// Redis's `string2d`: all of `text` is one `strtod` number, not NaN, with no leading
    /// space, and not out of range.
    static func parseDouble(_ text: String) -> Double? {
        guard let first = text.utf8.first, isspace(Int32(first)) == 0 else { return nil }
        return text.withCString { start -> Double? in
            var end: UnsafeMutablePointer<CChar>?
            errno = 0
            let value = strtod(start, &end)
            guard let end, end - UnsafeMutablePointer(mutating: start) == text.utf8.count, !value.isNaN else { return nil }
            if errno == ERANGE && (value.isInfinite || value == 0) { return nil }
            return value
        }
    }
}
