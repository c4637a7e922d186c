/// A setting that cannot be used as given (a profile, the environment, a webhook URL), in one line that
/// names where it came from and never a secret.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
