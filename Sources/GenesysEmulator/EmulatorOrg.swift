import Foundation
import JSONDocument

/// The `campaignStatus` values the emulator's rules name (docs/genesys-api.md, "Campaigns"); any other is stored as sent.
enum CampaignStatus {
    static let on = "on"
    static let stopping = "stopping"
    static let off = "off"
    static let complete = "complete"
    static let invalid = "invalid"
    static let forcedOff = "forced_off"
    static let forcedStopping = "forced_stopping"

    /// Counted against the org's limit of active campaigns ("ON, STOPPING, or FORCED_STOPPING").
    static func occupiesActiveSlot(_ status: String?) -> Bool {
        status == on || isStopping(status)
    }

    static func isStopping(_ status: String?) -> Bool {
        status == stopping || status == forcedStopping
    }
}

/// The emulated org: campaigns, queues, tokens, rate-limit windows, injected faults and the request log.
///
/// Every rule of the emulator contract lives here, one actor call per request, so each request sees
/// and leaves a consistent org. Time-driven changes (`stopping` → `off`) are applied lazily on access.
/// Campaigns are kept as the JSON documents they came as; the emulator writes only the fields it manages
/// (`id`, `version`, `dateCreated`, `dateModified`, `selfUri`, `campaignStatus`, `errors`, and what a
/// `PATCH` names).
actor EmulatorOrg {
    struct StoredCampaign {
        var document: JSONObject
        var contactsCalled: Int
        var totalContacts: Int
        var stoppingSince: ContinuousClock.Instant?
        /// When `POST …/start` was answered, while ``EmulatorConfiguration/startDelay`` keeps it off.
        var startingSince: ContinuousClock.Instant?
        /// Another admin's edit lands just before each of this many next PUTs.
        var editsBeforeNextPuts = 0

        var status: String? { document["campaignStatus"]?.stringValue }
        var version: Int? { document["version"]?.intValue }
        var hasErrors: Bool { document["errors"]?.arrayValue?.isEmpty == false }

        /// The `id` of the entity the field `reference` points at (`queue`, `contactList`, …).
        func id(of reference: String) -> String? { document[reference]?["id"]?.stringValue }
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
        /// A delay, or the shortest of a range of delays when `longestDelay` is set.
        var delay: Duration?
        var longestDelay: Duration?
        var retryAfter: Int?
        var pathPrefix: String?
        /// How many requests it may still hit.
        var remaining: Int
        /// The chance, in percent, that it hits a request it matches (nil: every one until `remaining` is 0).
        var percent: Int?
    }

    /// `totalAvailableOutboundLines` of a campaign that is on.
    static let runningAvailableOutboundLines = 300

    let configuration: EmulatorConfiguration
    private let clock = ContinuousClock()
    var campaignOrder: [String] = []
    var campaigns: [String: StoredCampaign] = [:] {
        didSet { publishChanges(from: oldValue) }
    }
    private var queues: [String: Queue] = [:] {
        didSet { publishStats(from: oldValue) }
    }
    private var queueOrder: [String] = []
    private var tokens: [String: TokenWindow] = [:]
    private var faults: [Fault] = []
    /// Draws the chances and delays of faults: seeded, so a fault campaign runs the same way again.
    private var faultDraws = SplitMix64(seed: 1)
    private(set) var requestLog: [LoggedRequest] = []
    /// Every token issued, revoked or not: what a test searches the client's files for.
    private(set) var issuedTokens: [String] = []

    /// Schedules, rules, sequences, callable time sets and lists (EmulatorOrg+Drivers.swift).
    var drivers = DriverStore()
    /// Who changed each campaign's status, for the realtime audit query.
    var statusChanges: [StatusChange] = []
    /// How far the emulator's wall clock is ahead of the machine's (`POST /emulator/v1/clock`).
    var wallOffset: TimeInterval = 0
    /// Notification channels (EmulatorOrg+Notifications.swift), oldest first.
    var channels: [String: NotificationChannel] = [:]
    var channelOrder: [String] = []
    /// Campaign events not to push, as a socket can miss them (`POST /emulator/v1/notifications/skip`).
    var skippedEvents = 0
    /// `ws://HOST:PORT` of the notification sockets' server, once it listens: channels' `connectUri`.
    var socketBaseURL: String?

    init(configuration: EmulatorConfiguration) {
        self.configuration = configuration
        let org = Self.contents(of: configuration.seed, now: clock.now)
        (campaignOrder, campaigns, queueOrder, queues) = (org.campaignOrder, org.campaigns, org.queueOrder, org.queues)
    }

    func reset() {
        tokens = [:]
        faults = []
        requestLog = []
        drivers = DriverStore()
        statusChanges = []
        wallOffset = 0
        for id in channelOrder { channels[id]?.socket?.finish() }
        channels = [:]
        channelOrder = []
        skippedEvents = 0
        let org = Self.contents(of: configuration.seed, now: clock.now)
        (campaignOrder, campaigns, queueOrder, queues) = (org.campaignOrder, org.campaigns, org.queueOrder, org.queues)
    }

    private static func contents(
        of seed: EmulatorSeed, now: ContinuousClock.Instant
    ) -> (campaignOrder: [String], campaigns: [String: StoredCampaign], queueOrder: [String], queues: [String: Queue]) {
        var campaignOrder: [String] = []
        var campaigns: [String: StoredCampaign] = [:]
        for entry in seed.campaigns {
            let id = entry.id ?? UUID().uuidString.lowercased()
            var document = entry.campaign
            document["id"] = .string(id)
            if campaigns[id] == nil { campaignOrder.append(id) }
            let stored = StoredCampaign(
                document: document, contactsCalled: entry.contactsCalled, totalContacts: entry.totalContacts)
            campaigns[id] = stored
            if CampaignStatus.isStopping(stored.status) { campaigns[id]?.stoppingSince = now }
        }
        let queues = Dictionary(seed.queues.map { ($0.id, Queue(id: $0.id, name: $0.name, members: $0.members)) }) {
            $1
        }
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
        issuedTokens.append(token)
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
    func admit(method: String, path: String, bearer: String?, afterDelay: Bool = false) -> Admission {
        if !afterDelay, let fault = takeFault(path: path) {
            if let delay = fault.delay { return .delayed(delay) }
            if let status = fault.status {
                var reply = Reply.error(
                    status, Self.faultCode(status), Self.faultMessage(status, method: method, path: path))
                if status == 429 { reply.headers.append(("Retry-After", "\(fault.retryAfter ?? 1)")) }
                return .refused(reply)
            }
        }
        guard path.hasPrefix("/api/v2/") else { return .admitted(rateLimitHeaders: []) }
        guard let bearer else {
            return .refused(
                .error(
                    401, ErrorCode.authenticationRequired,
                    "No authentication bearer token specified in authorization header.")
            )
        }
        let now = clock.now
        guard var window = tokens[bearer], window.expiresAt > now else {
            return .refused(.error(401, ErrorCode.badCredentials, "Invalid login credentials."))
        }
        if now - window.windowStart >= configuration.rateLimitWindow {
            window.windowStart = now
            window.count = 0
        }
        let reset = Int((window.windowStart + configuration.rateLimitWindow - now).components.seconds) + 1
        if window.count >= configuration.rateLimit {
            tokens[bearer] = window
            var reply = Reply.error(
                429, ErrorCode.tooManyRequests,
                "Rate limit exceeded the maximum. [\(configuration.rateLimit)] requests for "
                    + "[\(configuration.rateLimitWindow.components.seconds)] seconds"
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
            ("inin-ratelimit-allowed", "\(configuration.rateLimit)"),
            ("inin-ratelimit-reset", "\(reset)"),
        ]
    }

    func addFault(_ fault: Fault, seed: UInt64?) {
        if let seed { faultDraws = SplitMix64(seed: seed) }
        faults.append(fault)
    }

    /// The first fault that hits a request to `path` (a fault with a chance may let it pass), with its delay
    /// drawn when it has a range.
    private func takeFault(path: String) -> Fault? {
        let defaultScope = path.hasPrefix("/api/v2/")
        for index in faults.indices {
            let fault = faults[index]
            guard fault.remaining > 0, fault.pathPrefix.map({ path.hasPrefix($0) }) ?? defaultScope else { continue }
            if let percent = fault.percent, Int(faultDraws.next() % 100) >= percent { continue }
            faults[index].remaining -= 1
            var hit = fault
            if let shortest = fault.delay, let longest = fault.longestDelay, longest > shortest {
                let span = UInt64((longest - shortest) / .milliseconds(1))
                hit.delay = shortest + .milliseconds(Int64(faultDraws.next() % (span + 1)))
            }
            if faults[index].remaining == 0 { faults.remove(at: index) }
            return hit
        }
        return nil
    }

    private static func faultCode(_ status: Int) -> String {
        switch status {
        case 403: ErrorCode.missingPermissions
        case 429: ErrorCode.tooManyRequests
        case 502: ErrorCode.badGateway
        case 503: ErrorCode.serviceUnavailable
        case 504: ErrorCode.gatewayTimeout
        default: ErrorCode.internalServerError
        }
    }

    private static func faultMessage(_ status: Int, method: String, path: String) -> String {
        switch status {
        case 403:
            "Unable to perform the requested action. You are missing the following permission(s): "
                + "[\(permission(method: method, path: path))]"
        case 429: "Rate limit exceeded the maximum."
        case 503: "The service is currently unavailable."
        case 504: "The request timed out."
        default: "The server encountered an error (emulated fault)."
        }
    }

    /// The permission a request needs, for the wording of a 403 fault (a guess past the CLI's `…:stop`).
    private static func permission(method: String, path: String) -> String {
        if path.hasPrefix("/api/v2/outbound/campaigns") {
            if path.hasSuffix("/stop") { return "outbound:campaign:stop" }
            if path.hasSuffix("/start") { return "outbound:campaign:start" }
            if path.hasSuffix("/progress"), method == "DELETE" { return "outbound:campaign:edit" }
            switch method {
            case "GET": return "outbound:campaign:view"
            case "POST": return path.hasSuffix("/progress") ? "outbound:campaign:view" : "outbound:campaign:add"
            case "DELETE": return "outbound:campaign:delete"
            default: return "outbound:campaign:edit"
            }
        }
        if path.hasPrefix("/api/v2/routing/queues") { return "routing:queue:view" }
        if path.hasPrefix("/api/v2/analytics/queues/observations") { return "analytics:queueObservation:view" }
        return "the permission this request needs"
    }

    // MARK: Time

    /// Applies the stopping delay: `stopping` → `off`, `forced_stopping` → `forced_off`; and the start delay.
    private func settle(_ id: String) {
        if let since = campaigns[id]?.startingSince, clock.now - since >= configuration.startDelay,
            var stored = campaigns[id]
        {
            stored.startingSince = nil
            if stored.status == CampaignStatus.off {
                stored.document["campaignStatus"] = .string(CampaignStatus.on)
                applyEdit(to: &stored, at: since + configuration.startDelay)
            }
            campaigns[id] = stored
        }
        guard let since = campaigns[id]?.stoppingSince, clock.now - since >= configuration.stoppingDelay else { return }
        let status = campaigns[id]?.status
        campaigns[id]?.document["campaignStatus"] =
            .string(status == CampaignStatus.forcedStopping ? CampaignStatus.forcedOff : CampaignStatus.off)
        campaigns[id]?.stoppingSince = nil
        if configuration.stopBumpsVersion, var stored = campaigns[id] {
            applyEdit(to: &stored, at: since + configuration.stoppingDelay)
            campaigns[id] = stored
        }
    }

    func settled(_ id: String) -> StoredCampaign? {
        settle(id)
        return campaigns[id]
    }

    private var activeCampaignCount: Int {
        campaignOrder.filter { id in
            settle(id)
            return CampaignStatus.occupiesActiveSlot(campaigns[id]?.status)
        }.count
    }

    // MARK: Campaigns

    func listCampaigns(_ query: ListQuery) -> Reply {
        var matching = campaignOrder.compactMap { settled($0)?.document }.filter { query.matches($0) }
        if let sortBy = query.sortBy {
            matching.sort { Self.sortKey($0, sortBy) < Self.sortKey($1, sortBy) }
            if query.descending { matching.reverse() }
        }
        let summaryFields = Set(EmulatorConfiguration.ListEntities.summaryFields)
        let entities = matching.map { document -> JSONValue in
            switch configuration.listEntities {
            case .full: .object(document)
            case .summary:
                .object(
                    JSONObject(
                        document.members.lazy.filter { summaryFields.contains($0.key) }.map { ($0.key, $0.value) }))
            }
        }
        return .document(query.page(of: entities, path: "/api/v2/outbound/campaigns"), as: "CampaignEntityListing")
    }

    private static func sortKey(_ campaign: JSONObject, _ field: String) -> String {
        switch field {
        case "campaignStatus", "dateCreated", "dateModified": campaign[field]?.stringValue ?? ""
        default: campaign["name"]?.stringValue?.lowercased() ?? ""
        }
    }

    func getCampaign(_ id: String) -> Reply {
        guard let stored = settled(id) else { return .notFound("campaign") }
        return .document(stored.document, as: "Campaign")
    }

    func createCampaign(_ body: [UInt8]) -> Reply {
        replying { () throws(ReplyError) -> Reply in
            var campaign = try RequestBody.object(body, as: "Campaign")
            try Self.requireDocumentedFields(campaign)
            let id = UUID().uuidString.lowercased()
            let now = JSONValue.string(Self.timestamp())
            campaign["id"] = .string(id)
            campaign["version"] = 1
            campaign["dateCreated"] = now
            campaign["dateModified"] = now
            campaign["selfUri"] = .string("/api/v2/outbound/campaigns/\(id)")
            // Genesys creates campaigns off (docs/genesys-api.md, "Transitions").
            campaign["campaignStatus"] = .string(CampaignStatus.off)
            campaign["errors"] = []
            campaignOrder.append(id)
            campaigns[id] = StoredCampaign(document: campaign, contactsCalled: 0, totalContacts: 1_000)
            return .document(campaign, as: "Campaign")
        }
    }

    func replaceCampaign(_ id: String, body: [UInt8]) -> Reply {
        guard var stored = settled(id) else { return .notFound("campaign") }
        if stored.editsBeforeNextPuts > 0 {
            stored.editsBeforeNextPuts -= 1
            applyEdit(to: &stored)
        }
        campaigns[id] = stored
        return replying { () throws(ReplyError) -> Reply in
            var incoming = try RequestBody.object(body, as: "Campaign")
            guard let version = incoming["version"], !version.isNull else {
                throw ReplyError(
                    .badRequest("The version of the campaign is required for updates.", code: ErrorCode.invalidProperty)
                )
            }
            let current = stored.document
            guard let currentVersion = stored.version, version.intValue == currentVersion else {
                throw versionConflict()
            }
            guard let requested = incoming["campaignStatus"]?.stringValue else {
                throw ReplyError(
                    .badRequest(
                        "The campaignStatus of the campaign is required for updates.", code: ErrorCode.invalidProperty)
                )
            }
            try Self.requireDocumentedFields(incoming)
            func filtering(_ campaign: JSONObject) -> Bool {
                campaign["dynamicContactQueueingSettings"]?["filter"]?.boolValue ?? false
            }
            if filtering(incoming) != filtering(current) {
                throw ReplyError(
                    .invalidCampaignUpdate(
                        "Dynamic contact queueing filtering can only be set when the campaign is created")
                )
            }
            let status = try transition(stored, to: requested)
            incoming["id"] = .string(id)
            incoming["dateCreated"] = current["dateCreated"]
            incoming["dateModified"] = .string(Self.timestamp())
            incoming["version"] = JSONValue(currentVersion + 1)
            incoming["selfUri"] = current["selfUri"]
            incoming["errors"] = current["errors"]
            incoming["campaignStatus"] = .string(status)
            let previous = stored.status
            stored.document = incoming
            enterStopping(&stored, from: previous)
            campaigns[id] = stored
            settle(id)
            return .document(campaigns[id]!.document, as: "Campaign")
        }
    }

    /// An edit made on the server (a status change, another admin's edit): the version moves on, and
    /// `dateModified` is the time of the edit (`instant`, for edits applied lazily), else now.
    func applyEdit(to stored: inout StoredCampaign, at instant: ContinuousClock.Instant? = nil) {
        stored.document["version"] = JSONValue((stored.version ?? 0) + 1)
        stored.document["dateModified"] = .string(Self.timestamp(ago: instant.map { clock.now - $0 } ?? .zero))
    }

    private func versionConflict() -> ReplyError {
        let message =
            configuration.versionConflictStatus == 409
            ? "The version number of the modified resource must match the version number in the database."
            : "An attempt was made to update a Campaign in an invalid way. Details: The version supplied "
                + "does not match the current version of the campaign."
        return ReplyError(.error(configuration.versionConflictStatus, configuration.versionConflictCode, message))
    }

    private static func invalidTransition(from current: String, to requested: String, _ id: String) -> ReplyError {
        ReplyError(
            .invalidCampaignUpdate(
                "Invalid transition from <\(current.uppercased())> to <\(requested.uppercased())> (\(id))"))
    }

    /// The status a requested `campaignStatus` leads to, or why it is refused (docs/genesys-api.md, "Transitions").
    private func transition(_ campaign: StoredCampaign, to requested: String) throws(ReplyError) -> String {
        let current = campaign.status ?? CampaignStatus.off
        let id = campaign.document["id"]?.stringValue ?? ""
        if requested == current { return current }
        switch requested {
        case CampaignStatus.on:
            guard [CampaignStatus.off, CampaignStatus.complete, CampaignStatus.forcedOff].contains(current) else {
                throw Self.invalidTransition(from: current, to: requested, id)
            }
            if campaign.hasErrors, !configuration.allowOnWithErrors {
                throw ReplyError(.invalidCampaignUpdate("The campaign has errors and cannot be turned on (\(id))"))
            }
            if activeCampaignCount >= configuration.maxActiveCampaigns {
                throw ReplyError(
                    .badRequest(
                        "The limit for campaigns active at one time is \(configuration.maxActiveCampaigns). This includes "
                            + "campaigns in the ON, STOPPING, or FORCED_STOPPING states.",
                        code: ErrorCode.maxActiveCampaignsExceeded
                    ))
            }
            return CampaignStatus.on
        case CampaignStatus.off:
            switch current {
            case CampaignStatus.on:
                return CampaignStatus.stopping  // errors or not: the emergency stop must work
            case CampaignStatus.forcedOff where !configuration.refuseForcedOffToOff:
                return CampaignStatus.off
            case CampaignStatus.stopping, CampaignStatus.forcedStopping:
                return current  // already on its way off
            default:
                throw Self.invalidTransition(from: current, to: requested, id)
            }
        default:
            throw ReplyError(
                .invalidCampaignUpdate("A Campaign may only be turned 'on' or 'off', not '\(requested)' (\(id))"))
        }
    }

    func enterStopping(_ stored: inout StoredCampaign, from previous: String?) {
        if stored.status == CampaignStatus.stopping, previous != CampaignStatus.stopping {
            stored.stoppingSince = clock.now
            // Settled lazily on access; also when due, so that a subscribed socket hears of `off` on time.
            if let id = stored.document["id"]?.stringValue {
                let delay = configuration.stoppingDelay
                Task { [weak self] in
                    try? await Task.sleep(for: delay)
                    await self?.settleWhenDue(id)
                }
            }
        }
    }

    func settleWhenDue(_ id: String) { _ = settled(id) }

    func setSocketBaseURL(_ url: String) { socketBaseURL = url }

    /// `POST …/start` and `…/stop`: the same rules as a PUT of `on`/`off`, without a body or version.
    func setStatus(_ id: String, to requested: String) -> Reply {
        guard var stored = settled(id) else { return .notFound("campaign") }
        let current = stored.status
        return replying { () throws(ReplyError) -> Reply in
            if requested == CampaignStatus.off, current != CampaignStatus.on {
                // Stopping a campaign that is not running; one already stopping is on its way off.
                if CampaignStatus.isStopping(current) || configuration.stopWhenNotRunningStatus != 400 {
                    return .noContent
                }
                throw Self.invalidTransition(from: current ?? CampaignStatus.off, to: requested, id)
            }
            if requested == CampaignStatus.on, current == CampaignStatus.on { return .noContent }
            if requested == CampaignStatus.on, configuration.startDelay > .zero {
                // Checked now, carried out later: it reads `off` until then.
                _ = try transition(stored, to: requested)
                stored.startingSince = clock.now
                campaigns[id] = stored
                let delay = configuration.startDelay
                Task { [weak self] in
                    try? await Task.sleep(for: delay)
                    await self?.settleWhenDue(id)
                }
                return .noContent
            }
            stored.document["campaignStatus"] = .string(try transition(stored, to: requested))
            applyEdit(to: &stored)
            enterStopping(&stored, from: current)
            campaigns[id] = stored
            settle(id)
            return .noContent
        }
    }

    func patchCampaign(_ id: String, body: [UInt8]) -> Reply {
        guard var stored = settled(id) else { return .notFound("campaign") }
        return replying { () throws(ReplyError) -> Reply in
            let patch = try RequestBody.object(body, as: "CampaignPatchRequest")
            /// A member that is absent or `null` leaves the field as it is.
            func given(_ key: String) -> JSONValue? { patch[key].flatMap { $0.isNull ? nil : $0 } }
            if let queue = given("queue") {
                guard let queueID = queue["id"]?.stringValue, let known = queues[queueID] else {
                    throw ReplyError(.badRequest("The queue does not exist."))
                }
                stored.document["queue"] = [
                    "id": .string(queueID), "name": .string(known.name),
                    "selfUri": .string("/api/v2/routing/queues/\(queueID)"),
                ]
            }
            if let lines = given("outboundLineCount") { stored.document["outboundLineCount"] = lines }
            if let rate = given("abandonRate") { stored.document["abandonRate"] = rate }
            if let calls = given("maxCallsPerAgent") {
                // The patch carries a decimal; the integer field gets its whole part, the decimal one the value as sent.
                stored.document["maxCallsPerAgent"] = Self.wholePart(of: calls)
                stored.document["maxCallsPerAgentDecimal"] = calls
            }
            if let balancing = given("dynamicLineBalancingSettings") {
                stored.document["dynamicLineBalancingSettings"] = balancing
            }
            applyEdit(to: &stored)
            campaigns[id] = stored
            return .noContent
        }
    }

    private static func wholePart(of number: JSONValue) -> JSONValue {
        guard number.intValue == nil, let value = number.doubleValue, abs(value) < 9.0e15 else { return number }
        return JSONValue(Int(value.rounded(.towardZero)))
    }

    func deleteCampaign(_ id: String) -> Reply {
        guard let stored = settled(id) else { return .notFound("campaign") }
        if CampaignStatus.occupiesActiveSlot(stored.status) {
            return .badRequest("Cannot delete a campaign when it is running (\(id))")
        }
        let referrers = referrers(of: id)
        if !referrers.isEmpty {
            switch configuration.referencedCampaignDelete {
            case .refuse:
                return .error(
                    409, ErrorCode.referencedEntity,
                    "The campaign is referenced by \(referrers.joined(separator: ", ")) and cannot be deleted.")
            case .cascade: dropReferences(to: id)
            }
        }
        campaigns[id] = nil
        campaignOrder.removeAll { $0 == id }
        return .document(stored.document, as: "Campaign")
    }

    // MARK: Progress and stats

    private func progress(_ stored: StoredCampaign) -> JSONValue {
        var campaign = JSONObject()
        for field in ["id", "name", "selfUri"] { campaign[field] = stored.document[field] }
        var progress: JSONObject = ["campaign": .object(campaign)]
        progress["contactList"] = stored.document["contactList"]
        progress["numberOfContactsCalled"] = JSONValue(stored.contactsCalled)
        progress["numberOfContactsMessaged"] = 0
        progress["totalNumberOfContacts"] = JSONValue(stored.totalContacts)
        progress["percentage"] = JSONValue(
            stored.totalContacts > 0 ? stored.contactsCalled * 100 / stored.totalContacts : 0)
        progress["numberOfContactsSkipped"] = [:]
        return .object(progress)
    }

    func campaignProgress(_ id: String) -> Reply {
        guard let stored = settled(id) else { return .notFound("campaign") }
        return .document(progress(stored), as: "CampaignProgress")
    }

    func campaignsProgress(_ body: [UInt8]) -> Reply {
        replying { () throws(ReplyError) -> Reply in
            let value = try RequestBody.parse(body)
            guard let elements = value.arrayValue else {
                throw ReplyError(
                    .badRequest("The request body must be a list of campaign ids, not \(SDKSchema.describe(value))."))
            }
            var ids: [String] = []
            for (position, element) in elements.enumerated() {
                guard let id = element.stringValue else {
                    throw ReplyError(
                        .badRequest(
                            "The request body must be a list of campaign ids: [\(position)] is \(SDKSchema.describe(element))."
                        ))
                }
                ids.append(id)
            }
            let progresses = ids.compactMap { settled($0).map(progress) }
            return Reply(status: 200, body: .document(.array(progresses), .listOf("CampaignProgress")))
        }
    }

    /// `DELETE …/progress`: progress back to zero; a completed campaign is ready to dial again (`off`).
    func recycleCampaign(_ id: String) -> Reply {
        guard var stored = settled(id) else { return .notFound("campaign") }
        stored.contactsCalled = 0
        if stored.status == CampaignStatus.complete {
            stored.document["campaignStatus"] = .string(CampaignStatus.off)
            applyEdit(to: &stored)
        }
        campaigns[id] = stored
        return .noContent
    }

    func campaignStats(_ id: String) -> Reply {
        guard let stored = settled(id) else { return .notFound("campaign") }
        return .document(statsDocument(of: stored), as: "CampaignStats")
    }

    /// `CampaignStats` of a campaign: served by `GET …/stats` and pushed on `….stats`.
    func statsDocument(of stored: StoredCampaign) -> JSONObject {
        let idle = idleAgents(of: stored)
        let running = stored.status == CampaignStatus.on
        let lines = stored.document["outboundLineCount"]?.intValue ?? 0
        // The decimal field when the campaign has one: real orgs set fractional calls per agent.
        let perAgent =
            ["maxCallsPerAgentDecimal", "maxCallsPerAgent"].lazy.compactMap { stored.document[$0]?.doubleValue }
            .first { $0.isFinite } ?? 1
        let outstanding = running ? Int(max(0, min(Double(idle) * perAgent, Double(lines)))) : 0
        let attempts = stored.contactsCalled
        let stats: JSONObject = [
            "contactRate": [
                "attempts": JSONValue(attempts), "connects": JSONValue(Int((Double(attempts) * 0.32).rounded())),
                "connectRatio": attempts > 0 ? 0.32 : 0,
            ],
            "idleAgents": JSONValue(idle),
            "effectiveIdleAgents": JSONValue(idle),
            "adjustedCallsPerAgent": JSONNumber(perAgent).map(JSONValue.number) ?? 1,
            "outstandingCalls": JSONValue(outstanding),
            "scheduledCalls": 0,
            "timeZoneRescheduledCalls": 0,
            "filteredOutContactsCount": 0,
            "rightPartyContactsCount": JSONValue(stored.contactsCalled / 4),
            "validAttempts": JSONValue(stored.contactsCalled),
            "linesUtilization": [
                "assignedOutboundLines": JSONValue(running ? lines : 0),
                "totalAvailableOutboundLines": JSONValue(
                    running ? Self.runningAvailableOutboundLines : configuration.idleAvailableOutboundLines
                ),
            ],
        ]
        return stats
    }

    /// The idle agents of the campaign's queue.
    func idleAgents(of stored: StoredCampaign) -> Int {
        stored.id(of: "queue").flatMap { queues[$0] }.map(Self.idleAgents) ?? 0
    }

    /// After a change of queues: the stats of each campaign on a queue whose idle agents changed.
    private func publishStats(from before: [String: Queue]) {
        let changed = Set(queues.keys).union(before.keys).filter { id in
            queues[id].map(Self.idleAgents) != before[id].map(Self.idleAgents)
        }
        guard !changed.isEmpty else { return }
        publishStats(ofCampaignsOn: changed)
    }

    /// Agents who can take a dialer call now: joined, on queue and `IDLE`.
    private static func idleAgents(_ queue: Queue) -> Int {
        queue.members.filter { $0.joined && $0.routingStatus == RoutingStatuses.idle }.count
    }

    // MARK: Queues

    func listQueues(_ query: ListQuery) -> Reply {
        let entities = queueOrder.compactMap { queues[$0] }.map { queue -> JSONValue in
            [
                "id": .string(queue.id), "name": .string(queue.name),
                "selfUri": .string("/api/v2/routing/queues/\(queue.id)"),
            ]
        }
        // The SDK's QueueEntityListing is not in the generated schema.
        return .unchecked(.object(query.page(of: entities, path: "/api/v2/routing/queues")))
    }

    func queueMembers(_ queueID: String, _ query: ListQuery) -> Reply {
        guard let queue = queues[queueID] else { return .notFound("queue") }
        let members = queue.members.filter { member in
            (query.joined.map { $0 == member.joined } ?? true)
                && (query.routingStatuses.isEmpty || query.routingStatuses.contains(member.routingStatus))
                && (query.memberBy.map { $0 == "user" } ?? true)
                && (query.name.map { member.name.localizedCaseInsensitiveContains($0) } ?? true)
        }.map { member -> JSONValue in
            [
                "id": .string(member.id), "name": .string(member.name),
                "user": ["id": .string(member.id), "name": .string(member.name)],
                "ringNumber": 1, "joined": .bool(member.joined), "memberBy": "user",
                "routingStatus": [
                    "userId": .string(member.id), "status": .string(member.routingStatus),
                    "startTime": "2026-11-29T08:00:00.000Z",
                ],
                "selfUri": .string("/api/v2/users/\(member.id)"),
            ]
        }
        let page = query.page(of: members, path: "/api/v2/routing/queues/\(queueID)/members", withTotals: false)
        return .document(page, as: "QueueMemberEntityListing")
    }

    /// Replaces a queue's agents with generated ones in the given routing statuses.
    func setAgents(_ queueID: String, _ counts: [String: Int]) -> Reply {
        guard queues[queueID] != nil else { return .notFound("queue") }
        let number = (queueOrder.firstIndex(of: queueID) ?? 0) + 1
        queues[queueID]?.members = EmulatorSeed.agentRoster(queue: number, counts)
        return .noContent
    }

    func queueObservations(_ body: [UInt8]) -> Reply {
        replying { () throws(ReplyError) -> Reply in
            let query = try RequestBody.object(body, as: "QueueObservationQuery")
            // Optional in the SDK's model, required by the service.
            guard let filter = query["filter"]?.objectValue else {
                throw ReplyError(
                    .invalidBody([SchemaViolation(path: "filter", reason: "required")], model: "QueueObservationQuery"))
            }
            guard let metrics = query["metrics"]?.arrayValue else {
                throw ReplyError(
                    .invalidBody([SchemaViolation(path: "metrics", reason: "required")], model: "QueueObservationQuery")
                )
            }
            let results = Self.queueIDs(in: filter).compactMap { queues[$0] }.map { queue -> JSONValue in
                var data: [JSONValue] = []
                func datum(_ metric: String, _ qualifier: String?, _ count: Int) {
                    var datum: JSONObject = ["metric": .string(metric)]
                    if let qualifier { datum["qualifier"] = .string(qualifier) }
                    datum["stats"] = ["count": JSONValue(count)]
                    data.append(.object(datum))
                }
                let joined = queue.members.filter(\.joined)
                let onQueue = joined.filter { $0.routingStatus != RoutingStatuses.offQueue }
                for metric in metrics.compactMap(\.stringValue) {
                    switch metric {
                    case "oOnQueueUsers":
                        for status in RoutingStatuses.known where status != RoutingStatuses.offQueue {
                            let count = onQueue.filter { $0.routingStatus == status }.count
                            if count > 0 { datum(metric, status, count) }
                        }
                    case "oOffQueueUsers": datum(metric, nil, joined.count - onQueue.count)
                    case "oMemberUsers": datum(metric, nil, queue.members.count)
                    case "oActiveUsers": datum(metric, nil, joined.count)
                    default: break
                    }
                }
                return ["group": ["queueId": .string(queue.id)], "data": .array(data)]
            }
            let response: JSONObject = ["results": .array(results)]
            return .document(response, as: "QueueObservationQueryResponse")
        }
    }

    /// The queues a filter names: its `queueId` predicates and those of its clauses.
    private static func queueIDs(in filter: JSONObject) -> [String] {
        let own = (filter["predicates"]?.arrayValue ?? []).filter { $0["dimension"] == "queueId" }
            .compactMap { $0["value"]?.stringValue }
        return own + (filter["clauses"]?.arrayValue ?? []).compactMap(\.objectValue).flatMap(queueIDs(in:))
    }

    // MARK: Test control

    func bump(_ id: String, beforeNextPuts: Int?) -> Reply {
        guard var stored = settled(id) else { return .notFound("campaign") }
        if let beforeNextPuts {
            stored.editsBeforeNextPuts = beforeNextPuts
        } else {
            applyEdit(to: &stored)
        }
        campaigns[id] = stored
        return .document(stored.document, as: "Campaign")
    }

    /// Server-side changes no client can make: a campaign completing, becoming invalid, forced off.
    func overrideState(_ id: String, _ change: StateOverride) -> Reply {
        guard var stored = settled(id) else { return .notFound("campaign") }
        if let status = change.campaignStatus {
            let previous = stored.status
            stored.document["campaignStatus"] = .string(status)
            stored.stoppingSince = nil
            if CampaignStatus.isStopping(status), previous != status { stored.stoppingSince = clock.now }
        }
        if let errors = change.errors { stored.document["errors"] = errors }
        if let called = change.contactsCalled { stored.contactsCalled = called }
        if let total = change.totalContacts { stored.totalContacts = total }
        applyEdit(to: &stored)
        campaigns[id] = stored
        return .document(stored.document, as: "Campaign")
    }

    /// Stores `document` as the campaign `id`, exactly as given except for its `id`: a test can serve
    /// any shape the SDK's model allows. Progress and pending edits of a replaced campaign are kept.
    func putCampaign(_ id: String, _ document: JSONObject) -> Reply {
        var document = document
        document["id"] = .string(id)
        var stored = campaigns[id] ?? StoredCampaign(document: document, contactsCalled: 0, totalContacts: 1_000)
        if campaigns[id] == nil { campaignOrder.append(id) }
        stored.document = document
        stored.stoppingSince = CampaignStatus.isStopping(stored.status) ? clock.now : nil
        campaigns[id] = stored
        return .document(document, as: "Campaign")
    }

    // MARK: Validation

    /// The fields Genesys requires (docs/genesys-api.md, "Required fields"), by dialing mode.
    private static func requireDocumentedFields(_ campaign: JSONObject) throws(ReplyError) {
        func present(_ field: String) -> Bool { campaign[field].map { !$0.isNull } ?? false }
        func referenced(_ field: String) -> Bool { campaign[field]?["id"]?.stringValue != nil }
        var missing: [String] = []
        if campaign["name"]?.stringValue?.isEmpty ?? true { missing.append("name") }
        if !referenced("contactList") { missing.append("contactList") }
        if !present("dialingMode") { missing.append("dialingMode") }
        if campaign["phoneColumns"]?.arrayValue?.isEmpty ?? true { missing.append("phoneColumns") }
        if !present("callerName") { missing.append("callerName") }
        if !present("callerAddress") { missing.append("callerAddress") }
        let mode = campaign["dialingMode"]?.stringValue
        if mode != "agentless", !referenced("queue") { missing.append("queue") }
        if mode != "agentless", !referenced("script") { missing.append("script") }
        if mode != "preview", !referenced("edgeGroup"), !referenced("site") { missing.append("edgeGroup") }
        if mode == "agentless", !present("outboundLineCount") { missing.append("outboundLineCount") }
        guard let field = missing.first else { return }
        throw ReplyError(.badRequest("The campaign field '\(field)' is required.", code: ErrorCode.invalidProperty))
    }

    /// Now, or `ago` before now, as Genesys writes times (`2026-11-29T08:00:00.123Z`).
    static func timestamp(ago: Duration = .zero) -> String {
        let seconds = Double(ago.components.seconds) + Double(ago.components.attoseconds) / 1e18
        return Date.now.addingTimeInterval(-seconds).formatted(
            Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// A change `POST /emulator/v1/campaigns/{id}/state` applies as if the server made it.
struct StateOverride {
    var campaignStatus: String?
    /// Any list the SDK's `Campaign.errors` allows.
    var errors: JSONValue?
    var contactsCalled: Int?
    var totalContacts: Int?

    /// `{"campaignStatus","errors","contactsCalled","totalContacts"}`, each optional; `null` is "unchanged".
    init(parsing bytes: [UInt8]) throws(ReplyError) {
        var document = try ControlDocument(bytes)
        // The campaign's own fields are checked as the SDK's Campaign would read them.
        var campaignFields = JSONObject()
        campaignFields["campaignStatus"] = document.given("campaignStatus")
        campaignFields["errors"] = document.given("errors")
        document.include(SDKSchema.shared.validate(.object(campaignFields), as: "Campaign"))
        contactsCalled = document.count("contactsCalled")
        totalContacts = document.count("totalContacts")
        try document.check()
        campaignStatus = campaignFields["campaignStatus"]?.stringValue
        errors = campaignFields["errors"]
    }
}

/// One line of `GET /emulator/v1/requests`.
public struct LoggedRequest: Codable, Sendable, Equatable {
    public var method: String
    public var path: String
    public var query: String?
    public var status: Int
    public var correlationId: String
    public var time: String

    var jsonValue: JSONValue {
        var entry: JSONObject = ["method": .string(method), "path": .string(path)]
        if let query { entry["query"] = .string(query) }
        entry["status"] = JSONValue(status)
        entry["correlationId"] = .string(correlationId)
        entry["time"] = .string(time)
        return .object(entry)
    }
}

/// A small seeded generator (SplitMix64): the same seed draws the same faults.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
