import AuditStore
import CoreMetrics
import Foundation
import GenesysCloud
import JSONDocument

/// How a transition runs.
public struct TransitionOptions: Sendable {
    public var dryRun = false
    /// Version conflicts retried before giving up.
    public var maxConflicts = 3
    /// Pause waits until the campaign is not dialing (archive always does).
    public var wait = true
    /// Activate waits until the dialer has the campaign `on` (`activate --wait`).
    public var waitForStart = false
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
    /// Told about a wait in progress, e.g. "waiting for 3 to stop: 3 stopping, 12 s", for a terminal's progress line.
    public var progress: (@Sendable (String) -> Void)?
    /// Real time, or a test's clock that never sleeps.
    public var clock = EngineClock.continuous
    /// The session's notification channel: a wait hears of each change on it and reads only when it
    /// may have missed one (a new socket, or ``quietReadAfter`` without news). Nil, or a channel that
    /// cannot be had, is polling every ``pollInterval``.
    public var notifications: NotificationChannel?
    /// With the channel, how long a wait goes without an event before it reads again.
    public var quietReadAfter: Duration = .seconds(15)
    /// Told once when the channel cannot be had, before polling instead.
    public var warn: (@Sendable (String) -> Void)?

    public init() {}
}

/// How one campaign's transition ended.
public struct TransitionResult: Sendable {
    public var campaignID: String
    public var campaignName: String?
    public var from: TransitionState?
    public var to: TransitionState?
    public var outcome: AuditOutcome
    /// Mutating requests sent (1 + conflict retries for a PUT), 0 when nothing was sent.
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

/// Moves one campaign through a verb (docs/ARCHITECTURE.md, "The path of a transition"). ``perform(_:on:options:run:)``
/// is the only entry, single or bulk, restore included: it asks ``TransitionPlanner`` for the plan, runs its
/// steps, and records one audit row per attempt, metrics, and a webhook event per state change.
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
    /// (and what is announced) needs it: every other verb treats the two alike, so they skip it.
    public func lifecycle(of campaign: Campaign, distinguishingDraft: Bool = true) async throws -> Lifecycle {
        guard distinguishingDraft, Lifecycle.needsProgress(campaign) else {
            return Lifecycle(campaign, contactsCalled: nil)
        }
        let called = try await client.progress(ofCampaign: campaign.id ?? "").numberOfContactsCalled
        return Lifecycle(campaign, contactsCalled: called)
    }

    /// Runs `verb` on `subject` (a campaign as just read from Genesys, or an archived one for `restore`).
    /// - Parameter run: what the transitions of one run share; a run of its own by default.
    public func perform(
        _ verb: Verb, on subject: TransitionSubject, options: TransitionOptions, run: TransitionRun? = nil
    ) async throws -> TransitionResult {
        let run = run ?? TransitionRun(client: client, options: options)
        Counter(label: TransitionMetrics.attempts, dimensions: [("verb", verb.rawValue)]).increment()
        var execution = Execution(engine: self, verb: verb, options: options, run: run, subject: subject)
        return try await execution.perform()
    }
}

/// One transition as it runs: the campaign as last read, the result so far, and the steps of its plan.
private struct Execution {
    let engine: TransitionEngine
    let verb: Verb
    let options: TransitionOptions
    let run: TransitionRun
    let subject: TransitionSubject
    /// The campaign as last read (empty for a restore until it is created).
    var current: Campaign
    var result: TransitionResult
    let started: ContinuousClock.Instant
    /// The mutating request last sent: its intent row and the rows after it carry this id.
    var requestID: String?

    init(
        engine: TransitionEngine, verb: Verb, options: TransitionOptions, run: TransitionRun, subject: TransitionSubject
    ) {
        self.engine = engine
        self.verb = verb
        self.options = options
        self.run = run
        self.subject = subject
        started = options.clock.now()
        switch subject {
        case .campaign(let campaign):
            current = campaign
            let state = TransitionState(campaign.campaignStatus)
            result = TransitionResult(
                campaignID: subject.id, campaignName: subject.name, from: state, to: state, outcome: .noop)
        case .archived:
            current = Campaign()
            result = TransitionResult(
                campaignID: subject.id, campaignName: subject.name, from: .archived, to: .archived, outcome: .noop)
        }
    }

    var client: GenesysClient { engine.client }

    /// `GET` the campaign in a slot of the run.
    func read(_ id: String) async throws -> Campaign {
        let client = self.client
        return try await run.slots.run { try await client.campaign(id: id) }
    }

    mutating func perform() async throws -> TransitionResult {
        let state: Lifecycle
        switch subject {
        case .campaign: state = try await engine.lifecycle(of: current, distinguishingDraft: verb == .recycle)
        case .archived(let archived): state = archived.restoredAs == nil ? .archived : .unknown
        }
        switch TransitionPlanner.plan(verb, from: state, options: options) {
        case .refuse(var reason):
            if case .archived(let archived) = subject, let restoredAs = archived.restoredAs {
                reason = "already restored as \(restoredAs)"
            } else if state == .invalid, let errors = current.errors, !errors.isEmpty {
                reason += ": " + errors.map(\.summary).joined(separator: "; ")
            }
            Counter(label: TransitionMetrics.validationErrors, dimensions: [("verb", verb.rawValue)]).increment()
            return try await finish(.refused, message: reason)
        case .noop(let why):
            return try await finish(.noop, message: why)
        case .steps(let steps) where options.dryRun:
            result.plan = steps.map { $0.describe(current, id: result.campaignID, options: options) }
            result.to = Self.expectedState(after: verb)
            return try await finish(.dryRun)
        case .steps(let steps):
            for step in steps {
                do {
                    guard try await execute(step) else { return result }
                } catch let error as GenesysError {
                    // A step's read failed: the result keeps what is known (the steps done, the last status).
                    _ = try await fail(error)
                    return result
                }
            }
            if result.outcome == .noop { try await record() }
            return result
        }
    }

    /// The state a verb leads to, for a dry run's summary.
    static func expectedState(after verb: Verb) -> TransitionState {
        switch verb {
        case .activate: .status(.on)
        case .pause, .recycle, .restore: .status(.off)
        case .archive: .archived
        }
    }

    /// Runs one step; `false` when the transition ended there (refused, failed, timed out).
    mutating func execute(_ step: TransitionStep) async throws -> Bool {
        switch step {
        case .readAndCheck: return try await readAndCheck()
        case .turnOn: return try await turnOn()
        case .stop: return try await stop()
        case .waitUntilNotDialing: return try await waitUntilNotDialing()
        case .keepSnapshot: return try await keepSnapshot()
        case .delete:
            let id = result.campaignID
            return try await send("DELETE", after: .archived) { try await $0.deleteCampaign(id: id) }
        case .resetProgress:
            let id = result.campaignID
            guard try await send("POST recycle", after: nil, { try await $0.recycleCampaign(id: id) }) else {
                return false
            }
            let after = try await read(id)
            result.to = TransitionState(after.campaignStatus)
            await announce(from: current, to: after)
            return true
        case .create: return try await create()
        }
    }

    // MARK: Steps

    mutating func readAndCheck() async throws -> Bool {
        let id = result.campaignID
        current = try await read(id)
        result.from = TransitionState(current.campaignStatus)
        let state = try await engine.lifecycle(of: current, distinguishingDraft: false)
        guard TransitionPlanner.plan(verb, from: state, options: options) == .steps([.readAndCheck, .turnOn]) else {
            // Someone else moved it since it was listed: decide again from what it is now.
            var again = Execution(engine: engine, verb: verb, options: options, run: run, subject: .campaign(current))
            result = try await again.perform()
            return false
        }
        result.checks = await Preflight(client: client).checks(
            for: current, minAgents: options.minAgents, counts: run.counts)
        if let refusal = TransitionPlanner.refusal(result.checks, overrides: options.overrides) {
            Counter(label: TransitionMetrics.validationErrors, dimensions: [("verb", verb.rawValue)]).increment()
            _ = try await finish(.refused, message: refusal)
            return false
        }
        return true
    }

    mutating func turnOn() async throws -> Bool {
        let (id, campaign, viaStart, client) = (result.campaignID, current, options.viaStart, client)
        let attemptStarted = options.clock.now()
        do {
            result.attempts += 1
            let (updated, response) = try await sending(viaStart ? "POST start" : "PUT campaignStatus on") {
                guard viaStart else { return try await client.setStatus(of: campaign, to: .on) }
                try await client.startCampaign(id: id)
                return try await client.campaign(id: id)
            }
            Timer(label: TransitionMetrics.duration, dimensions: [("verb", verb.rawValue)])
                .recordNanoseconds(Int64((options.clock.now() - attemptStarted) / .nanoseconds(1)))
            await run.counts.takeSlot()
            result.outcome = .success
            result.to = TransitionState(updated.campaignStatus)
            result.latency = options.clock.now() - started
            let row = try await record(result, after: updated, response: response)
            await announce(from: current, to: updated, anchor: row?.anchor)
            if options.waitForStart { return try await waitUntilStarted(lastKnown: updated.campaignStatus) }
            return true
        } catch let error as GenesysError where error.isVersionConflict {
            guard result.attempts <= options.maxConflicts else {
                _ = try await fail(
                    error, message: "version conflict persisted after \(options.maxConflicts) retries: \(error.message)"
                )
                return false
            }
            Counter(label: TransitionMetrics.conflictRetries, dimensions: [("verb", verb.rawValue)]).increment()
            var retry = result
            retry.outcome = .conflictRetry
            retry.message = error.message
            try await record(retry, status: error.status, correlationID: error.correlationID)
            // Another admin changed it: read and check it again before turning it on.
            return try await readAndCheck() ? try await turnOn() : false
        } catch let error as GenesysError {
            return try await fail(error)
        }
    }

    /// `POST …/stop`. Genesys answers with no body, so the row has no status after; a wait reads it.
    mutating func stop() async throws -> Bool {
        let (id, client) = (result.campaignID, client)
        result.to = nil
        do {
            result.attempts += 1
            let (_, response) = try await sending("POST stop") { try await client.stopCampaign(id: id) }
            result.outcome = .success
            result.latency = options.clock.now() - started
            try await record(response: response)
            return true
        } catch let error as GenesysError {
            // A 400 may mean it stopped since it was read, or that a retried stop found it stopping already.
            let now = error.kind == .api && error.status == 400 ? try? await read(id) : nil
            result.to = TransitionState(now?.campaignStatus)
            switch now?.campaignStatus {
            case let status? where status.isSettledOff:
                current = now ?? current
                result.attempts = 0
                _ = try await finish(.noop, message: "not dialing: it is \(status.rawValue)")
                return verb == .archive
            case .stopping?, .forcedStopping?:
                result.outcome = .success
                try await record(status: error.status, correlationID: error.correlationID)
                return true
            default:
                return try await fail(error)
            }
        }
    }

    /// `activate --wait`: until the campaign reads `on`; what else it became instead is a failure.
    mutating func waitUntilStarted(lastKnown: CampaignStatus?) async throws -> Bool {
        let outcome = try await run.waiter.until(.started, result.campaignID, lastKnown: lastKnown)
        result.to = TransitionState(outcome.status)
        if outcome.timedOut {
            result.timedOut = true
            result.message = "still \(outcome.status?.rawValue ?? "off") after \(options.timeout.components.seconds) s"
            return false
        }
        guard outcome.status == .on else {
            result.outcome = .error
            result.message = "turned \(outcome.status?.rawValue ?? "?") instead of on"
            try await record()
            return false
        }
        return true
    }

    mutating func waitUntilNotDialing() async throws -> Bool {
        let outcome = try await run.waiter.untilNotDialing(result.campaignID, lastKnown: result.to?.status)
        result.to = TransitionState(outcome.status)
        if outcome.timedOut {
            result.timedOut = true
            result.message =
                "still \(outcome.status?.rawValue ?? "stopping") after \(options.timeout.components.seconds) s"
                + (outcome.readError.map { " (its status could not be read: \($0))" } ?? "")
            if outcome.readError != nil, verb != .archive {
                // Not a slow stop but an unknown one: a failure (exit 1), and the audit says so.
                result.outcome = .error
                result.timedOut = false
                try await record()
            }
            if verb == .archive {
                result.outcome = .error
                result.message = "not archived: " + (result.message ?? "")
                try await record()
            }
            return false
        }
        if verb == .pause, result.outcome == .success, let status = outcome.status {
            var after = current
            after.campaignStatus = status
            await announce(from: current, to: after)
        }
        return true
    }

    mutating func keepSnapshot() async throws -> Bool {
        let id = result.campaignID
        let plan = client.plan as? PlannedOrg
        guard plan != nil || engine.audit != nil else {
            throw TransitionError("archiving needs the audit store, which keeps the archive")
        }
        current = try await read(id)
        result.from = TransitionState(current.campaignStatus)
        if let plan {  // the plan keeps it: it deletes nothing either
            await plan.keepSnapshot(of: current)
            return true
        }
        guard let audit = engine.audit else { return false }
        // The document exactly as Genesys sent it: restore sends back what this client cannot model too.
        try await audit.store().archive(campaignID: id, name: current.name ?? id, snapshot: current.json.jsonText)
        return true
    }

    mutating func create() async throws -> Bool {
        guard case .archived(let archived) = subject else { return false }
        guard var campaign = (try? JSONValue(parsing: archived.snapshot)).flatMap(Campaign.init(json:)) else {
            throw TransitionError("the archived snapshot of \(archived.name) is not a campaign document")
        }
        // Read-only or server-assigned fields go; the rest is sent as it was.
        for field in ["id", "version", "dateCreated", "dateModified", "selfUri", "errors"] {
            campaign.document[field] = nil
        }
        campaign.campaignStatus = .off
        let (toCreate, client) = (campaign, client)
        do {
            result.attempts += 1
            let (created, response) = try await sending("POST create") { try await client.createCampaign(toCreate) }
            if let plan = client.plan as? PlannedOrg {
                await plan.markRestored(archived.id, as: created.id ?? "")
            } else {
                try await engine.audit?.store().markRestored(archived.id, as: created.id ?? "")
            }
            result.outcome = .success
            result.campaignID = created.id ?? ""
            result.to = TransitionState(created.campaignStatus)
            var row = result
            row.message = "restored from archived campaign \(archived.campaignID)"
            let recorded = try await record(row, after: created, response: response)
            await announce(from: nil, to: created, anchor: recorded?.anchor)
            return true
        } catch let error as GenesysError {
            return try await fail(error)
        }
    }

    /// A mutating request whose answer is not needed; `after` is the state it leads to.
    mutating func send<Answer: Sendable>(
        _ what: String, after: TransitionState?,
        _ request: @escaping @Sendable (GenesysClient) async throws -> Answer
    ) async throws -> Bool {
        let client = self.client
        do {
            result.attempts += 1
            let (_, response) = try await sending(what) { try await request(client) }
            result.outcome = .success
            result.to = after ?? result.to
            result.latency = options.clock.now() - started
            let row = try await record(response: response)
            if after == .archived { await announce(from: current, to: nil, anchor: row?.anchor) }
            return true
        } catch let error as GenesysError {
            return try await fail(error)
        }
    }

    // MARK: Recording

    /// Runs one mutating request in a slot of the run; returns its answer and the attempt that got it, whose
    /// status and correlation id go into the audit row.
    ///
    /// An `intent` row is durable before the request leaves, so a shell killed while it is in flight leaves a
    /// trace a later shell closes (``IntentReconciler``). Every attempt the client sent again after no answer
    /// or a server error may have taken effect: each gets a `retried` row.
    mutating func sending<Answer: Sendable>(
        _ what: String, _ call: @escaping @Sendable () async throws -> Answer
    ) async throws -> (Answer, RequestRecord?) {
        try await writeIntent(what)
        let live = client.plan == nil  // a plan's requests reach no server: nothing to cut
        if live { CrashPoint.beforeRequest.reached() }
        let trace = RequestTrace()
        do {
            let answer = try await run.slots.run { try await trace.collecting(call) }
            if live { CrashPoint.afterRequest.reached() }
            try await recordRetried(trace)
            return (answer, trace.records.last)
        } catch {
            try await recordRetried(trace)
            throw error
        }
    }

    /// The intent of the request about to be sent: a fresh request id, which the rows after it carry.
    mutating func writeIntent(_ what: String) async throws {
        guard let audit = engine.audit, client.plan == nil else { return }
        requestID = UUID().uuidString.lowercased()
        try audit.store().holdSessionLock(engine.session)
        var intent = result
        intent.outcome = .intent
        intent.message = "sending \(what)"
        try await record(intent)
    }

    /// A `retried` row per mutating attempt before the last that got no answer or a server error.
    func recordRetried(_ trace: RequestTrace) async throws {
        guard requestID != nil else { return }
        let attempts = trace.records.filter { $0.method != "GET" }
        for (index, attempt) in attempts.dropLast().enumerated() where attempt.status.map({ $0 >= 500 }) ?? true {
            var row = result
            row.outcome = .retried
            row.attempts = index + 1
            row.message =
                "attempt \(index + 1): " + (attempt.status.map { "HTTP \($0)" } ?? "no answer") + "; sent again"
            try await record(row, status: attempt.status, correlationID: attempt.correlationID)
        }
    }

    mutating func finish(_ outcome: AuditOutcome, message: String? = nil) async throws -> TransitionResult {
        result.outcome = outcome
        result.message = message
        try await record()
        return result
    }

    /// The transition failed on `error`: the row says so, with the response's status and correlation id.
    mutating func fail(_ error: GenesysError, message: String? = nil) async throws -> Bool {
        result.outcome = .error
        result.message = message ?? error.description
        result.latency = options.clock.now() - started
        try await record(status: error.status, correlationID: error.correlationID)
        return false
    }

    @discardableResult
    func record(response: RequestRecord?) async throws -> AuditRecord? {
        try await record(result, response: response)
    }

    @discardableResult
    func record(status: Int? = nil, correlationID: String? = nil) async throws -> AuditRecord? {
        try await record(result, status: status, correlationID: correlationID)
    }

    @discardableResult
    func record(_ row: TransitionResult, after: Campaign? = nil, response: RequestRecord?) async throws -> AuditRecord?
    {
        try await record(row, after: after, status: response?.status, correlationID: response?.correlationID)
    }

    /// One audit row for this attempt; durable when this returns.
    @discardableResult
    func record(
        _ row: TransitionResult, after: Campaign? = nil, status: Int? = nil, correlationID: String? = nil
    ) async throws -> AuditRecord? {
        guard let audit = engine.audit else { return nil }
        // A plan's rows (kept only for --dry-run) say what would have been done.
        var row = row
        if client.plan != nil { row.outcome = .dryRun }
        let overridden = row.checks.filter { $0.state != .pass && $0.bypassed(by: options.overrides) }.map(
            \.name.rawValue)
        return try await audit.store().append(
            AuditEntry(
                actor: engine.actor, session: engine.session, command: options.command, campaignID: row.campaignID,
                campaignName: row.campaignName, verb: verb.rawValue, fromStatus: row.from?.description,
                toStatus: row.to?.description, outcome: row.outcome, attempt: max(row.attempts, 1),
                versionBefore: current.version, versionAfter: after?.version,
                latencyMs: Int(row.latency / .milliseconds(1)), httpStatus: status, correlationID: correlationID,
                overrideChecks: overridden.isEmpty ? nil : overridden.joined(separator: ","),
                overrideReason: overridden.isEmpty ? nil : options.reason, errorMessage: row.message,
                requestID: requestID
            )
        )
    }

    /// A webhook event for a state change; `nil` is archived (not in Genesys).
    func announce(from before: Campaign?, to after: Campaign?, anchor: AuditAnchor? = nil) async {
        // Lifecycles cost requests: read them only for a webhook that will send them.
        guard let notifier = engine.notifier, await notifier.configuration != nil else { return }
        func state(_ campaign: Campaign?) async -> CampaignStateChange.CampaignState {
            guard let campaign else { return .init(status: nil, lifecycle: Lifecycle.archived.rawValue) }
            return .init(
                status: campaign.campaignStatus?.rawValue, lifecycle: try? await engine.lifecycle(of: campaign).rawValue
            )
        }
        await notifier.notify(
            CampaignStateChange(
                campaignId: after?.id ?? result.campaignID, campaignName: after?.name ?? result.campaignName,
                previous: await state(before), current: await state(after), actor: engine.actor, audit: anchor
            ),
            command: options.command
        )
    }
}

public struct TransitionError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
