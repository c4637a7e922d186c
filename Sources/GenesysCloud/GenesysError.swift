/// Why a call to Genesys Cloud failed. `description` is one line fit for an operator, with no secret in it.
public struct GenesysError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The API answered with an error status (`status`, and `code` and `message` from its `ErrorBody` JSON).
        case api
        /// The login host refused the client credentials.
        case authentication
        /// Rate limited with a `Retry-After` beyond the configured cap, or too many 429s in a row.
        case rateLimited
        /// No answer: connection refused or reset, or a timeout, after the bounded retries.
        case unreachable
        /// An answer this client could not understand.
        case invalidResponse
    }

    public let kind: Kind
    /// The request, e.g. `PUT /api/v2/outbound/campaigns/{campaignId}`.
    public let request: String
    public let status: Int?
    public let code: String?
    public let message: String
    /// `ININ-Correlation-ID` of the failed response: quote it in a support case.
    public let correlationID: String?

    public init(
        kind: Kind, request: String, status: Int? = nil, code: String? = nil, message: String,
        correlationID: String? = nil
    ) {
        self.kind = kind
        self.request = request
        self.status = status
        self.code = code
        self.message = message
        self.correlationID = correlationID
    }

    /// A stale `version` on an update: 409, or 400 whose message talks about the version (docs/genesys-api.md, "Stale version").
    public var isVersionConflict: Bool {
        kind == .api && (status == 409 || (status == 400 && message.lowercased().contains("version")))
    }

    /// Status, code and message, without the request: for a warning about a secondary read.
    public var shortDescription: String {
        [status.map(String.init), code.map { "\($0):" }, message].compactMap { $0 }.joined(separator: " ")
    }

    /// A 403: the OAuth client's role lacks a permission (the message usually names it).
    public var isForbidden: Bool { kind == .api && status == 403 }

    public var description: String {
        var text = "\(request): "
        if let status { text += "\(status) " }
        if let code { text += "\(code): " }
        text += message
        if let correlationID { text += " (correlation \(correlationID))" }
        return text
    }
}
