/// The body of an OAuth error from `login…/oauth/token`.
public struct OAuthErrorBody: Codable, Sendable, Equatable {
    public var error: String?
    public var description: String?
    public var errorDescription: String?

    public init(error: String, description: String) {
        self.error = error
        self.description = description
        self.errorDescription = description
    }

    enum CodingKeys: String, CodingKey {
        case error, description
        case errorDescription = "error_description"
    }
}
