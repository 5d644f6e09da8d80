/// Fixed-point number formatting and padding for the table, progress line and JSON (what
/// printf's `%12.2f` does, without Foundation).
enum Text {
    /// `value` with exactly `digits` decimals, rounded half away from zero.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return String(value) }
        let units = UInt64(scaled)
        let sign = value < 0 && units != 0 ? "-" : ""
        let whole = units / UInt64(scale)
        guard digits > 0 else { return sign + String(whole) }
        var fraction = String(units % UInt64(scale))
        while fraction.count < digits { fraction = "0" + fraction }
        return sign + String(whole) + "." + fraction
    }

    /// Right-aligned in `width` columns.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// Left-aligned in `width` columns.
    static func padRight(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// "1.23MB" / "456.78KB" / "12.00B" as memtier prints byte rates.
    static func byteRate(_ bytesPerSecond: Double) -> String {
        if bytesPerSecond >= 1024 * 1024 { return fixed(bytesPerSecond / 1024 / 1024, 2) + "MB" }
        if bytesPerSecond >= 1024 { return fixed(bytesPerSecond / 1024, 2) + "KB" }
        return fixed(bytesPerSecond, 2) + "B"
    }
}
