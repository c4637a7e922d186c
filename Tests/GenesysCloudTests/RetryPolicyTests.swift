import GenesysCloud
import Testing

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy()

    @Test func rateLimitWaitsWhatRetryAfterSays() {
        #expect(
            policy.decide(
                status: 429, retryAfterSeconds: 7, attempt: 1, rateLimitRetries: 0, idempotent: false, jitter: 0.5)
                == .retry(after: .seconds(7))
        )
        #expect(
            policy.decide(
                status: 429, retryAfterSeconds: nil, attempt: 1, rateLimitRetries: 0, idempotent: true, jitter: 0)
                == .retry(after: .seconds(3))
        )
    }

    @Test func rateLimitBeyondTheCapIsReportedNotWaited() {
        #expect(
            policy.decide(
                status: 429, retryAfterSeconds: 3_600, attempt: 1, rateLimitRetries: 0, idempotent: true, jitter: 0)
                == .rateLimitTooLong(.seconds(3_600))
        )
    }

    @Test func rateLimitRetriesAreBounded() {
        #expect(
            policy.decide(
                status: 429, retryAfterSeconds: 1, attempt: 1, rateLimitRetries: 10, idempotent: true, jitter: 0)
                == .fail
        )
    }

    @Test(arguments: [502, 503, 504, nil])
    func transientFailuresBackOffExponentially(status: Int?) {
        let delays = (1...4).map {
            policy.decide(
                status: status, retryAfterSeconds: nil, attempt: $0, rateLimitRetries: 0, idempotent: true, jitter: 1)
        }
        #expect(
            delays == [
                .retry(after: .milliseconds(200)), .retry(after: .milliseconds(400)),
                .retry(after: .milliseconds(800)), .retry(after: .milliseconds(1_600)),
            ])
        #expect(
            policy.decide(
                status: status, retryAfterSeconds: nil, attempt: 5, rateLimitRetries: 0, idempotent: true, jitter: 1)
                == .fail
        )
    }

    @Test func jitterStaysWithinHalfToFullDelay() {
        let low = policy.decide(
            status: 503, retryAfterSeconds: nil, attempt: 3, rateLimitRetries: 0, idempotent: true, jitter: 0)
        #expect(low == .retry(after: .milliseconds(400)))
    }

    @Test func backoffIsCapped() {
        #expect(
            policy.decide(
                status: 503, retryAfterSeconds: nil, attempt: 4, rateLimitRetries: 0, idempotent: true, jitter: 1)
                != .fail
        )
        let capped = RetryPolicy(maxAttempts: 30, maxDelay: .seconds(10))
        #expect(
            capped.decide(
                status: 503, retryAfterSeconds: nil, attempt: 20, rateLimitRetries: 0, idempotent: true, jitter: 1)
                == .retry(after: .seconds(10))
        )
    }

    @Test func nonIdempotentRequestsAreNeverRetriedOnServerErrors() {
        #expect(
            policy.decide(
                status: 503, retryAfterSeconds: nil, attempt: 1, rateLimitRetries: 0, idempotent: false, jitter: 1)
                == .fail
        )
        #expect(
            policy.decide(
                status: nil, retryAfterSeconds: nil, attempt: 1, rateLimitRetries: 0, idempotent: false, jitter: 1)
                == .fail
        )
    }

    @Test(arguments: [400, 401, 403, 404, 409, 500, 501])
    func otherStatusesFailAtOnce(status: Int) {
        #expect(
            policy.decide(
                status: status, retryAfterSeconds: nil, attempt: 1, rateLimitRetries: 0, idempotent: true, jitter: 1)
                == .fail
        )
    }
}
