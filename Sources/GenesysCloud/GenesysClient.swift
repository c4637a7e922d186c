import AsyncHTTPClient
import Foundation
import JSONDocument
import Logging
import NIOCore
import NIOHTTP1

/// A client of the Genesys Cloud Platform API v2 for outbound campaigns.
///
/// ```swift
/// let client = GenesysClient(
///     environment: try GenesysEnvironment(region: "eu-west-1"),
///     credentials: ClientCredentials(clientID: id, clientSecret: secret)
/// )
/// let campaigns = try await client.campaigns(CampaignQuery(name: "Q4_"))
/// ```
///
/// Every call authenticates with a cached client-credentials token, re-authenticates once on a 401,
/// and retries as ``RetryPolicy`` says.
public struct GenesysClient: Sendable {
    public struct Configuration: Sendable {
        public var retryPolicy = RetryPolicy()
        /// Per request attempt, from connecting to the body's last byte.
        public var requestTimeout: Duration = .seconds(30)
        /// The largest response body read (a page of 100 campaigns is a few hundred kilobytes).
        public var maxResponseBytes = 8 << 20
        public var userAgent = "campaignsh"
        public var logger = Logger(label: "genesys-cloud", factory: { _ in SwiftLogNoOpLogHandler() })
        /// Called after every request attempt, e.g. to record metrics.
        public var observer: (@Sendable (RequestRecord) -> Void)?
        /// How the client waits between attempts; tests replace it to record the waits.
        public var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
        /// The wall clock, for token expiry.
        public var now: @Sendable () -> Date = { Date() }

        public init() {}
    }

    public let environment: GenesysEnvironment
    public let tokens: TokenProvider
    let executor: HTTPExecutor
    /// While a runbook is planned: where changes go instead of Genesys (``planning(with:)``).
    public internal(set) var plan: (any ChangePlan)?

    public init(
        environment: GenesysEnvironment, credentials: ClientCredentials, configuration: Configuration = .init(),
        httpClient: HTTPClient = GenesysClient.sharedHTTPClient
    ) {
        self.environment = environment
        self.executor = HTTPExecutor(http: httpClient, configuration: configuration)
        self.tokens = TokenProvider(
            executor: executor, environment: environment, credentials: credentials, now: configuration.now
        )
    }

    /// The process-wide HTTP client. AsyncHTTPClient's own retrying of failed connections is off: it would
    /// wait out the whole request timeout against a server that is down, and ``RetryPolicy`` owns retrying.
    public static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        // A redirect is an answer, never followed: it could carry the token to another host or into clear text.
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    // MARK: Sending

    /// Sends an API request with a bearer token; a 401 drops the token and tries once more with a new one.
    func send(
        _ method: HTTPMethod, _ route: String, path: String, query: [(String, String)] = [], body: Data? = nil,
        idempotent: Bool = true
    ) async throws -> HTTPAnswer {
        // A plan reads for real but never changes anything: the POSTs that only read are let through.
        if plan != nil, method != .GET, route != Self.campaignsRoute + "/progress", route != Self.realtimeAuditRoute {
            throw Self.unplannable("\(method) \(route)")
        }
        var exchange = HTTPExchange(
            method: method, url: url(path: path, query: query), route: route, idempotent: idempotent
        )
        if let body {
            exchange.body = body
            exchange.headers.append(("Content-Type", "application/json"))
        }
        var token = try await tokens.token()
        var answer = try await executor.send(exchange, authorization: "Bearer \(token.value)")
        if answer.status == 401 {
            await tokens.invalidate(token)
            token = try await tokens.token()
            answer = try await executor.send(exchange, authorization: "Bearer \(token.value)")
        }
        guard answer.isSuccess else { throw Self.apiError(answer, request: exchange.label) }
        return answer
    }

    /// Sends a request and reads its answer as a JSON document, numbers and member order as sent.
    func fetchJSON(
        _ method: HTTPMethod, _ route: String, path: String, query: [(String, String)] = [], body: JSONValue? = nil,
        idempotent: Bool = true
    ) async throws -> JSONValue {
        let payload = body.map { Data($0.serialized()) }
        let answer = try await send(method, route, path: path, query: query, body: payload, idempotent: idempotent)
        do {
            return try JSONValue(parsing: answer.body)
        } catch {
            throw GenesysError(
                kind: .invalidResponse, request: "\(method.rawValue) \(route)", status: answer.status,
                message: "the answer is \(error)", correlationID: answer.correlationID
            )
        }
    }

    private func url(path: String, query: [(String, String)]) -> URL {
        var text = environment.apiBase.absoluteString + path
        if !query.isEmpty {
            text +=
                "?" + query.map { "\(Self.percentEncoded($0.0))=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
        }
        return URL(string: text)!
    }

    /// Encodes everything but RFC 3986 unreserved characters, `+` included (servers read it as a space).
    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    static func pathSegment(_ text: String) -> String { percentEncoded(text) }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )

    static func apiError(_ answer: HTTPAnswer, request: String) -> GenesysError {
        // Read leniently: an error body of an unexpected shape still gives what it can.
        let body = try? JSONValue(parsing: answer.body)
        return GenesysError(
            kind: .api, request: request, status: answer.status, code: body?["code"]?.stringValue,
            message: body?["message"]?.stringValue ?? HTTPResponseStatus(statusCode: answer.status).reasonPhrase,
            correlationID: answer.correlationID ?? body?["contextId"]?.stringValue
        )
    }
}
