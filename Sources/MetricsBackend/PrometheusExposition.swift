import Foundation

/// The Prometheus text exposition format (version 0.0.4) of a registry's series.
public enum PrometheusExposition {
    public static func render(_ series: [MetricsRegistry.Series]) -> String {
        var text = ""
        var lastFamily = ""
        for item in series {
            let name = metricName(item.label)
            if name != lastFamily {
                text += "# TYPE \(name) \(item.kind == .counter ? "counter" : "histogram")\n"
                lastFamily = name
            }
            switch item.kind {
            case .counter:
                text += "\(name)\(labels(item.dimensions)) \(item.count)\n"
            case .histogram:
                for (bound, count) in zip(MetricsRegistry.buckets, item.bucketCounts) {
                    text += "\(name)_bucket\(labels(item.dimensions + [("le", number(bound))])) \(count)\n"
                }
                text += "\(name)_bucket\(labels(item.dimensions + [("le", "+Inf")])) \(item.count)\n"
                text += "\(name)_sum\(labels(item.dimensions)) \(number(item.sum))\n"
                text += "\(name)_count\(labels(item.dimensions)) \(item.count)\n"
            }
        }
        return text
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`: anything else becomes `_`.
    static func metricName(_ label: String) -> String {
        var name = String(label.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") ? $0 : "_" })
        if name.first?.isNumber ?? true { name = "_" + name }
        return name
    }

    static func labels(_ dimensions: [(String, String)]) -> String {
        guard !dimensions.isEmpty else { return "" }
        return "{" + dimensions.map { "\(metricName($0.0))=\"\(escaped($0.1))\"" }.joined(separator: ",") + "}"
    }

    /// Label values escape backslash, double quote and line feed.
    static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
