/// An OAuth client's id and secret. The secret never appears in descriptions, logs or errors.
public struct ClientCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let clientID: String
    let clientSecret: String

    public init(clientID: String, clientSecret: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    /// Whether `text` contains the secret, so a caller can refuse to keep it (history, logs).
    public func secretAppears(in text: String) -> Bool {
        !clientSecret.isEmpty && text.contains(clientSecret)
    }

    public var description: String { "client \(clientID)" }
    public var debugDescription: String { description }
}
