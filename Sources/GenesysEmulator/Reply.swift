import JSONDocument

/// Every `code` the emulator puts in an `ErrorBody`, in one place.
///
/// The authentication, rate-limit and not-found codes are Genesys's; the campaign-rule codes are
/// guesses, since no public source gives them (docs/genesys-api.md, "Emulator options for what no source settles"). The stale-version code is
/// ``EmulatorConfiguration/versionConflictCode``.
enum ErrorCode {
    static let badRequest = "bad.request"
    static let invalidProperty = "invalid.property"
    static let invalidValue = "invalid.value"
    static let maxActiveCampaignsExceeded = "max.active.campaigns.exceeded"
    static let notFound = "not.found"
    static let authenticationRequired = "authentication.required"
    static let badCredentials = "bad.credentials"
    static let missingPermissions = "missing.permissions"
    static let referencedEntity = "referenced.entity"
    static let tooManyRequests = "too.many.requests"
    static let internalServerError = "internal.server.error"
    static let badGateway = "bad.gateway"
    static let serviceUnavailable = "service.unavailable"
    static let gatewayTimeout = "gateway.timeout"
}

/// An answer from the emulated org, before the HTTP layer adds the common headers.
struct Reply: Sendable {
    enum Body: Sendable {
        case none
        /// A document, and the SDK model it must fit (checked before it is sent).
        case document(JSONValue, DocumentModel)
        /// An `ErrorBody`; the HTTP layer adds `contextId`.
        case error(code: String, message: String)
        /// The body of a refused `/oauth/token` request (not an SDK model).
        case oauthError(error: String, description: String)
    }

    /// What a served document is checked against.
    enum DocumentModel: Sendable {
        case model(String)
        case listOf(String)
        /// Documents of no SDK model: the token, queue listings, the control API's logs.
        case unchecked
    }

    var status: Int
    var body: Body = .none
    var headers: [(String, String)] = []

    static func document(_ value: JSONValue, as model: String, status: Int = 200) -> Reply {
        Reply(status: status, body: .document(value, .model(model)))
    }

    static func document(_ object: JSONObject, as model: String, status: Int = 200) -> Reply {
        document(.object(object), as: model, status: status)
    }

    static func unchecked(_ value: JSONValue, status: Int = 200) -> Reply {
        Reply(status: status, body: .document(value, .unchecked))
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> Reply {
        Reply(status: status, body: .error(code: code, message: message))
    }

    static let noContent = Reply(status: 204)

    static func notFound(_ what: String = "resource") -> Reply {
        .error(404, ErrorCode.notFound, "The requested \(what) could not be found.")
    }

    static func badRequest(_ message: String, code: String = ErrorCode.badRequest) -> Reply {
        .error(400, code, message)
    }

    /// Genesys's wording for a refused campaign update (docs/genesys-api.md, "Transitions").
    static func invalidCampaignUpdate(_ details: String) -> Reply {
        .badRequest("An attempt was made to update a Campaign in an invalid way. Details: \(details)")
    }

    /// A request body that does not fit the SDK's `model`, naming the fields and why.
    static func invalidBody(_ violations: [SchemaViolation], model: String) -> Reply {
        .badRequest("The request body is not a valid \(model): \(violations.summary)", code: ErrorCode.invalidProperty)
    }

    /// A request body that is not JSON, saying where reading stopped.
    static func unreadableBody(_ error: JSONSyntaxError) -> Reply {
        .badRequest("The request body is \(error.description).")
    }
}

/// Reading request bodies: a refusal is thrown as the reply that says what is wrong.
enum RequestBody {
    /// `bytes` as JSON; a body of only whitespace reads as `empty` when one is given.
    static func parse(_ bytes: [UInt8], empty: JSONValue? = nil) throws(ReplyError) -> JSONValue {
        if let empty, bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) { return empty }
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            throw ReplyError(.unreadableBody(error))
        }
    }

    /// `bytes` as an object that fits the SDK's `model`.
    static func object(_ bytes: [UInt8], as model: String) throws(ReplyError) -> JSONObject {
        let value = try parse(bytes)
        let violations = SDKSchema.shared.validate(value, as: model)
        guard violations.isEmpty else { throw ReplyError(.invalidBody(violations, model: model)) }
        guard let object = value.objectValue else {
            throw ReplyError(
                .badRequest(
                    "The request body is not a valid \(model): expected an object.", code: ErrorCode.invalidProperty))
        }
        return object
    }
}

/// A reply carried as an error, so handlers can refuse with `throw` from any depth.
struct ReplyError: Error {
    var reply: Reply
    init(_ reply: Reply) { self.reply = reply }
}

/// Runs `handler`, answering with the reply it throws when it refuses.
func replying(_ handler: () throws(ReplyError) -> Reply) -> Reply {
    do {
        return try handler()
    } catch {
        return error.reply
    }
}
