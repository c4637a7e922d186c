/// An OAuth client's id and secret. The secret never appears in descriptions, logs or errors.
public struct ClientCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let clientID: String
    let clientSecret: String

    public init(clientID: String, clientSecret: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    public var description: String { "client \(clientID)" }
    public var debugDescription: String { description }
}
