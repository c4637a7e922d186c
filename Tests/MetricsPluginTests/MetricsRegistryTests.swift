import CoreMetrics
import Testing

@testable import MetricsBackend

@Suite struct MetricsRegistryTests {
    @Test func countersAndTimersAccumulatePerLabelSet() {
        let registry = MetricsRegistry()
        Counter(label: "requests_total", dimensions: [("route", "/a")], factory: registry).increment(by: 2)
        Counter(label: "requests_total", dimensions: [("route", "/a")], factory: registry).increment()
        Counter(label: "requests_total", dimensions: [("route", "/b")], factory: registry).increment()
        let timer = Timer(label: "latency_seconds", dimensions: [], factory: registry)
        for milliseconds in 1...100 { timer.recordNanoseconds(Int64(milliseconds) * 1_000_000) }
        let series = registry.series
        #expect(series.map(\.label) == ["latency_seconds", "requests_total", "requests_total"])
        #expect(series[1].count == 3 && series[2].count == 1)
        #expect(series[0].count == 100)
        #expect(abs(series[0].sum - 5.05) < 1e-9)
        #expect(series[0].percentile(0.5) == 0.05)
        #expect(series[0].percentile(0.95) == 0.095)
        #expect(series[0].percentile(0.99) == 0.099)
        registry.reset()
        #expect(registry.series.allSatisfy { $0.count == 0 })
    }

    @Test func quantilesCoverEveryValueWithinOnePercent() throws {
        let registry = MetricsRegistry()
        let timer = Timer(label: "latency_seconds", dimensions: [], factory: registry)
        // 100,000 values from 1 µs to 100 s: all of them count, not only the most recent.
        let values = (1...100_000).map { Int64($0) * Int64($0) * 10 }
        for value in values.reversed() { timer.recordNanoseconds(value) }
        let series = registry.series[0]
        for fraction in [0.5, 0.95, 0.99] {
            let exact = Double(values[Int((Double(values.count) * fraction).rounded(.up)) - 1]) / 1e9
            let quantile = try #require(series.percentile(fraction))
            #expect(abs(quantile - exact) <= exact * 0.01, "p\(fraction * 100): \(quantile) for \(exact)")
        }
        #expect(MetricsRegistry.Series.roundest(49_971_200...50_003_967) == 50_000_000)
        #expect(MetricsRegistry.Series.roundest(49_500_000...50_300_000) == 50_000_000)
        #expect(MetricsRegistry.Series.roundest(1234...1234) == 1234)
        #expect(MetricsRegistry.Series.roundest(0...0) == 0)
    }

    @Test func prometheusTextHasTypesBucketsAndEscapedLabels() {
        let registry = MetricsRegistry()
        Counter(
            label: "genesys_api_requests_total", dimensions: [("route", "/x/{id}"), ("note", "a\"b\\c\nd")],
            factory: registry
        ).increment()
        let timer = Timer(label: "latency_seconds", dimensions: [("route", "/x")], factory: registry)
        timer.recordNanoseconds(20_000_000)
        timer.recordNanoseconds(3_000_000_000)
        let text = PrometheusExposition.render(registry.series)
        #expect(text.contains("# TYPE genesys_api_requests_total counter\n"))
        #expect(text.contains(#"genesys_api_requests_total{note="a\"b\\c\nd",route="/x/{id}"} 1"#))
        #expect(text.contains("# TYPE latency_seconds histogram\n"))
        #expect(text.contains(#"latency_seconds_bucket{route="/x",le="0.01"} 0"#))
        #expect(text.contains(#"latency_seconds_bucket{route="/x",le="0.025"} 1"#))
        #expect(text.contains(#"latency_seconds_bucket{route="/x",le="5"} 2"#))
        #expect(text.contains(#"latency_seconds_bucket{route="/x",le="+Inf"} 2"#))
        #expect(text.contains(#"latency_seconds_sum{route="/x"} 3.02"#))
        #expect(text.contains(#"latency_seconds_count{route="/x"} 2"#))
        // Every line is a comment or `name{labels} value`.
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            #expect(line.wholeMatch(of: /[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [0-9.e+-]+/) != nil, "bad line: \(line)")
        }
    }
}
