import AuditStore
import CoreMetrics
import Foundation
import GenesysCloud

/// How a transition runs.
public struct TransitionOptions: Sendable {
    public var dryRun = false
    /// Version conflicts retried before giving up.
    public var maxConflicts = 3
    /// Pause (and archive) wait until the campaign is off.
    public var wait = true
    public var timeout: Duration = .seconds(300)
    public var pollInterval: Duration = .seconds(1)
    /// Activate with `POST …/start` instead of a PUT: for roles with `outbound:campaign:start` but not `:edit`.
    public var viaStart = false
    /// Idle on-queue agents `activate` needs.
    public var minAgents = 1
    /// Pre-flight checks the operator bypasses, with the reason (audited).
    public var overrides: Set<PreflightCheck.Name> = []
    public var reason: String?
    /// The command as typed, for the audit.
    public var command = ""
    /// Told about a wait in progress, e.g. "Q4_Promo_East: stopping, 12 s", for a progress line on a terminal.
    public var progress: (@Sendable (String) -> Void)?

    public init() {}
}

/// How one campaign's transition ended.
public struct TransitionResult: Sendable {
    public var campaignID: String
    public var campaignName: String?
    public var fromStatus: String?
    public var toStatus: String?
    public var outcome: AuditOutcome
    /// PUT attempts (1 + conflict retries), 0 when nothing was sent.
    public var attempts = 0
    public var latency: Duration = .zero
    /// Why it was refused, failed or did nothing, or what is left (still stopping).
    public var message: String?
    /// The wait for a settled status ran out (exit 3, like every timed-out wait).
    public var timedOut = false
    /// The requests a dry run would have sent.
    public var plan: [String] = []
    public var checks: [PreflightCheck] = []
    /// Whether the operator should see this as a failure (exit status 1): an error or a refusal.
    /// A change whose wait timed out is ``timedOut`` instead.
    public var failed: Bool { outcome == .error || outcome == .refused }
}

/// Moves one campaign through a verb (docs/ARCHITECTURE.md, "The path of a transition"): lifecycle check, pre-flight,
/// GET → PUT with that version and bounded conflict retries, waiting, then one audit row per attempt,
/// metrics, and a webhook event per state change.
public struct TransitionEngine: Sendable {
    public let client: GenesysClient
    public let audit: AuditLog?
    public let notifier: WebhookNotifier?
    public let actor: AuditActor
    public let session: String

    public init(client: GenesysClient, audit: AuditLog?, notifier: WebhookNotifier?, actor: AuditActor, session: String)
    {
        self.client = client
        self.audit = audit
        self.notifier = notifier
        self.actor = actor
        self.session = session
    }

    /// The lifecycle of `campaign`. Telling draft from paused costs a progress request; only `recycle`
    /// (and what is shown or announced) needs it: every other verb treats the two alike, so they skip it.
    public func lifecycle(of campaign: Campaign, distinguishingDraft: Bool = true) async throws -> Lifecycle {
        let needsProgress = distinguishingDraft && Lifecycle.needsProgress(campaign)
        let called =
            needsProgress ? try await client.progress(ofCampaign: campaign.id ?? "").numberOfContactsCalled : nil
        return Lifecycle(campaign, contactsCalled: called)
    }

    /// Runs `verb` on `campaign` (as just read from Genesys). Pause waits here only when `options.wait`.
    public func run(
        _ verb: Verb, on campaign: Campaign, options: TransitionOptions, counts: PreflightCounts = PreflightCounts()
    ) async throws -> TransitionResult {
        let started = ContinuousClock.now
        let id = campaign.id ?? ""
        var result = TransitionResult(
            campaignID: id, campaignName: campaign.name, fromStatus: campaign.campaignStatus?.rawValue,
            toStatus: campaign.campaignStatus?.rawValue, outcome: .noop
        )
        Counter(label: TransitionMetrics.attempts, dimensions: [("verb", verb.rawValue)]).increment()
        var current = campaign
        while true {
            let state = try await lifecycle(of: current, distinguishingDraft: verb == .recycle)
            switch LifecyclePolicy.decide(verb, from: state) {
            case .refuse(let reason):
                Counter(label: TransitionMetrics.validationErrors, dimensions: [("verb", verb.rawValue)]).increment()
                result.outcome = .refused
                result.message = reason
                if state == .invalid, let errors = current.errors, !errors.isEmpty {
                    result.message = reason + ": " + errors.map(\.summary).joined(separator: "; ")
                }
                try await record(verb, current, result, options)
                return result
            case .noop(let why):
                result.outcome = .noop
                result.message = why
                try await record(verb, current, result, options)
                return result
            case .waitUntilOff:
                result.outcome = .noop
                try await record(verb, current, result, options)
                if options.wait { try await waitUntilOff(&result, options) }
                return result
            case .stop:
                return try await stop(current, verb, &result, options, started: started)
            case .turnOn:
                if result.checks.isEmpty {
                    // What the pre-flight checks is what gets turned on: the full campaign as it is now.
                    current = try await client.campaign(id: id)
                    result.fromStatus = current.campaignStatus?.rawValue
                    if LifecyclePolicy.decide(verb, from: try await lifecycle(of: current, distinguishingDraft: false))
                        != .turnOn
                    {
                        continue
                    }
                    result.checks = await Preflight(client: client).checks(
                        for: current, minAgents: options.minAgents, counts: counts
                    )
                    let blocking = result.checks.filter { !$0.bypassed(by: options.overrides) && $0.state != .pass }
                    if !blocking.isEmpty {
                        Counter(label: TransitionMetrics.validationErrors, dimensions: [("verb", verb.rawValue)])
                            .increment()
                        result.outcome = .refused
                        let names = blocking.map(\.name.rawValue).joined(separator: ",")
                        result.message =
                            "pre-flight failed: "
                            + blocking.map { "\($0.name.rawValue) \($0.state.rawValue) (\($0.figure))" }.joined(
                                separator: ", ")
                            + (blocking.allSatisfy { $0.canBeOverridden }
                                ? "; --override \(names) --reason \"…\" to proceed" : "")
                        try await record(verb, current, result, options)
                        return result
                    }
                }
                let target = CampaignStatus.on
                if options.dryRun {
                    result.outcome = .dryRun
                    result.toStatus = target.rawValue
                    result.plan =
                        options.viaStart
                        ? ["POST /api/v2/outbound/campaigns/\(id)/start (no body, no version)"]
                        : [
                            "GET /api/v2/outbound/campaigns/\(id) → version \(current.version.map(String.init) ?? "?")",
                            "PUT /api/v2/outbound/campaigns/\(id)?useMaxCallsPerAgentDecimal=true with version \(current.version.map(String.init) ?? "?"): campaignStatus \(current.campaignStatus?.rawValue ?? "?") → \(target.rawValue), every other field as received",
                        ]
                    try await record(verb, current, result, options)
                    return result
                }
                result.attempts += 1
                let attemptStarted = ContinuousClock.now
                do {
                    let (updated, response) = try await sending {
                        guard options.viaStart else { return try await client.setStatus(of: current, to: target) }
                        try await client.startCampaign(id: id)
                        return try await client.campaign(id: id)
                    }
                    Timer(label: TransitionMetrics.duration, dimensions: [("verb", verb.rawValue)])
                        .recordNanoseconds((ContinuousClock.now - attemptStarted).nanoseconds)
                    await counts.takeSlot()
                    result.outcome = .success
                    result.toStatus = updated.campaignStatus?.rawValue
                    result.latency = ContinuousClock.now - started
                    let row = try await record(
                        verb, current, result, options, after: updated, httpStatus: response?.status,
                        correlationID: response?.correlationID
                    )
                    await announce(current, updated, audit: row?.anchor, options)
                    return result
                } catch let error as GenesysError where error.isVersionConflict {
                    guard result.attempts <= options.maxConflicts else {
                        result.outcome = .error
                        result.message =
                            "version conflict persisted after \(options.maxConflicts) retries: \(error.message)"
                        try await record(
                            verb, current, result, options, httpStatus: error.status, correlationID: error.correlationID
                        )
                        return result
                    }
                    Counter(label: TransitionMetrics.conflictRetries, dimensions: [("verb", verb.rawValue)]).increment()
                    var retry = result
                    retry.outcome = .conflictRetry
                    retry.message = error.message
                    try await record(
                        verb, current, retry, options, httpStatus: error.status, correlationID: error.correlationID)
                    // Another admin changed it: check it again, pre-flight included, before turning it on.
                    result.checks = []
                } catch let error as GenesysError {
                    result.outcome = .error
                    result.message = error.description
                    result.latency = ContinuousClock.now - started
                    try await record(
                        verb, current, result, options, httpStatus: error.status, correlationID: error.correlationID)
                    return result
                }
            case .recycle, .archive, .pauseThenArchive, .recreate:
                throw TransitionError("'\(verb.rawValue)' is not a status change")
            }
        }
    }

    /// `POST …/stop`, then (when asked) waits until the campaign is not dialing. Genesys answers the stop
    /// with no body, so the audit row has no status after; the wait reads it.
    func stop(
        _ campaign: Campaign, _ verb: Verb, _ result: inout TransitionResult, _ options: TransitionOptions,
        started: ContinuousClock.Instant
    ) async throws -> TransitionResult {
        let id = result.campaignID
        if options.dryRun {
            result.outcome = .dryRun
            result.toStatus = CampaignStatus.off.rawValue
            result.plan =
                ["POST /api/v2/outbound/campaigns/\(id)/stop (no body, no version)"]
                + (options.wait ? ["wait until it is off"] : [])
            try await record(verb, campaign, result, options)
            return result
        }
        result.attempts = 1
        result.toStatus = nil
        let attemptStarted = ContinuousClock.now
        do {
            let (_, response) = try await sending { try await client.stopCampaign(id: id) }
            Timer(label: TransitionMetrics.duration, dimensions: [("verb", verb.rawValue)])
                .recordNanoseconds((ContinuousClock.now - attemptStarted).nanoseconds)
            result.outcome = .success
            result.latency = ContinuousClock.now - started
            try await record(
                verb, campaign, result, options, httpStatus: response?.status, correlationID: response?.correlationID)
        } catch let error as GenesysError {
            // A 400 may mean it stopped since it was read, or that a retried stop found it stopping already.
            let now = error.kind == .api && error.status == 400 ? try? await client.campaign(id: id) : nil
            result.toStatus = now?.campaignStatus?.rawValue
            switch now?.campaignStatus {
            case let status? where status.isSettledOff:
                result.outcome = .noop
                result.message = "not dialing: it is \(status.rawValue)"
                try await record(verb, now ?? campaign, result, options)
                return result
            case .stopping?, .forcedStopping?:
                result.outcome = .success
                try await record(
                    verb, campaign, result, options, httpStatus: error.status, correlationID: error.correlationID)
            default:
                result.outcome = .error
                result.message = error.description
                result.latency = ContinuousClock.now - started
                try await record(
                    verb, campaign, result, options, httpStatus: error.status, correlationID: error.correlationID)
                return result
            }
        }
        if options.wait { try await waitUntilOff(&result, options) }
        if notifier != nil, let status = result.toStatus {
            var after = campaign
            after.campaignStatus = CampaignStatus(rawValue: status)
            await announce(campaign, after, audit: nil, options)
        }
        return result
    }

    /// Polls until the campaign is not dialing (off, forced off, complete or invalid); past the timeout
    /// the result is a timed-out wait that says what the campaign still is.
    func waitUntilOff(_ result: inout TransitionResult, _ options: TransitionOptions) async throws {
        let started = ContinuousClock.now
        let deadline = started + options.timeout
        while true {
            let campaign = try await client.campaign(id: result.campaignID)
            result.toStatus = campaign.campaignStatus?.rawValue
            options.progress?(
                "\(campaign.name ?? result.campaignID): \(campaign.campaignStatus?.rawValue ?? "?"), \((ContinuousClock.now - started).components.seconds) s"
            )
            if campaign.campaignStatus?.isSettledOff == true { return }
            guard ContinuousClock.now < deadline else {
                result.timedOut = true
                result.message =
                    "still \(campaign.campaignStatus?.rawValue ?? "?") after \(options.timeout.components.seconds) s"
                return
            }
            try await Task.sleep(for: min(options.pollInterval, deadline - ContinuousClock.now))
        }
    }

    /// Runs one mutating call; returns its answer and the attempt that got it, whose status and
    /// correlation id go into the audit row.
    func sending<Answer>(_ call: () async throws -> Answer) async throws -> (answer: Answer, response: RequestRecord?) {
        let (answer, trace) = try await RequestTrace.collecting(call)
        return (answer, trace.records.last)
    }

    /// One audit row for this attempt; durable when this returns.
    @discardableResult
    func record(
        _ verb: Verb, _ campaign: Campaign, _ result: TransitionResult, _ options: TransitionOptions,
        after updated: Campaign? = nil, httpStatus: Int? = nil, correlationID: String? = nil
    ) async throws -> AuditRecord? {
        guard let audit else { return nil }
        let overridden = result.checks.filter { $0.state != .pass && $0.bypassed(by: options.overrides) }.map(
            \.name.rawValue)
        return try await audit.store().append(
            AuditEntry(
                actor: actor, session: session, command: options.command, campaignID: result.campaignID,
                campaignName: result.campaignName, verb: verb.rawValue, fromStatus: campaign.campaignStatus?.rawValue,
                toStatus: updated?.campaignStatus?.rawValue ?? result.toStatus, outcome: result.outcome,
                attempt: max(result.attempts, 1), versionBefore: campaign.version, versionAfter: updated?.version,
                latencyMs: Int(result.latency.nanoseconds / 1_000_000), httpStatus: httpStatus,
                correlationID: correlationID,
                overrideChecks: overridden.isEmpty ? nil : overridden.joined(separator: ","),
                overrideReason: overridden.isEmpty ? nil : options.reason, errorMessage: result.message
            )
        )
    }

    func announce(_ before: Campaign, _ after: Campaign, audit anchor: AuditAnchor?, _ options: TransitionOptions) async
    {
        // Lifecycles cost requests: read them only for a webhook that will send them.
        guard let notifier, await notifier.configuration != nil else { return }
        let previous = try? await lifecycle(of: before)
        let current = try? await lifecycle(of: after)
        await notifier.notify(
            CampaignStateChange(
                campaignId: after.id ?? "", campaignName: after.name,
                previous: .init(status: before.campaignStatus?.rawValue, lifecycle: previous?.rawValue),
                current: .init(status: after.campaignStatus?.rawValue, lifecycle: current?.rawValue), actor: actor,
                audit: anchor
            ),
            command: options.command
        )
    }

}

extension Duration {
    /// The whole duration in nanoseconds.
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}

public struct TransitionError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
