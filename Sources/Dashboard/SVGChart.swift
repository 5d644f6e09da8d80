import Foundation

/// A line chart rendered as SVG text by our own code (the pages load nothing from elsewhere):
/// axes with ticks, axis titles with units, a legend, lines with points that may link to a
/// page, and vertical markers. Colours come from CSS classes, so the page's theme (dark or
/// light) styles the chart.
struct SVGChart {
    struct Point {
        var x: Double
        var y: Double
        var link: String?
        var title: String
    }

    struct Line {
        var name: String
        /// `series-0`…: the class that gives the line its colour.
        var cssClass: String
        var points: [Point]
        var dashed = false
    }

    struct Marker {
        var x: Double
        var label: String
        /// `regression` or `improvement`.
        var cssClass: String
    }

    var title: String
    var xTitle: String
    var yTitle: String
    var lines: [Line]
    /// Tick positions and their labels on the x axis.
    var xTicks: [(Double, String)]
    var markers: [Marker] = []
    var yFormat: (Double) -> String = { SVGChart.compact($0) }
    var width = 760.0
    var height = 320.0

    private let left = 72.0, right = 56.0, bottom = 64.0

    func render() -> String {
        let xs = lines.flatMap { $0.points.map(\.x) } + xTicks.map(\.0)
        let ys = lines.flatMap { $0.points.map(\.y) }
        guard let xMin = xs.min(), let xMax = xs.max(), let yLow = ys.min(), let yHigh = ys.max() else {
            return "<p class=\"empty\">No samples for \(Html.escape(title)).</p>"
        }
        // A margin above and below the data, so no point sits on the frame.
        let pad = max(yHigh - yLow, abs(yHigh) * 0.02) * 0.08
        let yTicks = Self.niceTicks(low: yLow >= 0 ? max(0, yLow - pad) : yLow - pad, high: yHigh + pad)
        let yMin = yTicks.first!, yMax = yTicks.last!
        // The legend sits right-aligned on the title's line, or on a line of its own below it
        // when the two would overlap (a title's characters are about 8 units wide).
        let legendWidths = lines.map { 30 + Double($0.name.count) * 6.5 }
        let legendStart = width - right - legendWidths.reduce(0, +)
        let legendWrapped = left + Double(title.count) * 8 + 16 > legendStart
        let legendBaseline = legendWrapped ? 40.0 : 20.0
        let top = legendWrapped ? 56.0 : 36.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func px(_ x: Double) -> Double { xMax == xMin ? left + plotWidth / 2 : left + (x - xMin) / (xMax - xMin) * plotWidth }
        func py(_ y: Double) -> Double { yMax == yMin ? top + plotHeight / 2 : top + (1 - (y - yMin) / (yMax - yMin)) * plotHeight }

        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(Html.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<title>\(Html.escape(title))</title>"
        svg += "<text class=\"chart-title\" x=\"\(f(left))\" y=\"20\">\(Html.escape(title))</text>"
        for tick in yTicks {
            svg += "<line class=\"grid\" x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(py(tick)))\" y2=\"\(f(py(tick)))\"/>"
            svg += "<text class=\"tick\" x=\"\(f(left - 6))\" y=\"\(f(py(tick) + 4))\" text-anchor=\"end\">\(Html.escape(yFormat(tick)))</text>"
        }
        for (x, label) in xTicks {
            svg += "<line class=\"axis\" x1=\"\(f(px(x)))\" x2=\"\(f(px(x)))\" y1=\"\(f(top + plotHeight))\" y2=\"\(f(top + plotHeight + 5))\"/>"
            svg += "<text class=\"tick\" transform=\"translate(\(f(px(x) + 4)),\(f(top + plotHeight + 10))) rotate(40)\">\(Html.escape(label))</text>"
        }
        svg += "<line class=\"axis\" x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(top + plotHeight))\" y2=\"\(f(top + plotHeight))\"/>"
        svg += "<line class=\"axis\" x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(top + plotHeight))\"/>"
        svg += "<text class=\"axis-title\" transform=\"translate(14,\(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(Html.escape(yTitle))</text>"
        svg += "<text class=\"axis-title\" x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 4))\" text-anchor=\"middle\">\(Html.escape(xTitle))</text>"
        for marker in markers {
            svg += "<g class=\"marker \(marker.cssClass)\"><line x1=\"\(f(px(marker.x)))\" x2=\"\(f(px(marker.x)))\" y1=\"\(f(top))\" y2=\"\(f(top + plotHeight))\"/>"
            svg += "<text x=\"\(f(px(marker.x) + 3))\" y=\"\(f(top + 10))\">\(Html.escape(marker.label))</text></g>"
        }
        for line in lines where !line.points.isEmpty {
            let path = line.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            svg += "<g class=\"\(line.cssClass)\"><polyline class=\"line\(line.dashed ? " dashed" : "")\" points=\"\(path)\"/>"
            for point in line.points {
                let circle = "<circle cx=\"\(f(px(point.x)))\" cy=\"\(f(py(point.y)))\" r=\"3.5\"><title>\(Html.escape(point.title))</title></circle>"
                svg += point.link.map { "<a href=\"\(Html.escape($0))\">\(circle)</a>" } ?? circle
            }
            svg += "</g>"
        }
        var legendX = legendStart
        for (line, itemWidth) in zip(lines, legendWidths) {
            svg += "<g class=\"legend \(line.cssClass)\"><line class=\"line\(line.dashed ? " dashed" : "")\" x1=\"\(f(legendX))\" x2=\"\(f(legendX + 18))\" "
                + "y1=\"\(f(legendBaseline - 4))\" y2=\"\(f(legendBaseline - 4))\"/>"
            svg += "<text x=\"\(f(legendX + 22))\" y=\"\(f(legendBaseline))\">\(Html.escape(line.name))</text></g>"
            legendX += itemWidth
        }
        return svg + "</svg>"
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }

    /// Round tick values (1, 2 or 5 × 10ⁿ apart) covering `low…high`, about five of them.
    static func niceTicks(low: Double, high: Double) -> [Double] {
        var low = low, high = high
        if low == high {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let span = high - low
        let rough = span / 5
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        let first = floor(low / step) * step
        var ticks: [Double] = []
        var tick = first
        while tick < high + step * 0.999 {
            ticks.append(tick)
            if tick >= high { break }
            tick += step
        }
        return ticks
    }

    /// 950000 → "950k", 1200000 → "1.2M", 0.25 → "0.25".
    static func compact(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1_000_000 { return trimmed(value / 1_000_000) + "M" }
        if magnitude >= 1_000 { return trimmed(value / 1_000) + "k" }
        return trimmed(value)
    }

    private static func trimmed(_ value: Double) -> String {
        var text = String(format: abs(value) >= 100 ? "%.0f" : abs(value) >= 10 ? "%.1f" : "%.3g", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}

/// HTML text escaping for the pages.
enum Html {
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
