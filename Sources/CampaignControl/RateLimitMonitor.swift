import Foundation
import GenesysCloud
import Synchronization

/// What the API last said about the token's rate-limit window (`inin-ratelimit-*`), so bulk runs
/// can stay under it instead of running into 429s.
public final class RateLimitMonitor: Sendable {
    private let latest = Mutex<(status: RateLimitStatus, seen: ContinuousClock.Instant)?>(nil)

    public init() {}

    public func record(_ record: RequestRecord) {
        guard let status = record.rateLimit else { return }
        latest.withLock { $0 = (status, .now) }
    }

    /// How long to hold off before one more request: zero while the window has room beyond `reserve`.
    public func delayBeforeNextRequest(reserve: Int) -> Duration {
        guard let (status, seen) = latest.withLock({ $0 }) else { return .zero }
        let remaining = status.allowed - status.count
        guard remaining <= reserve else { return .zero }
        let reset = seen + .seconds(status.resetSeconds)
        let wait = reset - .now
        // Past the reset the window is fresh; forget what it said.
        if wait <= .zero {
            latest.withLock { $0 = nil }
            return .zero
        }
        return wait
    }
}
