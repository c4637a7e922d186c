import AuditStore
import GenesysCloud

/// One verb over many campaigns: every transition goes through ``TransitionEngine/perform(_:on:options:run:)``
/// at once, with at most `parallel` requests in flight under the token's rate limit, the pre-flight's
/// counts read once, and one waiter that polls all stopping campaigns per request. One failure does not
/// stop the rest; the results come back in the order of `subjects`.
public struct BulkRun: Sendable {
    public let engine: TransitionEngine
    public let parallel: Int
    public let rateLimit: RateLimitMonitor?

    public init(engine: TransitionEngine, parallel: Int, rateLimit: RateLimitMonitor?) {
        self.engine = engine
        self.parallel = max(1, parallel)
        self.rateLimit = rateLimit
    }

    /// - Parameter progress: called with (done, total) as campaigns finish.
    public func run(
        _ verb: Verb, _ subjects: [TransitionSubject], options: TransitionOptions,
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> [TransitionResult] {
        let run = TransitionRun(client: engine.client, options: options, parallel: parallel, rateLimit: rateLimit)
        if verb == .activate {
            let lists = subjects.compactMap { subject -> String? in
                guard case .campaign(let campaign) = subject else { return nil }
                return campaign.contactList?.id
            }
            await run.counts.prefetchContactLists(lists, engine.client)
            // Those to wait for, subscribed before they are turned on: their `on` is not missed.
            if options.waitForStart {
                await run.waiter.expect(subjects.compactMap { if case .campaign(let c) = $0 { c.id } else { nil } })
            }
        }
        if verb == .pause || verb == .archive, options.wait || verb == .archive {
            // The campaigns that are on, subscribed at once before their stops are sent.
            let running = subjects.compactMap { subject -> String? in
                guard case .campaign(let campaign) = subject, campaign.campaignStatus?.isSettledOff == false else {
                    return nil
                }
                return campaign.id
            }
            if !running.isEmpty { await run.waiter.expect(running) }
        }
        var results = [TransitionResult?](repeating: nil, count: subjects.count)
        try await withThrowingTaskGroup(of: (Int, TransitionResult).self) { group in
            for (index, subject) in subjects.enumerated() {
                group.addTask { (index, await self.perform(verb, subject, options, run)) }
            }
            var done = 0
            while let (index, result) = try await group.next() {
                results[index] = result
                done += 1
                progress(done, subjects.count)
            }
        }
        // Ctrl-C: the caller says what was left as it was.
        try Task.checkCancellation()
        return results.compactMap { $0 }
    }

    /// The engine's answer, or a failed result naming the error: one campaign never stops the others.
    private func perform(_ verb: Verb, _ subject: TransitionSubject, _ options: TransitionOptions, _ run: TransitionRun)
        async
        -> TransitionResult
    {
        do {
            return try await engine.perform(verb, on: subject, options: options, run: run)
        } catch {
            var failed = TransitionResult(campaignID: subject.id, campaignName: subject.name, outcome: .error)
            failed.message = error is CancellationError ? "interrupted" : "\(error)"
            return failed
        }
    }
}
