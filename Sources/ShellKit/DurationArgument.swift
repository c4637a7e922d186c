import ArgumentParser

/// A duration typed as `500ms`, `90s`, `5m`, `2h` or a number of seconds.
public struct DurationArgument: ExpressibleByArgument, Sendable {
    public let duration: Duration
    /// As the operator wrote it, for messages.
    public let text: String

    /// The longest duration taken: longer is a typo, and would overflow the clock's arithmetic.
    public static let longest = Duration.seconds(30 * 86_400)
    public init(_ duration: Duration) {
        self.duration = duration
        self.text = "\(duration.components.seconds)s"
    }

    /// Nil for what is not a duration or lies outside 0…30 days (`inf`, `nan`, `-1s`, `1e300s`).
    public init?(argument: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let unit = units.first { argument.hasSuffix($0.0) && Double(argument.dropLast($0.0.count)) != nil }
        guard let number = Double(unit.map { String(argument.dropLast($0.0.count)) } ?? argument) else { return nil }
        let seconds = number * (unit?.1 ?? 1)
        // Checked as a double, before any conversion to an integer can trap.
        guard seconds.isFinite, seconds >= 0, seconds <= Double(Self.longest.components.seconds) else { return nil }
        duration = .milliseconds(Int((seconds * 1000).rounded()))
        text = argument
    }

    /// A default in help reads as the operator would type it (`300s`).
    public var defaultValueDescription: String { text }
}
