import AuditStore
import GenesysCloud

/// One verb over many campaigns: bounded concurrency, a request budget under the token's rate limit,
/// waits that poll many campaigns per request, and one result per campaign; a failure does not stop the rest.
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
        _ verb: Verb, campaigns: [Campaign], options: TransitionOptions,
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> [TransitionResult] {
        // Pauses are waited for together below, with one list request per poll for all of them.
        let perCampaign = {
            var each = options
            if verb == .pause { each.wait = false }
            return each
        }()
        let counts = PreflightCounts()
        var results = [TransitionResult?](repeating: nil, count: campaigns.count)
        try await withThrowingTaskGroup(of: (Int, TransitionResult).self) { group in
            var next = 0
            var done = 0
            func startNext() async throws {
                guard next < campaigns.count else { return }
                let index = next
                next += 1
                // Keep a few requests of the window in reserve for the other workers.
                if let delay = rateLimit?.delayBeforeNextRequest(reserve: parallel * 2), delay > .zero {
                    try await Task.sleep(for: delay)
                }
                group.addTask { (index, try await self.runOne(verb, campaigns[index], perCampaign, counts)) }
            }
            for _ in 0..<parallel { try await startNext() }
            while let (index, result) = try await group.next() {
                results[index] = result
                done += 1
                progress(done, campaigns.count)
                try await startNext()
            }
        }
        var finished = results.compactMap { $0 }
        if verb == .pause, options.wait, !options.dryRun { try await waitUntilOff(&finished, options) }
        return finished
    }

    private func runOne(_ verb: Verb, _ campaign: Campaign, _ options: TransitionOptions, _ counts: PreflightCounts)
        async throws -> TransitionResult
    {
        do {
            switch verb {
            case .activate, .pause: return try await engine.run(verb, on: campaign, options: options, counts: counts)
            case .recycle: return try await engine.recycle(campaign, options: options)
            case .archive: return try await engine.archive(campaign, options: options)
            case .restore: throw TransitionError("restore takes archived campaigns")
            }
        } catch let error as CancellationError {
            throw error
        } catch {
            return TransitionResult(
                campaignID: campaign.id ?? "", campaignName: campaign.name,
                fromStatus: campaign.campaignStatus?.rawValue,
                toStatus: campaign.campaignStatus?.rawValue, outcome: .error, message: "\(error)"
            )
        }
    }

    /// Polls the campaigns still dialing or stopping, up to 100 per list request, until none is or time runs out.
    func waitUntilOff(_ results: inout [TransitionResult], _ options: TransitionOptions) async throws {
        let deadline = ContinuousClock.now + options.timeout
        while true {
            let waiting = results.indices.filter { index in
                let result = results[index]
                guard result.outcome == .success || result.outcome == .noop else { return false }
                return result.toStatus.map { !CampaignStatus(rawValue: $0).isSettledOff } ?? true
            }
            if waiting.isEmpty { return }
            if ContinuousClock.now >= deadline {
                for index in waiting {
                    results[index].timedOut = true
                    results[index].message =
                        "still \(results[index].toStatus ?? "stopping") after \(options.timeout.components.seconds) s"
                }
                return
            }
            try await Task.sleep(for: min(options.pollInterval, deadline - ContinuousClock.now))
            let ids = waiting.map { results[$0].campaignID }
            let statuses = Dictionary(
                try await engine.client.campaigns(CampaignQuery(ids: ids)).compactMap { campaign in
                    campaign.id.map { ($0, campaign.campaignStatus?.rawValue) }
                }
            ) { first, _ in first }
            for index in waiting {
                if let status = statuses[results[index].campaignID] { results[index].toStatus = status }
            }
        }
    }
}
