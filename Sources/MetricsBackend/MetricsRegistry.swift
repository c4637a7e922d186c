import CoreMetrics
import Histogram
import Synchronization

/// The swift-metrics backend of a shell session, owned by the executable: counters and histograms kept in
/// memory. Plugins read it through `ShellComponents` (`metrics`, `metrics export`, `metrics reset`).
public final class MetricsRegistry: MetricsFactory, Sendable {
    /// One labelled series: a counter, or a histogram of seconds (timers) or plain values (recorders).
    public struct Series: Sendable {
        public enum Kind: Sendable { case counter, histogram }
        public let label: String
        /// Sorted by name.
        public let dimensions: [(String, String)]
        public let kind: Kind
        public internal(set) var count: Int64 = 0
        public internal(set) var sum: Double = 0
        /// Every value since the last reset, in billionths (nanoseconds for timers), to two significant
        /// digits and no finer than a millionth: constant time per value, memory bounded by the range of
        /// values, not their number. Three digits, or nanoseconds, would take several times the memory (a
        /// kilobyte per doubling of the range, per series), and growing that table was a sixth of the
        /// shell's start-up.
        var quantiles: Histogram<UInt64> = {
            var histogram = Histogram<UInt64>(
                lowestDiscernibleValue: 1_000, highestTrackableValue: 2_000, numberOfSignificantValueDigits: .two)
            histogram.autoResize = true
            return histogram
        }()
        /// Cumulative counts per bucket bound of `MetricsRegistry.buckets`, exact (Prometheus buckets).
        public internal(set) var bucketCounts: [Int64] = Array(repeating: 0, count: MetricsRegistry.buckets.count)

        init(label: String, dimensions: [(String, String)], kind: Kind) {
            self.label = label
            self.dimensions = dimensions
            self.kind = kind
        }

        /// The value below which `fraction` of the values lie (nearest rank), nil when there are none. Of the
        /// values the histogram cannot tell apart from it, the one with the fewest significant digits.
        public func percentile(_ fraction: Double) -> Double? {
            guard quantiles.totalCount > 0 else { return nil }
            let value = quantiles.valueAtPercentile(fraction * 100)
            return Double(Self.roundest(quantiles.equivalentRangeForValue(value))) / MetricsRegistry.scale
        }

        /// The number in `range` with the fewest significant digits.
        static func roundest(_ range: ClosedRange<UInt64>) -> UInt64 {
            var step: UInt64 = 1
            while step <= range.upperBound / 10 { step *= 10 }
            while step > 1 {
                let (quotient, remainder) = range.lowerBound.quotientAndRemainder(dividingBy: step)
                let candidate =
                    remainder == 0
                    ? range.lowerBound
                    : (quotient + 1).multipliedReportingOverflow(by: step)
                        .partialValue
                if candidate >= range.lowerBound && candidate <= range.upperBound { return candidate }
                step /= 10
            }
            return range.lowerBound
        }

        mutating func observe(_ value: Double) {
            count += 1
            sum += value
            let scaled = (value * MetricsRegistry.scale).rounded()
            quantiles.record(scaled > 0 ? UInt64(Swift.min(scaled, MetricsRegistry.largestScaled)) : 0)
            for (index, bound) in MetricsRegistry.buckets.enumerated() where value <= bound { bucketCounts[index] += 1 }
        }
    }

    /// Histogram bucket bounds: seconds for latencies.
    public static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
    /// Histogram values are kept as integers in billionths; negative values count as zero in the quantiles.
    static let scale = 1e9
    static let largestScaled = Double(UInt64.max / 4)

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
            for (key, series) in all {
                all[key] = Series(label: series.label, dimensions: series.dimensions, kind: series.kind)
            }
        }
    }

    /// Changes the series in place (no copy of its histogram), creating it at zero if needed.
    func update(_ handler: Handler, _ change: (inout Series) -> Void) {
        state.withLock { all in
            change(
                &all[
                    handler.key,
                    default: Series(label: handler.label, dimensions: handler.dimensions, kind: handler.kind)])
        }
    }

    static func key(_ label: String, _ sortedDimensions: [(String, String)]) -> String {
        label + "{" + sortedDimensions.map { "\($0.0)=\($0.1)" }.joined(separator: ",") + "}"
    }

    private func handler(_ label: String, _ dimensions: [(String, String)], _ kind: Series.Kind) -> Handler {
        let handler = Handler(registry: self, label: label, dimensions: dimensions, kind: kind)
        update(handler) { _ in }
        return handler
    }

    // MARK: MetricsFactory

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        handler(label, dimensions, .counter)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        handler(label, dimensions, .histogram)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        handler(label, dimensions, .histogram)
    }

    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}

    /// Writes into the registry; holds no values of its own, only its series' key, computed once.
    final class Handler: CounterHandler, RecorderHandler, TimerHandler, Sendable {
        let registry: MetricsRegistry
        let label: String
        let dimensions: [(String, String)]
        let kind: Series.Kind
        let key: String

        init(registry: MetricsRegistry, label: String, dimensions: [(String, String)], kind: Series.Kind) {
            self.registry = registry
            self.label = label
            self.dimensions = dimensions.sorted { $0.0 < $1.0 }
            self.kind = kind
            self.key = MetricsRegistry.key(label, self.dimensions)
        }

        func increment(by amount: Int64) {
            registry.update(self) {
                $0.count += amount
                $0.sum += Double(amount)
            }
        }

        func reset() {
            registry.update(self) {
                $0.count = 0
                $0.sum = 0
            }
        }

        func record(_ value: Int64) { registry.update(self) { $0.observe(Double(value)) } }
        func record(_ value: Double) { registry.update(self) { $0.observe(value) } }
        func recordNanoseconds(_ duration: Int64) { registry.update(self) { $0.observe(Double(duration) / 1e9) } }
    }
}
