import Foundation
import NIOHTTP1

/// An access token and when it stops being valid.
public struct AccessToken: Sendable, Equatable {
    let value: String
    public let expiresAt: Date
}

/// OAuth client-credentials tokens from `login…/oauth/token`, cached in memory.
///
/// A token is reused until `refreshMargin` (60 s) before it expires; concurrent callers share one
/// in-flight token request; a token the API rejects with 401 is dropped so the next call fetches a new one.
public actor TokenProvider {
    private let executor: HTTPExecutor
    private let tokenURL: URL
    private let credentials: ClientCredentials
    private let refreshMargin: TimeInterval
    private let now: @Sendable () -> Date
    private var cached: AccessToken?
    private var inFlight: Task<AccessToken, any Error>?
    /// How many token requests succeeded, for `whoami` and tests.
    public private(set) var issuedCount = 0

    init(
        executor: HTTPExecutor, environment: GenesysEnvironment, credentials: ClientCredentials,
        refreshMargin: TimeInterval = 60, now: @escaping @Sendable () -> Date
    ) {
        self.executor = executor
        self.tokenURL = environment.loginBase.appending(path: "oauth/token")
        self.credentials = credentials
        self.refreshMargin = refreshMargin
        self.now = now
    }

    /// The current token, fetching a new one when there is none or it is about to expire.
    public func token() async throws -> AccessToken {
        if let cached, now() < cached.expiresAt.addingTimeInterval(-refreshMargin) { return cached }
        if let inFlight { return try await inFlight.value }
        let request = Task { try await self.requestToken() }
        inFlight = request
        defer { inFlight = nil }
        let token = try await request.value
        cached = token
        issuedCount += 1
        return token
    }

    /// The cached token, if any, without fetching.
    public var current: AccessToken? { cached }

    /// Forgets `token` after the API rejected it, unless a newer one already replaced it.
    public func invalidate(_ token: AccessToken) {
        if cached == token { cached = nil }
    }

    /// Forgets the cached token (logout).
    public func reset() {
        cached = nil
    }

    private func requestToken() async throws -> AccessToken {
        let basic = Data("\(credentials.clientID):\(credentials.clientSecret)".utf8).base64EncodedString()
        let exchange = HTTPExchange(
            method: .POST, url: tokenURL, route: "/oauth/token",
            headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Data("grant_type=client_credentials".utf8), idempotent: true
        )
        let requestedAt = now()
        let answer = try await executor.send(exchange, authorization: "Basic \(basic)")
        guard answer.isSuccess else {
            // Only a 4xx is a refusal of the credentials; a failing or misnamed login host is not.
            guard (400..<500).contains(answer.status), answer.status != 404 else {
                throw GenesysError(
                    kind: answer.status >= 500 ? .unreachable : .invalidResponse, request: exchange.label,
                    status: answer.status,
                    message: answer.status >= 500
                        ? "the login host is failing; the credentials were not judged"
                        : "the login host gave no token (is the login base right?)",
                    correlationID: answer.correlationID)
            }
            let body = try? JSONDecoder().decode(OAuthErrorBody.self, from: answer.body)
            throw GenesysError(
                kind: .authentication, request: exchange.label, status: answer.status, code: body?.error,
                message: body?.errorDescription ?? body?.description ?? "the login host refused the client credentials",
                correlationID: answer.correlationID
            )
        }
        struct TokenResponse: Decodable {
            var access_token: String
            var token_type: String?
            var expires_in: Int
        }
        guard let response = try? JSONDecoder().decode(TokenResponse.self, from: answer.body) else {
            throw GenesysError(
                kind: .invalidResponse, request: exchange.label, status: answer.status,
                message: "the token response has no access_token and expires_in", correlationID: answer.correlationID
            )
        }
        return AccessToken(
            value: response.access_token, expiresAt: requestedAt.addingTimeInterval(TimeInterval(response.expires_in))
        )
    }
}
