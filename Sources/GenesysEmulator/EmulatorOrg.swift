import Foundation
import GenesysCloud

/// An answer from the emulated org, before the HTTP layer adds the common headers.
struct Reply: Sendable {
    enum Body: Sendable {
        case none
        case json(Data)
        case error(ErrorBody)
        case oauthError(OAuthErrorBody)
    }

    var status: Int
    var body: Body = .none
    var headers: [(String, String)] = []

    static func json(_ value: some Encodable, status: Int = 200) -> Reply {
        Reply(status: status, body: .json((try? jsonEncoder.encode(value)) ?? Data("null".utf8)))
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> Reply {
        Reply(status: status, body: .error(ErrorBody(status: status, code: code, message: message)))
    }

    static let noContent = Reply(status: 204)

    static func notFound(_ what: String = "resource") -> Reply {
        .error(404, "not.found", "The requested \(what) could not be found.")
    }

    static func badRequest(_ message: String, code: String = "bad.request") -> Reply {
        .error(400, code, message)
    }

    /// Genesys's wording for a refused campaign update (genesys-api.md §4, §5).
    static func invalidCampaignUpdate(_ details: String) -> Reply {
        .badRequest("An attempt was made to update a Campaign in an invalid way. Details: \(details)")
    }

    static let jsonEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

/// The emulated org: campaigns, queues, tokens, rate-limit windows, injected faults and the request log.
///
/// Every rule of the emulator contract lives here, one actor call per request, so each request sees
/// and leaves a consistent org. Time-driven changes (`stopping` → `off`) are applied lazily on access.
actor EmulatorOrg {
    struct StoredCampaign {
        var campaign: Campaign
        var contactsCalled: Int
        var totalContacts: Int
        var stoppingSince: ContinuousClock.Instant?
        /// Another admin's edit lands just before each of this many next PUTs.
        var editsBeforeNextPuts = 0
    }

    struct Queue {
        var id: String
        var name: String
        var members: [EmulatorSeed.SeedMember]
    }

    struct TokenWindow {
        var expiresAt: ContinuousClock.Instant
        var windowStart: ContinuousClock.Instant
        var count: Int
    }

    struct Fault {
        var status: Int?
        var delay: Duration?
        var retryAfter: Int?
        var pathPrefix: String?
        var remaining: Int
    }

    let configuration: EmulatorConfiguration
    private let clock = ContinuousClock()
    private var campaignOrder: [String] = []
    private var campaigns: [String: StoredCampaign] = [:]
    private var queues: [String: Queue] = [:]
    private var queueOrder: [String] = []
    private var tokens: [String: TokenWindow] = [:]
    private var faults: [Fault] = []
    private(set) var requestLog: [LoggedRequest] = []

    init(configuration: EmulatorConfiguration) {
        self.configuration = configuration
        let org = Self.contents(of: configuration.seed, now: clock.now)
        (campaignOrder, campaigns, queueOrder, queues) = (org.campaignOrder, org.campaigns, org.queueOrder, org.queues)
    }

    func reset() {
        tokens = [:]
        faults = []
        requestLog = []
        let org = Self.contents(of: configuration.seed, now: clock.now)
        (campaignOrder, campaigns, queueOrder, queues) = (org.campaignOrder, org.campaigns, org.queueOrder, org.queues)
    }

    private static func contents(
        of seed: EmulatorSeed, now: ContinuousClock.Instant
    ) -> (campaignOrder: [String], campaigns: [String: StoredCampaign], queueOrder: [String], queues: [String: Queue]) {
        var campaignOrder: [String] = []
        var campaigns: [String: StoredCampaign] = [:]
        for entry in seed.campaigns {
            let id = entry.campaign.id ?? UUID().uuidString.lowercased()
            var campaign = entry.campaign
            campaign.id = id
            let stopping = campaign.campaignStatus == .stopping || campaign.campaignStatus == .forcedStopping
            campaignOrder.append(id)
            campaigns[id] = StoredCampaign(
                campaign: campaign, contactsCalled: entry.contactsCalled, totalContacts: entry.totalContacts,
                stoppingSince: stopping ? now : nil
            )
        }
        let queues = Dictionary(seed.queues.map { ($0.id, Queue(id: $0.id, name: $0.name, members: $0.members)) }) { $1 }
        return (campaignOrder, campaigns, seed.queues.map(\.id), queues)
    }

    // MARK: Log

    func log(_ entry: LoggedRequest) {
        requestLog.append(entry)
    }

    // MARK: OAuth

    func issueToken(clientID: String, clientSecret: String) -> String? {
        guard clientID == configuration.clientID, clientSecret == configuration.clientSecret else { return nil }
        let token = Self.randomToken()
        let now = clock.now
        tokens[token] = TokenWindow(
            expiresAt: now + .seconds(configuration.tokenLifetimeSeconds), windowStart: now, count: 0
        )
        return token
    }

    /// Makes every issued token invalid, as if they had expired.
    func revokeTokens() {
        tokens = [:]
    }

    private static func randomToken() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return String((0..<86).map { _ in alphabet.randomElement()! })
    }

    // MARK: Admission: authentication, injected faults, rate limit

    enum Admission {
        case admitted(rateLimitHeaders: [(String, String)])
        case refused(Reply)
        case delayed(Duration)
    }

    /// Decides whether an API request reaches its handler. A delay fault answers `.delayed` once; the
    /// caller waits and asks again with `afterDelay`.
    func admit(path: String, bearer: String?, afterDelay: Bool = false) -> Admission {
        if !afterDelay, let fault = takeFault(path: path) {
            if let delay = fault.delay { return .delayed(delay) }
            if let status = fault.status {
                var reply = Reply.error(status, Self.faultCode(status), Self.faultMessage(status))
                if status == 429 { reply.headers.append(("Retry-After", "\(fault.retryAfter ?? 1)")) }
                return .refused(reply)
            }
        }
        guard path.hasPrefix("/api/v2/") else { return .admitted(rateLimitHeaders: []) }
        guard let bearer else {
            return .refused(
                .error(401, "authentication.required", "No authentication bearer token specified in authorization header.")
            )
        }
        let now = clock.now
        guard var window = tokens[bearer], window.expiresAt > now else {
            return .refused(.error(401, "bad.credentials", "Invalid login credentials."))
        }
        if now - window.windowStart >= .seconds(60) {
            window.windowStart = now
            window.count = 0
        }
        let reset = Int((window.windowStart + .seconds(60) - now).components.seconds) + 1
        if window.count >= configuration.rateLimitPerMinute {
            tokens[bearer] = window
            var reply = Reply.error(
                429, "too.many.requests",
                "Rate limit exceeded the maximum. [\(configuration.rateLimitPerMinute)] requests for [60] seconds"
            )
            reply.headers = rateLimitHeaders(window, reset: reset) + [("Retry-After", "\(reset)")]
            return .refused(reply)
        }
        window.count += 1
        tokens[bearer] = window
        return .admitted(rateLimitHeaders: rateLimitHeaders(window, reset: reset))
    }

    private func rateLimitHeaders(_ window: TokenWindow, reset: Int) -> [(String, String)] {
        [
            ("inin-ratelimit-count", "\(window.count)"),
            ("inin-ratelimit-allowed", "\(configuration.rateLimitPerMinute)"),
            ("inin-ratelimit-reset", "\(reset)"),
        ]
    }

    func addFault(status: Int?, delay: Duration?, retryAfter: Int?, pathPrefix: String?, count: Int) {
        faults.append(Fault(status: status, delay: delay, retryAfter: retryAfter, pathPrefix: pathPrefix, remaining: count))
    }

    private func takeFault(path: String) -> Fault? {
        let defaultScope = path.hasPrefix("/api/v2/")
        guard
            let index = faults.firstIndex(where: { fault in
                fault.remaining > 0 && (fault.pathPrefix.map { path.hasPrefix($0) } ?? defaultScope)
            })
        else { return nil }
        faults[index].remaining -= 1
        let fault = faults[index]
        if fault.remaining == 0 { faults.remove(at: index) }
        return fault
    }

    private static func faultCode(_ status: Int) -> String {
        switch status {
        case 429: "too.many.requests"
        case 502: "bad.gateway"
        case 503: "service.unavailable"
        case 504: "gateway.timeout"
        default: "internal.server.error"
        }
    }

    private static func faultMessage(_ status: Int) -> String {
        switch status {
        case 429: "Rate limit exceeded the maximum."
        case 503: "The service is currently unavailable."
        case 504: "The request timed out."
        default: "The server encountered an error (emulated fault)."
        }
    }

    // MARK: Time

    /// Applies the stopping delay: `stopping` → `off`, `forced_stopping` → `forced_off`.
    private func settle(_ id: String) {
        guard let since = campaigns[id]?.stoppingSince, clock.now - since >= configuration.stoppingDelay else { return }
        let status = campaigns[id]?.campaign.campaignStatus
        campaigns[id]?.campaign.campaignStatus = status == .forcedStopping ? .forcedOff : .off
        campaigns[id]?.stoppingSince = nil
    }

    private func settled(_ id: String) -> StoredCampaign? {
        settle(id)
        return campaigns[id]
    }

    private var activeCampaignCount: Int {
        campaignOrder.filter { id in
            settle(id)
            return campaigns[id]?.campaign.campaignStatus?.occupiesActiveSlot == true
        }.count
    }

    // MARK: Campaigns

    func listCampaigns(_ query: ListQuery) -> Reply {
        var matching = campaignOrder.compactMap { settled($0)?.campaign }.filter { query.matches($0) }
        if let sortBy = query.sortBy {
            matching.sort { (Self.sortKey($0, sortBy)) < (Self.sortKey($1, sortBy)) }
            if query.descending { matching.reverse() }
        }
        return .json(query.page(of: matching, path: "/api/v2/outbound/campaigns"))
    }

    private static func sortKey(_ campaign: Campaign, _ field: String) -> String {
        switch field {
        case "campaignStatus": campaign.campaignStatus?.rawValue ?? ""
        case "dateCreated": campaign.dateCreated ?? ""
        case "dateModified": campaign.dateModified ?? ""
        default: campaign.name?.lowercased() ?? ""
        }
    }

    func getCampaign(_ id: String) -> Reply {
        guard let stored = settled(id) else { return .notFound("campaign") }
        return .json(stored.campaign)
    }

    func createCampaign(_ body: Data) -> Reply {
        guard var campaign = try? JSONDecoder().decode(Campaign.self, from: body) else {
            return .badRequest("The request body is not a valid Campaign.")
        }
        if let problem = Self.missingRequiredField(campaign) { return problem }
        let id = UUID().uuidString.lowercased()
        let now = Self.timestamp()
        campaign.id = id
        campaign.version = 1
        campaign.dateCreated = now
        campaign.dateModified = now
        campaign.selfUri = "/api/v2/outbound/campaigns/\(id)"
        campaign.campaignStatus = .off  // Genesys creates campaigns off (genesys-api.md §3, PR #476)
        campaign.errors = []
        campaignOrder.append(id)
        campaigns[id] = StoredCampaign(campaign: campaign, contactsCalled: 0, totalContacts: 1_000)
        return .json(campaign)
    }

    func replaceCampaign(_ id: String, body: Data) -> Reply {
        guard var stored = settled(id) else { return .notFound("campaign") }
        if stored.editsBeforeNextPuts > 0 {
            stored.editsBeforeNextPuts -= 1
            applyConcurrentEdit(to: &stored)
        }
        campaigns[id] = stored
        guard var incoming = try? JSONDecoder().decode(Campaign.self, from: body) else {
            return .badRequest("The request body is not a valid Campaign.")
        }
        guard let version = incoming.version else {
            return .badRequest("The version of the campaign is required for updates.", code: "invalid.property")
        }
        let current = stored.campaign
        guard version == current.version else { return versionConflict(current) }
        guard let requested = incoming.campaignStatus else {
            return .badRequest("The campaignStatus of the campaign is required for updates.", code: "invalid.property")
        }
        if let problem = Self.missingRequiredField(incoming) { return problem }
        if incoming.dynamicContactQueueingSettings?.filter ?? false != current.dynamicContactQueueingSettings?.filter ?? false {
            return .invalidCampaignUpdate("Dynamic contact queueing filtering can only be set when the campaign is created")
        }
        let status: CampaignStatus
        switch transition(current, to: requested) {
        case .success(let next): status = next
        case .failure(let refusal): return refusal.reply
        }
        incoming.id = id
        incoming.dateCreated = current.dateCreated
        incoming.dateModified = Self.timestamp()
        incoming.version = version + 1
        incoming.selfUri = current.selfUri
        incoming.errors = current.errors
        incoming.campaignStatus = status
        stored.campaign = incoming
        enterStopping(&stored, from: current.campaignStatus)
        campaigns[id] = stored
        settle(id)
        return .json(campaigns[id]!.campaign)
    }

    /// Another admin's edit: the stored version moves on.
    private func applyConcurrentEdit(to stored: inout StoredCampaign) {
        stored.campaign.version = (stored.campaign.version ?? 0) + 1
        stored.campaign.dateModified = Self.timestamp()
    }

    private func versionConflict(_ current: Campaign) -> Reply {
        let message =
            configuration.versionConflictStatus == 409
            ? "The version number of the modified resource must match the version number in the database."
            : "An attempt was made to update a Campaign in an invalid way. Details: The version supplied "
                + "does not match the current version of the campaign."
        return .error(configuration.versionConflictStatus, configuration.versionConflictCode, message)
    }

    struct Refusal: Error {
        var reply: Reply
    }

    /// The status a requested `campaignStatus` leads to, or why it is refused (genesys-api.md §4).
    private func transition(_ campaign: Campaign, to requested: CampaignStatus) -> Result<CampaignStatus, Refusal> {
        let current = campaign.campaignStatus ?? .off
        let id = campaign.id ?? ""
        if requested == current { return .success(current) }
        func invalid() -> Result<CampaignStatus, Refusal> {
            .failure(Refusal(reply: .invalidCampaignUpdate(
                "Invalid transition from <\(current.rawValue.uppercased())> to <\(requested.rawValue.uppercased())> (\(id))"
            )))
        }
        switch requested {
        case .on:
            guard [.off, .complete, .forcedOff].contains(current) else { return invalid() }
            if !(campaign.errors ?? []).isEmpty {
                return .failure(Refusal(reply: .invalidCampaignUpdate("The campaign has errors and cannot be turned on (\(id))")))
            }
            if activeCampaignCount >= configuration.maxActiveCampaigns {
                return .failure(Refusal(reply: .badRequest(
                    "The limit for campaigns active at one time is \(configuration.maxActiveCampaigns). This includes "
                        + "campaigns in the ON, STOPPING, or FORCED_STOPPING states.",
                    code: "max.active.campaigns.exceeded"
                )))
            }
            return .success(.on)
        case .off:
            switch current {
            case .on: return .success(.stopping)
            case .forcedOff: return .success(.off)
            case .stopping, .forcedStopping: return .success(current)  // already on its way off
            default: return invalid()
            }
        default:
            return .failure(Refusal(reply: .invalidCampaignUpdate(
                "A Campaign may only be turned 'on' or 'off', not '\(requested.rawValue)' (\(id))"
            )))
        }
    }

    private func enterStopping(_ stored: inout StoredCampaign, from previous: CampaignStatus?) {
        if stored.campaign.campaignStatus == .stopping, previous != .stopping {
            stored.stoppingSince = clock.now
        }
    }

    /// `POST …/start` and `…/stop`: the same rules as a PUT of `on`/`off`, without a body or version.
    func setStatus(_ id: String, to requested: CampaignStatus) -> Reply {
        guard var stored = settled(id) else { return .notFound("campaign") }
        let current = stored.campaign.campaignStatus
        if requested == .off, current != .on { return .noContent }  // stopping a campaign that is not running
        if requested == .on, current == .on { return .noContent }
        switch transition(stored.campaign, to: requested) {
        case .success(let next):
            stored.campaign.campaignStatus = next
            applyConcurrentEdit(to: &stored)
            enterStopping(&stored, from: current)
            campaigns[id] = stored
            settle(id)
            return .noContent
        case .failure(let refusal):
            return refusal.reply
        }
    }

    func patchCampaign(_ id: String, body: Data) -> Reply {
        guard var stored = settled(id) else { return .notFound("campaign") }
        guard let patch = try? JSONDecoder().decode(CampaignPatchRequest.self, from: body) else {
            return .badRequest("The request body is not a valid CampaignPatchRequest.")
        }
        if let queue = patch.queue {
            guard let queueID = queue.id, let known = queues[queueID] else { return .badRequest("The queue does not exist.") }
            stored.campaign.queue = DomainEntityRef(id: queueID, name: known.name, selfUri: "/api/v2/routing/queues/\(queueID)")
        }
        if let lines = patch.outboundLineCount { stored.campaign.outboundLineCount = lines }
        if let rate = patch.abandonRate { stored.campaign.abandonRate = rate }
        if let calls = patch.maxCallsPerAgent {
            stored.campaign.maxCallsPerAgent = Int(calls)
            stored.campaign.maxCallsPerAgentDecimal = calls
        }
        if let balancing = patch.dynamicLineBalancingSettings { stored.campaign.dynamicLineBalancingSettings = balancing }
        applyConcurrentEdit(to: &stored)
        campaigns[id] = stored
        return .noContent
    }

    func deleteCampaign(_ id: String) -> Reply {
        guard let stored = settled(id) else { return .notFound("campaign") }
        if stored.campaign.campaignStatus?.occupiesActiveSlot == true {
            return .badRequest("Cannot delete a campaign when it is running (\(id))")
        }
        campaigns[id] = nil
        campaignOrder.removeAll { $0 == id }
        return .json(stored.campaign)
    }

    // MARK: Progress and stats

    private func progress(_ stored: StoredCampaign) -> CampaignProgress {
        CampaignProgress(
            campaign: DomainEntityRef(id: stored.campaign.id, name: stored.campaign.name, selfUri: stored.campaign.selfUri),
            contactList: stored.campaign.contactList, numberOfContactsCalled: stored.contactsCalled,
            totalNumberOfContacts: stored.totalContacts
        )
    }

    func campaignProgress(_ id: String) -> Reply {
        guard let stored = settled(id) else { return .notFound("campaign") }
        return .json(progress(stored))
    }

    func campaignsProgress(_ body: Data) -> Reply {
        guard let ids = try? JSONDecoder().decode([String].self, from: body) else {
            return .badRequest("The request body must be a list of campaign ids.")
        }
        return .json(ids.compactMap { settled($0).map(progress) })
    }

    /// `DELETE …/progress`: progress back to zero; a completed campaign is ready to dial again (`off`).
    func recycleCampaign(_ id: String) -> Reply {
        guard var stored = settled(id) else { return .notFound("campaign") }
        stored.contactsCalled = 0
        if stored.campaign.campaignStatus == .complete {
            stored.campaign.campaignStatus = .off
            applyConcurrentEdit(to: &stored)
        }
        campaigns[id] = stored
        return .noContent
    }

    func campaignStats(_ id: String) -> Reply {
        guard let stored = settled(id) else { return .notFound("campaign") }
        let idle = stored.campaign.queue?.id.flatMap { queues[$0] }.map(Self.idleAgents) ?? 0
        let running = stored.campaign.campaignStatus == .on
        let lines = stored.campaign.outboundLineCount ?? 0
        var stats = CampaignStats()
        let attempts = Double(stored.contactsCalled)
        stats.contactRate = .init(attempts: attempts, connects: (attempts * 0.32).rounded(), connectRatio: attempts > 0 ? 0.32 : 0)
        stats.idleAgents = idle
        stats.effectiveIdleAgents = Double(idle)
        stats.adjustedCallsPerAgent = Double(stored.campaign.maxCallsPerAgent ?? 1)
        stats.outstandingCalls = running ? min(idle * (stored.campaign.maxCallsPerAgent ?? 1), lines) : 0
        stats.scheduledCalls = 0
        stats.timeZoneRescheduledCalls = 0
        stats.filteredOutContactsCount = 0
        stats.rightPartyContactsCount = stored.contactsCalled / 4
        stats.validAttempts = stored.contactsCalled
        stats.linesUtilization = .init(assignedOutboundLines: running ? lines : 0, totalAvailableOutboundLines: 300)
        return .json(stats)
    }

    /// Agents who can take a dialer call now: joined, on queue and `IDLE`.
    private static func idleAgents(_ queue: Queue) -> Int {
        queue.members.filter { $0.joined && $0.routingStatus == .idle }.count
    }

    // MARK: Queues

    func listQueues(_ query: ListQuery) -> Reply {
        let entities = queueOrder.compactMap { queues[$0] }.map {
            DomainEntityRef(id: $0.id, name: $0.name, selfUri: "/api/v2/routing/queues/\($0.id)")
        }
        return .json(query.page(of: entities, path: "/api/v2/routing/queues"))
    }

    func queueMembers(_ queueID: String, _ query: ListQuery) -> Reply {
        guard let queue = queues[queueID] else { return .notFound("queue") }
        let members = queue.members.filter { member in
            (query.joined.map { $0 == member.joined } ?? true)
                && (query.routingStatuses.isEmpty || query.routingStatuses.contains(member.routingStatus.rawValue))
                && (query.memberBy.map { $0 == "user" } ?? true)
                && (query.name.map { member.name.localizedCaseInsensitiveContains($0) } ?? true)
        }.map {
            QueueMember(
                id: $0.id, name: $0.name, joined: $0.joined,
                routingStatus: RoutingStatus(userId: $0.id, status: $0.routingStatus, startTime: "2026-11-29T08:00:00.000Z"),
                selfUri: "/api/v2/users/\($0.id)"
            )
        }
        return .json(query.page(of: members, path: "/api/v2/routing/queues/\(queueID)/members", withTotals: false))
    }

    /// Replaces a queue's agents with generated ones in the given routing statuses.
    func setAgents(_ queueID: String, _ counts: [String: Int]) -> Reply {
        guard queues[queueID] != nil else { return .notFound("queue") }
        let number = (queueOrder.firstIndex(of: queueID) ?? 0) + 1
        let statuses = Dictionary(counts.map { (RoutingStatus.Value(rawValue: $0.key), $0.value) }) { $0 + $1 }
        queues[queueID]?.members = EmulatorSeed.agentRoster(queue: number, statuses)
        return .noContent
    }

    func queueObservations(_ body: Data) -> Reply {
        guard let query = try? JSONDecoder().decode(QueueObservationQuery.self, from: body) else {
            return .badRequest("The request body is not a valid QueueObservationQuery.")
        }
        let queueIDs = Self.queueIDs(in: query.filter)
        let results = queueIDs.compactMap { queues[$0] }.map { queue in
            var data: [QueueObservationQueryResponse.Datum] = []
            let joined = queue.members.filter(\.joined)
            let onQueue = joined.filter { $0.routingStatus != .offQueue }
            for metric in query.metrics {
                switch metric {
                case "oOnQueueUsers":
                    for status in RoutingStatus.Value.knownValues where status != .offQueue {
                        let count = onQueue.filter { $0.routingStatus == status }.count
                        if count > 0 { data.append(.init(metric: metric, qualifier: status.rawValue, count: count)) }
                    }
                case "oOffQueueUsers":
                    data.append(.init(metric: metric, qualifier: nil, count: joined.count - onQueue.count))
                case "oMemberUsers":
                    data.append(.init(metric: metric, qualifier: nil, count: queue.members.count))
                case "oActiveUsers":
                    data.append(.init(metric: metric, qualifier: nil, count: joined.count))
                default:
                    break
                }
            }
            return QueueObservationQueryResponse.Result(group: ["queueId": queue.id], data: data)
        }
        return .json(QueueObservationQueryResponse(results: results))
    }

    private static func queueIDs(in filter: QueueObservationQuery.Filter) -> [String] {
        let own = (filter.predicates ?? []).filter { $0.dimension == "queueId" }.compactMap(\.value)
        return own + (filter.clauses ?? []).flatMap(queueIDs(in:))
    }

    // MARK: Test control

    func bump(_ id: String, beforeNextPuts: Int?) -> Reply {
        guard var stored = settled(id) else { return .notFound("campaign") }
        if let beforeNextPuts {
            stored.editsBeforeNextPuts = beforeNextPuts
        } else {
            applyConcurrentEdit(to: &stored)
        }
        campaigns[id] = stored
        return .json(stored.campaign)
    }

    /// Server-side changes no client can make: a campaign completing, becoming invalid, forced off.
    func overrideState(_ id: String, _ change: StateOverride) -> Reply {
        guard var stored = settled(id) else { return .notFound("campaign") }
        if let status = change.campaignStatus {
            let previous = stored.campaign.campaignStatus
            stored.campaign.campaignStatus = status
            stored.stoppingSince = nil
            if status == .stopping || status == .forcedStopping, previous != status { stored.stoppingSince = clock.now }
        }
        if let errors = change.errors { stored.campaign.errors = errors }
        if let called = change.contactsCalled { stored.contactsCalled = called }
        if let total = change.totalContacts { stored.totalContacts = total }
        applyConcurrentEdit(to: &stored)
        campaigns[id] = stored
        return .json(stored.campaign)
    }

    // MARK: Validation

    /// The fields Genesys requires (genesys-api.md §3), by dialing mode.
    private static func missingRequiredField(_ campaign: Campaign) -> Reply? {
        var missing: [String] = []
        if campaign.name?.isEmpty ?? true { missing.append("name") }
        if campaign.contactList?.id == nil { missing.append("contactList") }
        if campaign.dialingMode == nil { missing.append("dialingMode") }
        if campaign.phoneColumns?.isEmpty ?? true { missing.append("phoneColumns") }
        if campaign.callerName == nil { missing.append("callerName") }
        if campaign.callerAddress == nil { missing.append("callerAddress") }
        let mode = campaign.dialingMode
        if mode != .agentless, campaign.queue?.id == nil { missing.append("queue") }
        if mode != .agentless, campaign.script?.id == nil { missing.append("script") }
        if mode != .preview, campaign.edgeGroup?.id == nil, campaign.site?.id == nil { missing.append("edgeGroup") }
        if mode == .agentless, campaign.outboundLineCount == nil { missing.append("outboundLineCount") }
        guard let field = missing.first else { return nil }
        return .badRequest("The campaign field '\(field)' is required.", code: "invalid.property")
    }

    static func timestamp() -> String {
        Date.now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// A change `POST /emulator/v1/campaigns/{id}/state` applies as if the server made it.
struct StateOverride: Codable {
    var campaignStatus: CampaignStatus?
    var errors: [RestErrorDetail]?
    var contactsCalled: Int?
    var totalContacts: Int?
}

/// One line of `GET /emulator/v1/requests`.
public struct LoggedRequest: Codable, Sendable, Equatable {
    public var method: String
    public var path: String
    public var query: String?
    public var status: Int
    public var correlationId: String
    public var time: String
}
