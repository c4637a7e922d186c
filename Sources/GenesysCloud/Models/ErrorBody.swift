/// `ErrorBody`: what the Platform API returns with a 4xx or 5xx status.
public struct ErrorBody: Codable, Sendable, Equatable {
    public var message: String?
    public var code: String?
    public var status: Int?
    public var entityId: String?
    public var entityName: String?
    public var messageWithParams: String?
    public var messageParams: [String: String]?
    /// The request's `ININ-Correlation-ID`.
    public var contextId: String?
    public var details: [Detail]?
    public var errors: [ErrorBody]?
    public var limit: Limit?

    public init(status: Int, code: String, message: String, contextId: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.contextId = contextId
    }

    public struct Detail: Codable, Sendable, Equatable {
        public var errorCode: String?
        public var fieldName: String?
        public var entityId: String?
        public var entityName: String?
    }

    public struct Limit: Codable, Sendable, Equatable {
        public var key: String?
        public var namespace: String?
        public var value: Int?
    }
}

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
