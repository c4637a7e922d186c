import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// One HTTP request to Genesys, described independently of its retries.
struct HTTPExchange: Sendable {
    var method: HTTPMethod
    var url: URL
    /// The route template for metrics and errors, e.g. `/api/v2/outbound/campaigns/{campaignId}`.
    var route: String
    var headers: [(String, String)] = []
    var body: Data? = nil
    /// Whether sending it twice is harmless. A create is not.
    var idempotent: Bool

    var label: String { "\(method.rawValue) \(route)" }
}

/// A response with its body read.
struct HTTPAnswer: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    var correlationID: String? { headers.first(name: "ININ-Correlation-ID") }
    var isSuccess: Bool { (200..<300).contains(status) }
}

/// What happened to one attempt of a request; handed to ``GenesysClient/Configuration/observer``.
public struct RequestRecord: Sendable {
    public var method: String
    public var route: String
    /// `nil` when no response arrived (connection error or timeout).
    public var status: Int?
    /// 1 for the first try.
    public var attempt: Int
    public var latency: Duration
    /// Whether another attempt follows this one.
    public var willRetry: Bool
    /// `inin-ratelimit-*` of the response: requests used and allowed in the window, seconds to its reset.
    public var rateLimit: RateLimitStatus?
    /// The response's `ININ-Correlation-ID`: what Genesys support asks for about this request.
    public var correlationID: String?
}

/// The request attempts a task makes while it runs ``collecting(_:)``: how a caller learns the status and
/// correlation id of a call that succeeded (a failed one carries them in its ``GenesysError``).
public final class RequestTrace: Sendable {
    @TaskLocal static var current: RequestTrace?
    private let collected = Mutex<[RequestRecord]>([])

    /// Every attempt so far, oldest first.
    public var records: [RequestRecord] { collected.withLock { $0 } }

    func append(_ record: RequestRecord) { collected.withLock { $0.append(record) } }

    public init() {}

    /// Runs `body`, noting in this trace each request attempt it makes (child tasks included): the
    /// attempts stay readable when `body` throws.
    public func collecting<Result>(_ body: () async throws -> Result) async rethrows -> Result {
        try await Self.$current.withValue(self) { try await body() }
    }
}

/// The `inin-ratelimit-count/allowed/reset` headers Genesys sends with every API response.
public struct RateLimitStatus: Sendable, Equatable {
    public var count: Int
    public var allowed: Int
    public var resetSeconds: Int

    init?(_ headers: HTTPHeaders) {
        guard let count = headers.first(name: "inin-ratelimit-count").flatMap(Int.init),
            let allowed = headers.first(name: "inin-ratelimit-allowed").flatMap(Int.init)
        else { return nil }
        self.count = count
        self.allowed = allowed
        self.resetSeconds = headers.first(name: "inin-ratelimit-reset").flatMap(Int.init) ?? 0
    }
}

/// Sends exchanges over AsyncHTTPClient with the retry policy; knows nothing about tokens.
struct HTTPExecutor: Sendable {
    let http: HTTPClient
    let configuration: GenesysClient.Configuration

    /// Sends `exchange`, retrying as the policy says; `authorize` supplies the `Authorization` header.
    func send(_ exchange: HTTPExchange, authorization: String?) async throws -> HTTPAnswer {
        let policy = configuration.retryPolicy
        var attempt = 1
        var rateLimitRetries = 0
        while true {
            let started = ContinuousClock.now
            let outcome: Result<HTTPAnswer, any Error>
            do {
                outcome = .success(try await execute(exchange, authorization: authorization))
            } catch {
                try Task.checkCancellation()
                outcome = .failure(error)
            }
            let answer = try? outcome.get()
            let refusal = Self.refusal(of: outcome, exchange, limit: configuration.maxResponseBytes)
            let decision: RetryPolicy.Decision =
                answer?.isSuccess == true || refusal != nil
                ? .fail
                : policy.decide(
                    status: answer?.status,
                    retryAfterSeconds: answer?.headers.first(name: "Retry-After").flatMap(Int.init),
                    attempt: attempt, rateLimitRetries: rateLimitRetries, idempotent: exchange.idempotent,
                    jitter: Double.random(in: 0...1)
                )
            let retryDelay: Duration? = if case .retry(let delay) = decision { delay } else { nil }
            let record = RequestRecord(
                method: exchange.method.rawValue, route: exchange.route, status: answer?.status, attempt: attempt,
                latency: ContinuousClock.now - started, willRetry: retryDelay != nil,
                rateLimit: answer.flatMap { RateLimitStatus($0.headers) }, correlationID: answer?.correlationID
            )
            GenesysMetrics.record(record)
            RequestTrace.current?.append(record)
            configuration.observer?(record)
            if let refusal { throw refusal }
            switch (outcome, decision) {
            case (.success(let answer), _) where answer.isSuccess:
                return answer
            case (_, .retry(let delay)):
                configuration.logger.debug(
                    "retrying request",
                    metadata: [
                        "genesys.request": "\(exchange.label)", "genesys.status": "\(answer?.status ?? 0)",
                        "genesys.delay": "\(delay)",
                    ]
                )
                if answer?.status == 429 { rateLimitRetries += 1 } else { attempt += 1 }
                try await configuration.sleep(delay)
            case (.success(let answer), .rateLimitTooLong(let wait)):
                throw GenesysError(
                    kind: .rateLimited, request: exchange.label, status: 429,
                    message: "rate limited; Genesys asks to wait \(wait.components.seconds) s, more than the "
                        + "\(policy.maxRetryAfter.components.seconds) s this client waits",
                    correlationID: answer.correlationID
                )
            case (.success(let answer), _):
                return answer
            case (.failure(let error), _):
                throw GenesysError(
                    kind: .unreachable, request: exchange.label,
                    message: Self.describe(error)
                        + (exchange.idempotent ? "" : " (not retried: it may have taken effect)")
                )
            }
        }
    }

    private func execute(_ exchange: HTTPExchange, authorization: String?) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: exchange.url.absoluteString)
        request.method = exchange.method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: configuration.userAgent)
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        for (name, value) in exchange.headers { request.headers.add(name: name, value: value) }
        if let body = exchange.body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let limit = configuration.maxResponseBytes
        // AsyncHTTPClient's timeout ends with the response head: a body sent a byte a second would never
        // end. The deadline covers the whole exchange.
        return try await Self.withDeadline(configuration.requestTimeout) { [http, request, configuration] in
            let response = try await http.execute(request, timeout: TimeAmount(configuration.requestTimeout))
            if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > limit {
                throw ResponseTooLarge(bytes: length)
            }
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: limit)
            } catch is NIOTooManyBytesError {
                throw ResponseTooLarge(bytes: nil)
            }
            return HTTPAnswer(
                status: Int(response.status.code), headers: response.headers, body: Data(body.readableBytesView))
        }
    }

    /// Runs `work`, cancelled with a timeout error when `limit` has passed.
    static func withDeadline<T: Sendable>(
        _ limit: Duration, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask(operation: work)
            group.addTask {
                try await Task.sleep(for: limit)
                throw HTTPClientError.deadlineExceeded
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// An answer that no retry can mend, as the error to report: a body over the limit (sent again it would
    /// be as large) or a redirect (never followed: it could send the token to another host, or in clear).
    static func refusal(
        of outcome: Result<HTTPAnswer, any Error>, _ exchange: HTTPExchange, limit: Int
    ) -> GenesysError? {
        switch outcome {
        case .failure(let error as ResponseTooLarge):
            let size = error.bytes.map { "\($0 >> 20) MB, " } ?? ""
            return GenesysError(
                kind: .invalidResponse, request: exchange.label,
                message: "the response is larger than this client reads (\(size)limit \(limit >> 20) MB; "
                    + "CAMPAIGNSH_MAX_RESPONSE_MB sets it); not retried")
        case .success(let answer) where (300..<400).contains(answer.status) && answer.status != 304:
            let target =
                answer.headers.first(name: "Location").map { "to \(String($0.prefix(200)))" } ?? "without a target"
            return GenesysError(
                kind: .invalidResponse, request: exchange.label, status: answer.status,
                message: "redirected \(target); redirects are not followed", correlationID: answer.correlationID)
        default:
            return nil
        }
    }

    /// One line for a transport failure, without the request's headers.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out"
            case .remoteConnectionClosed: return "connection closed by the server"
            default: return "HTTP error \(error)"
            }
        }
        if error is HTTPParserError { return "the answer was cut short or is not HTTP (\(error))" }
        return "connection failed: \(error)"
    }
}

/// A response body over ``GenesysClient/Configuration/maxResponseBytes`` (its announced size, when given).
struct ResponseTooLarge: Error {
    let bytes: Int?
}
