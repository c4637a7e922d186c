/// When to try a request again (docs/genesys-api.md, "Rate limits and retries").
///
/// - 429: wait `Retry-After` seconds (default `defaultRetryAfter`); a wait longer than `maxRetryAfter`
///   is not waited out but reported, like the Go and Java SDKs do above 180 s.
/// - 502, 503, 504 and connection errors: exponential backoff with full jitter, `maxAttempts` in all,
///   for idempotent requests only: a `POST` that creates is never repeated blindly.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    public var defaultRetryAfter: Duration
    public var maxRetryAfter: Duration
    /// How many 429s in a row one request accepts before giving up.
    public var maxRateLimitRetries: Int
    /// Statuses worth repeating (besides 429 and connection errors).
    public var transientStatuses: Set<Int>

    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(10),
        defaultRetryAfter: Duration = .seconds(3), maxRetryAfter: Duration = .seconds(180),
        maxRateLimitRetries: Int = 10, transientStatuses: Set<Int> = RetryPolicy.gatewayStatuses
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.defaultRetryAfter = defaultRetryAfter
        self.maxRetryAfter = maxRetryAfter
        self.maxRateLimitRetries = maxRateLimitRetries
        self.transientStatuses = transientStatuses
    }

    public enum Decision: Equatable, Sendable {
        case retry(after: Duration)
        case fail
        /// Rate limited for longer than `maxRetryAfter`.
        case rateLimitTooLong(Duration)
    }

    /// The Genesys API's transient statuses, as the Java SDK retries them: the server did not process the
    /// request, or a gateway lost it.
    public static let gatewayStatuses: Set<Int> = [502, 503, 504]

    /// - Parameters:
    ///   - status: the response status, or `nil` for a connection error or timeout.
    ///   - retryAfterSeconds: the response's `Retry-After`, when it had one.
    ///   - attempt: 1 for the first try of the request.
    ///   - rateLimitRetries: 429s already retried for this request.
    ///   - idempotent: whether repeating the request is harmless.
    ///   - jitter: a number in `0...1`, random in production.
    public func decide(
        status: Int?, retryAfterSeconds: Int?, attempt: Int, rateLimitRetries: Int, idempotent: Bool, jitter: Double
    ) -> Decision {
        if status == 429 {
            let wait = retryAfterSeconds.map { Duration.seconds(max(0, $0)) } ?? defaultRetryAfter
            if wait > maxRetryAfter { return .rateLimitTooLong(wait) }
            return rateLimitRetries < maxRateLimitRetries ? .retry(after: wait) : .fail
        }
        guard idempotent, attempt < maxAttempts, status.map(transientStatuses.contains) ?? true else {
            return .fail
        }
        if let retryAfterSeconds, retryAfterSeconds >= 0 {
            return .retry(after: min(.seconds(retryAfterSeconds), maxDelay))
        }
        let exponential = baseDelay * (1 << min(attempt - 1, 20))
        let ceiling = min(exponential, maxDelay)
        return .retry(after: ceiling * (0.5 + 0.5 * min(max(jitter, 0), 1)))
    }
}
