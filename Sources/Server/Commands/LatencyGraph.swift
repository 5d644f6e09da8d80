import Engine

/// LATENCY GRAPH's picture of one event, drawn as Redis's sparkline draws it: a title line, 80
/// dashes, then the samples oldest first, 80 to a block, each a column four rows high (filled
/// with `_`, `o`, `#` and `|` in twelve steps between the lowest and the highest sample), a
/// blank row, and under each column, written downwards, how long ago it happened.
enum LatencyGraph {
    static let columns = 80
    static let rows = 4
    static let steps: [Character] = ["_", "o", "#"]

    static func render(event: String, series: LatencyMonitor.Series, now: Int64) -> String {
        let values = series.samples.map(\.milliseconds)
        let low = values.min() ?? 0
        let high = values.max() ?? 0
        var text = "\(event) - high \(high) ms, low \(low) ms (all time high \(series.highest) ms)\n"
        text += String(repeating: "-", count: columns) + "\n"
        let labels = series.samples.map { age(now - $0.time) }
        var start = 0
        while start < values.count {
            if start != 0 { text += "\n" }
            let end = min(start + columns, values.count)
            text += block(values[start..<end], labels: labels[start..<end], low: low, high: high)
            start = end
        }
        return text
    }

    /// "42s", "3m", "5h", "2d": Redis's label of a sample's age.
    static func age(_ seconds: Int64) -> String {
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        if seconds < 86400 { return "\(seconds / 3600)h" }
        return "\(seconds / 86400)d"
    }

    /// One block of up to 80 columns, its rows joined by newlines (Redis's
    /// `sparklineRenderRange` with SPARKLINE_FILL).
    static func block(_ values: ArraySlice<Int64>, labels: ArraySlice<String>, low: Int64, high: Int64) -> String {
        let range = high == low ? 1 : Double(high - low)
        let levels = steps.count * rows
        let heights = values.map { value -> Int in
            let step = Int(Double(Int(Double(value - low) * Double(levels))) / range)
            return min(max(step, 0), levels - 1)
        }
        var lines: [String] = []
        for row in 0..<rows {
            lines.append(String(heights.map { height -> Character in
                let index = height - (rows - row - 1) * steps.count
                if index >= steps.count { return "|" }
                return index >= 0 ? steps[index] : " "
            }))
        }
        lines.append(String(repeating: " ", count: heights.count))
        let labelRows = labels.map(\.count).max() ?? 0
        for row in 0..<labelRows {
            lines.append(String(labels.map { label -> Character in
                row < label.count ? label[label.index(label.startIndex, offsetBy: row)] : " "
            }))
        }
        return lines.map { $0 + "\n" }.joined()
    }
}
