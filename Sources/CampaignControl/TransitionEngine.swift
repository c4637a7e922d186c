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
    /// Why it was refused or failed, or what is left (still stopping).
    public var message: String?
    /// The requests a dry run would have sent.
    public var plan: [String] = []
    public var checks: [PreflightCheck] = []
    /// Whether the operator should see this as a failure (exit status 1): an error, a refusal, or a change
    /// that went through but did not settle (still stopping at the timeout).
    public var failed: Bool {
        switch outcome {
        case .error, .refused: true
        case .success, .conflictRetry: message != nil
        case .noop, .dryRun: false
        }
    }
}

/// Shared by the transitions of one bulk run: the org's active slots and each queue's idle agents,
/// counted once instead of once per campaign.
public actor PreflightCounts {
    private var active: Int?
    private var idle: [String: Int] = [:]

    public init() {}

    func activeCount(_ preflight: Preflight) async throws -> Int {
        if let active { return active }
        let counted = try await preflight.activeCount()
        active = counted
        return counted
    }

    func takeSlot() { active = (active ?? 0) + 1 }

    func idleAgents(_ queueID: String, _ preflight: Preflight) async throws -> Int {
        if let known = idle[queueID] { return known }
        let counted = try await preflight.idleAgents(queueID: queueID)
        idle[queueID] = counted
        return counted
    }
}

/// Moves one campaign through a verb (DESIGN.md "Transition pipeline"): lifecycle check, pre-flight,
/// GET → PUT with that version and bounded conflict retries, waiting, then one audit row per attempt,
/// metrics, and a webhook event per state change.
public struct TransitionEngine: Sendable {
    public let client: GenesysClient
    public let audit: AuditLog?
    public let notifier: WebhookNotifier?
    public let actor: AuditActor
    public let session: String

    public init(client: GenesysClient, audit: AuditLog?, notifier: WebhookNotifier?, actor: AuditActor, session: String) {
        self.client = client
        self.audit = audit
        self.notifier = notifier
        self.actor = actor
        self.session = session
    }

    /// The lifecycle of `campaign`. Telling draft from paused costs a progress request; only `recycle`
    /// (and what is shown or announced) needs it: every other verb treats the two alike, so they skip it.
    public func lifecycle(of campaign: Campaign, distinguishingDraft: Bool = true) async throws -> Lifecycle {
        let status = campaign.campaignStatus
        let needsProgress = distinguishingDraft && (status == .off || status == .forcedOff) && (campaign.errors ?? []).isEmpty
        let called = needsProgress ? try await client.progress(ofCampaign: campaign.id ?? "").numberOfContactsCalled : nil
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
                try await record(verb, current, result, options)
                return result
            case .alreadyThere:
                result.outcome = .noop
                result.message = nil
                try await record(verb, current, result, options)
                return result
            case .waitUntilOff:
                result.outcome = .noop
                try await record(verb, current, result, options)
                if options.wait { try await waitUntilOff(&result, options) }
                return result
            case .setStatus(let target):
                if target == .on, result.checks.isEmpty {
                    let preflight = Preflight(client: client)
                    let active = try await counts.activeCount(preflight)
                    var idle: [String: Int] = [:]
                    if let queueID = current.queue?.id, current.dialingMode != .agentless {
                        idle[queueID] = try await counts.idleAgents(queueID, preflight)
                    }
                    result.checks = try await preflight.checks(
                        for: current, minAgents: options.minAgents, activeCount: active, idleAgents: idle
                    )
                    let blocking = result.checks.filter { !$0.passed && !($0.name.overridable && options.overrides.contains($0.name)) }
                    if !blocking.isEmpty {
                        Counter(label: TransitionMetrics.validationErrors, dimensions: [("verb", verb.rawValue)]).increment()
                        result.outcome = .refused
                        result.message = "pre-flight failed: " + blocking.map { "\($0.name.rawValue) (\($0.figure))" }.joined(separator: ", ")
                            + (blocking.allSatisfy(\.name.overridable) ? "; --override \(blocking.map(\.name.rawValue).joined(separator: ",")) --reason \"…\" to proceed" : "")
                        try await record(verb, current, result, options)
                        return result
                    }
                }
                if options.dryRun {
                    result.outcome = .dryRun
                    result.toStatus = target.rawValue
                    result.plan = [
                        "GET /api/v2/outbound/campaigns/\(id) → version \(current.version.map(String.init) ?? "?")",
                        "PUT /api/v2/outbound/campaigns/\(id) with version \(current.version.map(String.init) ?? "?"): campaignStatus \(current.campaignStatus?.rawValue ?? "?") → \(target.rawValue), every other field as received",
                    ]
                    try await record(verb, current, result, options)
                    return result
                }
                result.attempts += 1
                let attemptStarted = ContinuousClock.now
                do {
                    let (updated, response) = try await sending { try await client.setStatus(of: current, to: target) }
                    Timer(label: TransitionMetrics.duration, dimensions: [("verb", verb.rawValue)])
                        .recordNanoseconds((ContinuousClock.now - attemptStarted).nanoseconds)
                    if target == .on { await counts.takeSlot() }
                    result.outcome = .success
                    result.toStatus = updated.campaignStatus?.rawValue
                    result.latency = ContinuousClock.now - started
                    let row = try await record(
                        verb, current, result, options, after: updated, httpStatus: response?.status,
                        correlationID: response?.correlationID
                    )
                    await announce(current, updated, audit: row?.anchor, options)
                    if target == .off, options.wait { try await waitUntilOff(&result, options) }
                    return result
                } catch let error as GenesysError where error.isVersionConflict {
                    guard result.attempts <= options.maxConflicts else {
                        result.outcome = .error
                        result.message = "version conflict persisted after \(options.maxConflicts) retries: \(error.message)"
                        try await record(verb, current, result, options, httpStatus: error.status, correlationID: error.correlationID)
                        return result
                    }
                    Counter(label: TransitionMetrics.conflictRetries, dimensions: [("verb", verb.rawValue)]).increment()
                    var retry = result
                    retry.outcome = .conflictRetry
                    retry.message = error.message
                    try await record(verb, current, retry, options, httpStatus: error.status, correlationID: error.correlationID)
                    current = try await client.campaign(id: id)
                    result.fromStatus = current.campaignStatus?.rawValue
                } catch let error as GenesysError {
                    result.outcome = .error
                    result.message = error.description
                    result.latency = ContinuousClock.now - started
                    try await record(verb, current, result, options, httpStatus: error.status, correlationID: error.correlationID)
                    return result
                }
            case .recycle, .archive, .pauseThenArchive, .recreate:
                throw TransitionError("'\(verb.rawValue)' is not a status change")
            }
        }
    }

    /// Polls until the campaign is off (or forced off); past the timeout the result says it is still stopping.
    func waitUntilOff(_ result: inout TransitionResult, _ options: TransitionOptions) async throws {
        let started = ContinuousClock.now
        let deadline = started + options.timeout
        while true {
            let campaign = try await client.campaign(id: result.campaignID)
            result.toStatus = campaign.campaignStatus?.rawValue
            options.progress?("\(campaign.name ?? result.campaignID): \(campaign.campaignStatus?.rawValue ?? "?"), \((ContinuousClock.now - started).components.seconds) s")
            if campaign.campaignStatus == .off || campaign.campaignStatus == .forcedOff { return }
            guard ContinuousClock.now < deadline else {
                result.message = "still \(campaign.campaignStatus?.rawValue ?? "?") after \(options.timeout.components.seconds) s"
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
        let overridden = result.checks.filter { !$0.passed && options.overrides.contains($0.name) }.map(\.name.rawValue)
        return try await audit.store().append(
            AuditEntry(
                actor: actor, session: session, command: options.command, campaignID: result.campaignID,
                campaignName: result.campaignName, verb: verb.rawValue, fromStatus: campaign.campaignStatus?.rawValue,
                toStatus: updated?.campaignStatus?.rawValue ?? result.toStatus, outcome: result.outcome,
                attempt: max(result.attempts, 1), versionBefore: campaign.version, versionAfter: updated?.version,
                latencyMs: Int(result.latency.nanoseconds / 1_000_000), httpStatus: httpStatus,
                correlationID: correlationID, overrideChecks: overridden.isEmpty ? nil : overridden.joined(separator: ","),
                overrideReason: overridden.isEmpty ? nil : options.reason, errorMessage: result.message
            )
        )
    }

    func announce(_ before: Campaign, _ after: Campaign, audit anchor: AuditAnchor?, _ options: TransitionOptions) async {
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
