import CoreMetrics
import Foundation
import Synchronization

/// The swift-metrics backend of a shell session: counters and histograms kept in memory, shown by
/// `metrics` and exported in the Prometheus text format.
public final class MetricsRegistry: MetricsFactory, Sendable {
    /// One labelled series: a counter, or a histogram of seconds (timers) or plain values (recorders).
    public struct Series: Sendable {
        public enum Kind: Sendable { case counter, histogram }
        public let label: String
        public let dimensions: [(String, String)]
        public let kind: Kind
        public var count: Int64 = 0
        public var sum: Double = 0
        /// The most recent values (at most `sampleLimit`), for percentiles.
        var samples: [Double] = []
        /// Cumulative counts per bucket bound of `MetricsRegistry.buckets`.
        var bucketCounts: [Int64] = Array(repeating: 0, count: MetricsRegistry.buckets.count)

        public func percentile(_ fraction: Double) -> Double? {
            guard !samples.isEmpty else { return nil }
            let sorted = samples.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
        }
    }

    /// Histogram bucket bounds: seconds for latencies.
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
    static let sampleLimit = 2_048

    private let state = Mutex<[String: Series]>([:])

    public init() {}

    /// Every series, sorted by label and dimensions.
    public var series: [Series] {
        state.withLock { Array($0.values) }.sorted {
            ($0.label, Self.key("", $0.dimensions)) < ($1.label, Self.key("", $1.dimensions))
        }
    }

    /// Forgets every value (the series stay, at zero).
    public func reset() {
        state.withLock { all in
            for key in all.keys {
                all[key] = Series(label: all[key]!.label, dimensions: all[key]!.dimensions, kind: all[key]!.kind)
            }
        }
    }

    func update(_ label: String, _ dimensions: [(String, String)], kind: Series.Kind, _ change: (inout Series) -> Void)
    {
        let key = Self.key(label, dimensions)
        state.withLock { all in
            var series = all[key] ?? Series(label: label, dimensions: dimensions.sorted { $0.0 < $1.0 }, kind: kind)
            change(&series)
            all[key] = series
        }
    }

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        label + "{" + dimensions.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: ",") + "}"
    }

    func observe(_ label: String, _ dimensions: [(String, String)], value: Double) {
        update(label, dimensions, kind: .histogram) { series in
            series.count += 1
            series.sum += value
            if series.samples.count >= Self.sampleLimit { series.samples.removeFirst(series.samples.count / 2) }
            series.samples.append(value)
            for (index, bound) in Self.buckets.enumerated() where value <= bound { series.bucketCounts[index] += 1 }
        }
    }

    // MARK: MetricsFactory

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        update(label, dimensions, kind: .counter) { _ in }
        return Handler(registry: self, label: label, dimensions: dimensions)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        update(label, dimensions, kind: .histogram) { _ in }
        return Handler(registry: self, label: label, dimensions: dimensions)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        update(label, dimensions, kind: .histogram) { _ in }
        return Handler(registry: self, label: label, dimensions: dimensions)
    }

    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}

    /// Writes into the registry; holds no state of its own.
    final class Handler: CounterHandler, RecorderHandler, TimerHandler, Sendable {
        let registry: MetricsRegistry
        let label: String
        let dimensions: [(String, String)]

        init(registry: MetricsRegistry, label: String, dimensions: [(String, String)]) {
            self.registry = registry
            self.label = label
            self.dimensions = dimensions
        }

        func increment(by amount: Int64) {
            registry.update(label, dimensions, kind: .counter) {
                $0.count += amount
                $0.sum += Double(amount)
            }
        }

        func reset() {
            registry.update(label, dimensions, kind: .counter) {
                $0.count = 0
                $0.sum = 0
            }
        }

        func record(_ value: Int64) { registry.observe(label, dimensions, value: Double(value)) }
        func record(_ value: Double) { registry.observe(label, dimensions, value: value) }
        func recordNanoseconds(_ duration: Int64) { registry.observe(label, dimensions, value: Double(duration) / 1e9) }
    }
}
