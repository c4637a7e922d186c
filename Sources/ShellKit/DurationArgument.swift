import ArgumentParser

/// `500ms`, `30s`, `5m`, `1h`, or a number of seconds.
public struct DurationArgument: ExpressibleByArgument, Sendable {
    public let duration: Duration
    /// As the operator wrote it, for messages.
    public let text: String

    public init(_ duration: Duration) {
        self.duration = duration
        self.text = "\(duration.components.seconds)s"
    }

    public init?(argument: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let unit = units.first { argument.hasSuffix($0.0) && Double(argument.dropLast($0.0.count)) != nil }
        guard let number = Double(unit.map { String(argument.dropLast($0.0.count)) } ?? argument), number >= 0 else {
            return nil
        }
        duration = .milliseconds(Int((number * (unit?.1 ?? 1) * 1000).rounded()))
        text = argument
    }

    /// A default in help reads as the operator would type it (`300s`).
    public var defaultValueDescription: String { text }
}
