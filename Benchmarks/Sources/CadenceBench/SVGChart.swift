import Foundation

/// Draws the benchmark's chart as a standalone SVG: a histogram of send deviation for every
/// scenario (log-count, overlaid), then one small deviation-over-time strip per scenario.
/// Written by hand so the benchmark needs no plotting dependency.
struct SVGChart {
    struct Series {
        var name: String
        /// Send deviation of each frame from its ideal slot, in microseconds, in send order.
        var deviationsMicros: [Double]
    }

    var title: String
    var series: [Series]

    private static let palette = [
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"
    ]
    private let width = 960.0
    private let histogramHeight = 300.0
    private let stripHeight = 70.0
    private let margin = 60.0

    func render() -> String {
        let height = margin * 2 + histogramHeight + 40 + Double(series.count) * (stripHeight + 20)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            font-family="sans-serif" font-size="11">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(margin)" y="24" font-size="15" font-weight="bold">\(escape(title))</text>

            """
        svg += histogram(top: margin)
        var y = margin + histogramHeight + 40
        for (index, item) in series.enumerated() {
            svg += strip(item, color: Self.palette[index % Self.palette.count], top: y)
            y += stripHeight + 20
        }
        return svg + "</svg>\n"
    }

    /// Bins of 50 µs up to the largest deviation seen (capped at 5 ms so one outlier can't flatten it).
    private func histogram(top: Double) -> String {
        let binWidth = 50.0
        let maxDeviation = min(5000, max(1000, series.flatMap(\.deviationsMicros).max() ?? 1000))
        let binCount = Int((maxDeviation / binWidth).rounded(.up)) + 1
        let plotWidth = width - 2 * margin
        var out = axisBox(
            top: top, height: histogramHeight,
            xLabel: "send deviation from the 20 ms schedule (µs)",
            yLabel: "frames (log)")
        var maxCount = 1.0
        let counts = series.map { item -> [Double] in
            var bins = [Double](repeating: 0, count: binCount)
            for d in item.deviationsMicros { bins[min(binCount - 1, max(0, Int(abs(d) / binWidth)))] += 1 }
            maxCount = max(maxCount, bins.max() ?? 1)
            return bins
        }
        let logMax = log10(maxCount + 1)
        for (index, bins) in counts.enumerated() {
            let color = Self.palette[index % Self.palette.count]
            var path = ""
            for (bin, count) in bins.enumerated() {
                let x0 = margin + plotWidth * Double(bin) / Double(binCount)
                let x1 = margin + plotWidth * Double(bin + 1) / Double(binCount)
                let y = top + histogramHeight - histogramHeight * log10(count + 1) / logMax
                path += (bin == 0 ? "M\(f(x0)),\(f(y))" : "L\(f(x0)),\(f(y))") + "L\(f(x1)),\(f(y))"
            }
            out += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"/>\n"
            out +=
                "<text x=\"\(f(width - margin - 220))\" y=\"\(f(top + 16 + 14 * Double(index)))\" "
                + "fill=\"\(color)\">\(escape(series[index].name))</text>\n"
        }
        for tick in stride(from: 0.0, through: maxDeviation, by: maxDeviation <= 2000 ? 250 : 1000) {
            let x = margin + plotWidth * tick / (Double(binCount) * binWidth)
            out +=
                "<text x=\"\(f(x))\" y=\"\(f(top + histogramHeight + 14))\" text-anchor=\"middle\">"
                + "\(Int(tick))</text>\n"
        }
        return out
    }

    /// Deviation over time for one scenario; the y axis is fixed at 0–2 ms so strips compare.
    private func strip(_ item: Series, color: String, top: Double) -> String {
        let plotWidth = width - 2 * margin
        var out = axisBox(top: top, height: stripHeight, xLabel: nil, yLabel: nil)
        out +=
            "<text x=\"\(margin)\" y=\"\(f(top - 4))\">\(escape(item.name)) — deviation over time "
            + "(0–2 ms)</text>\n"
        let values = item.deviationsMicros
        guard !values.isEmpty else { return out }
        // One point per pixel column: the column's maximum, so spikes stay visible.
        let columns = Int(plotWidth)
        var path = ""
        for column in 0..<columns {
            let lo = values.count * column / columns, hi = max(lo + 1, values.count * (column + 1) / columns)
            guard lo < values.count else { break }
            let peak = values[lo..<min(hi, values.count)].map { abs($0) }.max() ?? 0
            let y = top + stripHeight - stripHeight * min(peak, 2000) / 2000
            path += (column == 0 ? "M" : "L") + "\(f(margin + Double(column))),\(f(y))"
        }
        return out + "<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1\"/>\n"
    }

    private func axisBox(top: Double, height: Double, xLabel: String?, yLabel: String?) -> String {
        var out =
            "<rect x=\"\(margin)\" y=\"\(f(top))\" width=\"\(f(width - 2 * margin))\" "
            + "height=\"\(f(height))\" fill=\"none\" stroke=\"#999\"/>\n"
        if let xLabel {
            out +=
                "<text x=\"\(f(width / 2))\" y=\"\(f(top + height + 30))\" text-anchor=\"middle\">"
                + "\(escape(xLabel))</text>\n"
        }
        if let yLabel {
            out +=
                "<text x=\"14\" y=\"\(f(top + height / 2))\" transform=\"rotate(-90 14 \(f(top + height / 2)))\" "
                + "text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        }
        return out
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }
}
