import Foundation
import JSONDocument

/// What else drives a campaign, stored as the documents given: schedules (by campaign id), campaign rules,
/// sequences, callable time sets, contact lists and DNC lists. Tests seed them through the control API
/// (`PUT /emulator/v1/{kind}/{id}`), checked against the SDK model of their kind.
struct DriverStore {
    enum Kind: String, CaseIterable {
        case schedules, campaignRules = "campaignrules", sequences, callableTimeSets = "callabletimesets"
        case contactLists = "contactlists", dncLists = "dnclists", sequenceSchedules = "sequenceschedules"
        case events

        var model: String {
            switch self {
            case .schedules: "CampaignSchedule"
            case .sequenceSchedules: "SequenceSchedule"
            case .events: "EventLog"
            case .campaignRules: "CampaignRule"
            case .sequences: "CampaignSequence"
            case .callableTimeSets: "CallableTimeSet"
            case .contactLists: "ContactList"
            case .dncLists: "DncList"
            }
        }

        var listing: String? {
            switch self {
            case .campaignRules: "CampaignRuleEntityListing"
            case .sequences: "CampaignSequenceEntityListing"
            case .contactLists: "ContactListEntityListing"
            case .events: "DialerEventEntityListing"
            default: nil
            }
        }

        var path: String {
            switch self {
            case .schedules: "/api/v2/outbound/schedules/campaigns"
            case .sequenceSchedules: "/api/v2/outbound/schedules/sequences"
            default: "/api/v2/outbound/\(rawValue)"
            }
        }

        /// Written through the API (`PUT`), not only through the control API.
        var isWritable: Bool {
            [.schedules, .sequenceSchedules, .campaignRules, .sequences, .contactLists].contains(self)
        }
        /// A schedule: created by its first `PUT`, and listed as a bare array.
        var isSchedule: Bool { self == .schedules || self == .sequenceSchedules }
    }

    private var documents: [Kind: [String: JSONObject]] = [:]
    private var order: [Kind: [String]] = [:]
    /// The schedule windows already acted on, by `scheduleID#interval`: each start and end acts once.
    var startedWindows: Set<String> = []
    var endedWindows: Set<String> = []
    /// The rules whose conditions hold, by `ruleID#campaignID`: a rule fires when they come to hold.
    var heldConditions: Set<String> = []

    subscript(kind: Kind, id: String) -> JSONObject? {
        get { documents[kind]?[id] }
        set {
            if newValue != nil, documents[kind]?[id] == nil { order[kind, default: []].append(id) }
            if newValue == nil { order[kind]?.removeAll { $0 == id } }
            documents[kind, default: [:]][id] = newValue
        }
    }

    func all(_ kind: Kind) -> [JSONObject] {
        (order[kind] ?? []).compactMap { documents[kind]?[$0] }
    }
}

/// One change of a campaign's status, as the platform audit reports it.
struct StatusChange {
    var campaignID: String
    var from: String?
    var to: String
    var date: Date
    /// `USER` (through the API, with the OAuth client) or `SYSTEM` (a schedule, rule or sequence).
    var level: String
    var clientID: String?
    /// What acted, for SYSTEM changes: `schedule`, `campaignRule`, `sequence`.
    var initiator: String?
}

extension EmulatorOrg {
    /// The emulator's wall clock: the machine's, moved on by `POST /emulator/v1/clock`.
    var now: Date { Date().addingTimeInterval(wallOffset) }

    // MARK: Control

    func putDriver(_ kind: DriverStore.Kind, _ id: String, _ body: [UInt8]) -> Reply {
        replying { () throws(ReplyError) -> Reply in
            var document = try RequestBody.object(body, as: kind.model)
            document["id"] = .string(id)
            if kind == .events {
                if document["timestamp"] == nil { document["timestamp"] = .string(Self.timestamp(now)) }
            } else if document["version"] == nil {
                document["version"] = 1
            }
            drivers[kind, id] = document
            if kind == .contactLists || kind == .dncLists, document["importStatus"]?["state"]?.stringValue == "FAILED" {
                recordEvent(
                    level: "ERROR", category: kind == .dncLists ? "DNC_LIST" : "IMPORT_ERROR",
                    message: "The import of '\(document["name"]?.stringValue ?? id)' failed: "
                        + (document["importStatus"]?["failureReason"]?.stringValue ?? "no reason given"),
                    errorEntity: ["id": .string(id), "name": document["name"] ?? .string(id)])
            }
            return .document(document, as: kind.model)
        }
    }

    /// The longest move of the clock in one request: a month.
    static let longestClockMove: TimeInterval = 31 * 86_400

    /// Moves the wall clock on a minute at a time, letting what is due happen at each (schedule windows,
    /// rules, sequences) and the campaigns that can dial call their contacts (``dial(for:)``).
    func advanceClock(by seconds: TimeInterval) -> Reply {
        guard (0...Self.longestClockMove).contains(seconds) else {
            return .badRequest("\"advanceSeconds\" is 0 to \(Int(Self.longestClockMove))")
        }
        var left = seconds
        while left > 0 {
            let step = min(60, left)
            wallOffset += step
            left -= step
            actOnDrivers()
            dial(for: step)
        }
        actOnDrivers()
        return .noContent
    }

    /// `on` campaigns that can dial now call `callsPerMinute` contacts a minute; one that has called every
    /// contact is `complete`.
    private func dial(for seconds: TimeInterval) {
        let calls = Int((Double(configuration.callsPerMinute) * seconds / 60).rounded())
        for id in campaignOrder {
            guard var stored = settled(id), stored.status == CampaignStatus.on, calls > 0, canDial(stored) else {
                continue
            }
            stored.contactsCalled = min(stored.totalContacts, stored.contactsCalled + calls)
            if stored.contactsCalled >= stored.totalContacts {
                stored.document["campaignStatus"] = .string(CampaignStatus.complete)
                applyEdit(to: &stored)
                statusChanges.append(
                    StatusChange(
                        campaignID: id, from: CampaignStatus.on, to: CampaignStatus.complete, date: now,
                        level: "SYSTEM", clientID: nil, initiator: "dialer"))
            }
            campaigns[id] = stored
        }
    }

    /// In its callable hours, its contact list neither importing, failed nor empty, and an idle agent on
    /// its queue unless it is agentless.
    private func canDial(_ stored: StoredCampaign) -> Bool {
        if let setID = stored.id(of: "callableTimeSet"), let set = drivers[.callableTimeSets, setID],
            !Self.isCallable(set, at: now)
        {
            return false
        }
        if let listID = stored.id(of: "contactList"), let list = drivers[.contactLists, listID] {
            let state = list["importStatus"]?["state"]?.stringValue
            if state == "IN_PROGRESS" || state == "FAILED" || list["size"]?.intValue == 0 { return false }
        }
        if stored.document["dialingMode"]?.stringValue != "agentless", idleAgents(of: stored) == 0 { return false }
        return true
    }

    /// Whether `date` is in one of the set's time slots (`day` 1 = Monday, `HH:mm[:ss]` in the zone of its
    /// `CallableTime`).
    static func isCallable(_ set: JSONObject, at date: Date) -> Bool {
        for callable in set["callableTimes"]?.arrayValue ?? [] {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: callable["timeZoneId"]?.stringValue ?? "UTC") ?? .gmt
            let parts = calendar.dateComponents([.weekday, .hour, .minute, .second], from: date)
            let weekday = ((parts.weekday ?? 1) + 5) % 7 + 1
            let seconds = (parts.hour ?? 0) * 3600 + (parts.minute ?? 0) * 60 + (parts.second ?? 0)
            for slot in callable["timeSlots"]?.arrayValue ?? [] where slot["day"]?.intValue == weekday {
                guard let start = slot["startTime"]?.stringValue.flatMap(secondsOfDay),
                    let stop = slot["stopTime"]?.stringValue.flatMap(secondsOfDay)
                else { continue }
                if start <= seconds, seconds < stop { return true }
            }
        }
        return false
    }

    private static func secondsOfDay(_ time: String) -> Int? {
        let parts = time.split(separator: ":").map { Int($0) }
        guard (2...3).contains(parts.count), !parts.contains(nil) else { return nil }
        return parts[0]! * 3600 + parts[1]! * 60 + (parts.count == 3 ? parts[2]! : 0)
    }

    // MARK: API

    func listSchedules(_ kind: DriverStore.Kind) -> Reply {
        return Reply(
            status: 200, body: .document(.array(drivers.all(kind).map(JSONValue.object)), .listOf(kind.model)))
    }

    /// `GET /api/v2/outbound/campaigns/{id}/diagnostics`: what the emulator knows of why it dials as it does.
    func diagnostics(_ id: String) -> Reply {
        guard let stored = settled(id) else { return .notFound("campaign") }
        let idle = idleAgents(of: stored)
        var callable: JSONObject = [:]
        for field in ["callableTimeSet", "dncLists", "ruleSets"] { callable[field] = stored.document[field] }
        var diagnostics: JSONObject = [
            "callableContacts": .object(callable),
            "outstandingInteractionsCount": 0, "scheduledInteractionsCount": 0, "timeZoneRescheduledCallsCount": 0,
            "idleAgents": JSONValue(idle), "effectiveIdleAgents": JSONValue(idle),
            "numberOfContactsCalled": JSONValue(stored.contactsCalled),
            "totalNumberOfContacts": JSONValue(stored.totalContacts),
            // The campaign's own `errors` are `RestErrorDetail`s too.
            "campaignErrors": stored.document["errors"] ?? .array([]),
        ]
        if let queue = stored.document["queue"] {
            diagnostics["queueUtilizationDiagnostic"] = ["queue": queue, "usersNotUtilized": JSONValue(idle)]
        }
        return .document(diagnostics, as: "CampaignDiagnostics")
    }

    /// `GET /api/v2/outbound/events`: newest first, filtered by `level` and `category` when given.
    func listEvents(_ query: ListQuery, parameters: [(String, String)]) -> Reply {
        let wanted = { (name: String) in parameters.first { $0.0 == name }?.1 }
        let entities = drivers.all(.events).filter { event in
            (wanted("level").map { event["level"]?.stringValue == $0 } ?? true)
                && (wanted("category").map { event["category"]?.stringValue == $0 } ?? true)
        }.sorted { ($0["timestamp"]?.stringValue ?? "") > ($1["timestamp"]?.stringValue ?? "") }
        return .document(
            query.page(of: entities.map(JSONValue.object), path: DriverStore.Kind.events.path),
            as: "DialerEventEntityListing")
    }

    /// A dialer event, as `GET /api/v2/outbound/events` lists it.
    func recordEvent(level: String, category: String, message: String, errorEntity: JSONValue) {
        let id = UUID().uuidString.lowercased()
        drivers[.events, id] = [
            "id": .string(id), "name": .string(category), "level": .string(level), "category": .string(category),
            "timestamp": .string(Self.timestamp(now)), "errorEntity": errorEntity, "relatedEntity": errorEntity,
            "eventMessage": ["code": .string(category), "message": .string(message)],
            "selfUri": .string("/api/v2/outbound/events/\(id)"),
        ]
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    func getDriver(_ kind: DriverStore.Kind, _ id: String, query: [(String, String)] = []) -> Reply {
        if kind == .contactLists { return contactList(id, query: query) }
        if kind == .dncLists { return dncList(id, query: query) }
        guard let document = drivers[kind, id] else { return .notFound(kind.model) }
        return .document(document, as: kind.model)
    }

    func listDrivers(_ kind: DriverStore.Kind, _ query: ListQuery, parameters: [(String, String)] = []) -> Reply {
        var entities = drivers.all(kind).map(JSONValue.object)
        if kind == .contactLists {
            // By id: the stored lists and those the campaigns name, as GET by id serves them.
            let ids =
                query.ids.isEmpty
                ? Array(Set(campaigns.values.compactMap { $0.id(of: "contactList") })).sorted() : query.ids
            entities = ids.compactMap { id in
                if case .document(let value, _) = contactList(id, query: parameters).body { return value }
                return nil
            }
        }
        return .document(query.page(of: entities, path: kind.path), as: kind.listing ?? kind.model)
    }

    /// `PUT` of a schedule (creates it: the API has no POST), a rule or a sequence; the version must match
    /// the stored one, as for campaigns.
    func replaceDriver(_ kind: DriverStore.Kind, _ id: String, _ body: [UInt8]) -> Reply {
        replying { () throws(ReplyError) -> Reply in
            var document = try RequestBody.object(body, as: kind.model)
            let stored = drivers[kind, id]
            if let stored {
                guard document["version"]?.intValue == stored["version"]?.intValue else {
                    throw ReplyError(.error(409, "general.conflict", "The version supplied does not match."))
                }
            } else if !kind.isSchedule {
                return .notFound(kind.model)
            }
            document["id"] = .string(id)
            document["version"] = JSONValue((stored?["version"]?.intValue ?? 0) + 1)
            drivers[kind, id] = document
            return .document(document, as: kind.model)
        }
    }

    func deleteDriver(_ kind: DriverStore.Kind, _ id: String) -> Reply {
        guard drivers[kind, id] != nil else { return .notFound(kind.model) }
        drivers[kind, id] = nil
        return .noContent
    }

    /// `ImportStatus` of a contact or DNC list; 404 for a list with no import on record (a guess:
    /// docs/genesys-api.md, "What else drives a campaign").
    func importStatus(_ kind: DriverStore.Kind, _ id: String) -> Reply {
        guard let status = drivers[kind, id]?["importStatus"], status.objectValue != nil else {
            return .notFound("import status")
        }
        return .document(status, as: "ImportStatus")
    }

    /// A contact list as stored, or, for one a campaign names but no test stored, a list the size of that
    /// campaign's contacts. `size` and `importStatus` only when asked for, as the API does.
    private func contactList(_ id: String, query: [(String, String)]) -> Reply {
        var document: JSONObject
        if let stored = drivers[.contactLists, id] {
            document = stored
        } else if let campaign = campaignOrder.lazy.compactMap({ self.campaigns[$0] }).first(where: {
            $0.id(of: "contactList") == id
        }) {
            document = [
                "id": .string(id), "name": campaign.document["contactList"]?["name"] ?? .string(id), "version": 1,
                "columnNames": ["Cell", "Home"], "phoneColumns": [["columnName": "Cell", "type": "cell"]],
                "size": JSONValue(campaign.totalContacts),
            ]
        } else {
            return .notFound("contact list")
        }
        let asked = { (flag: String) in query.contains { $0.0 == flag && $0.1 == "true" } }
        if !asked("includeSize") { document["size"] = nil }
        if !asked("includeImportStatus") { document["importStatus"] = nil }
        document["selfUri"] = .string("/api/v2/outbound/contactlists/\(id)")
        return .document(document, as: "ContactList")
    }

    /// A DNC list as stored, or, for one a campaign names but no test stored, an internal list never
    /// imported. `importStatus` only when asked for.
    private func dncList(_ id: String, query: [(String, String)]) -> Reply {
        var document: JSONObject
        if let stored = drivers[.dncLists, id] {
            document = stored
        } else if let named = campaignOrder.lazy.compactMap({ self.campaigns[$0]?.document["dncLists"]?.arrayValue })
            .joined().first(where: { $0["id"]?.stringValue == id })
        {
            document = [
                "id": .string(id), "name": named["name"] ?? .string(id), "version": 1, "dncSourceType": "rds",
                "contactMethod": "Phone",
            ]
        } else {
            return .notFound("DNC list")
        }
        if !query.contains(where: { $0.0 == "includeImportStatus" && $0.1 == "true" }) {
            document["importStatus"] = nil
        }
        document["selfUri"] = .string("/api/v2/outbound/dnclists/\(id)")
        return .document(document, as: "DncList")
    }

    /// What names the campaign: its schedule, rules and sequences, as `kind id`.
    func referrers(of campaignID: String) -> [String] {
        var found: [String] = []
        if drivers[.schedules, campaignID] != nil { found.append("schedule \(campaignID)") }
        for kind in [DriverStore.Kind.campaignRules, .sequences] {
            for document in drivers.all(kind) where Self.names(campaignID, .object(document)) {
                found.append("\(kind.model) \(document["id"]?.stringValue ?? "?")")
            }
        }
        return found
    }

    /// A cascading delete: the schedule goes, rules and sequences lose the campaign from their lists.
    func dropReferences(to campaignID: String) {
        drivers[.schedules, campaignID] = nil
        for kind in [DriverStore.Kind.campaignRules, .sequences] {
            for document in drivers.all(kind) where Self.names(campaignID, .object(document)) {
                guard let id = document["id"]?.stringValue,
                    var trimmed = Self.removing(campaignID, from: .object(document)).objectValue
                else { continue }
                trimmed["version"] = JSONValue((document["version"]?.intValue ?? 0) + 1)
                drivers[kind, id] = trimmed
            }
        }
    }

    /// Whether an element `{"id": campaignID}` is in a list anywhere in `value`.
    static func names(_ campaignID: String, _ value: JSONValue) -> Bool {
        switch value {
        case .object(let object): object.members.contains { names(campaignID, $0.value) }
        case .array(let elements):
            elements.contains { $0["id"]?.stringValue == campaignID || names(campaignID, $0) }
        default: false
        }
    }

    static func removing(_ campaignID: String, from value: JSONValue) -> JSONValue {
        switch value {
        case .object(var object):
            for member in object.members { object[member.key] = removing(campaignID, from: member.value) }
            return .object(object)
        case .array(let elements):
            return .array(
                elements.filter { $0["id"]?.stringValue != campaignID }.map { removing(campaignID, from: $0) })
        default: return value
        }
    }

    // MARK: What drives the campaigns

    /// Applies what is due at `now`, lazily before each API request as `stopping → off` is: a schedule turns
    /// its campaign on when a window starts and off when it ends (each once, and only if it is not already
    /// so: "if the campaign is already started at the scheduled start time, the schedule will do nothing");
    /// a running sequence whose current campaign is complete starts the next; rules fire (``fireRules``).
    func actOnDrivers() {
        for schedule in drivers.all(.schedules) {
            guard let campaignID = schedule["campaign"]?["id"]?.stringValue ?? schedule["id"]?.stringValue else {
                continue
            }
            actOnWindows(of: schedule) { opens in
                self.systemSets(campaignID, to: opens ? CampaignStatus.on : CampaignStatus.off, by: "schedule")
            }
        }
        // A sequence schedule turns its sequence on (which starts its current campaign) and off (which stops it).
        for schedule in drivers.all(.sequenceSchedules) {
            guard let sequenceID = schedule["sequence"]?["id"]?.stringValue ?? schedule["id"]?.stringValue else {
                continue
            }
            actOnWindows(of: schedule) { opens in self.setSequence(sequenceID, on: opens, by: "schedule") }
        }
        for var sequence in drivers.all(.sequences) where sequence["status"]?.stringValue == CampaignStatus.on {
            let members = (sequence["campaigns"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
            let current = sequence["currentCampaign"]?.intValue ?? 0
            guard members.indices.contains(current), settled(members[current])?.status == CampaignStatus.complete
            else { continue }
            let next = current + 1
            if members.indices.contains(next) || sequence["repeat"]?.boolValue == true {
                let index = members.indices.contains(next) ? next : 0
                sequence["currentCampaign"] = JSONValue(index)
                systemSets(members[index], to: CampaignStatus.on, by: "sequence")
            } else {
                sequence["status"] = .string(CampaignStatus.complete)
            }
            if let id = sequence["id"]?.stringValue { drivers[.sequences, id] = sequence }
        }
        fireRules()
    }

    /// Calls `act(true)` when one of the schedule's windows has started and `act(false)` when it has ended,
    /// each once per window. Recurrences are kept but not acted on (docs/genesys-api.md).
    private func actOnWindows(of schedule: JSONObject, _ act: (_ opens: Bool) -> Void) {
        let now = self.now
        let zone = schedule["timeZone"]?.stringValue ?? "UTC"
        for (index, interval) in (schedule["intervals"]?.arrayValue ?? []).enumerated() {
            guard let start = interval["start"]?.stringValue.flatMap({ Self.instant($0, zone) }),
                let end = interval["end"]?.stringValue.flatMap({ Self.instant($0, zone) })
            else { continue }
            let key = "\(schedule["id"]?.stringValue ?? "?")#\(index)"
            if now >= start, now < end, drivers.startedWindows.insert(key).inserted { act(true) }
            if now >= end, drivers.endedWindows.insert(key).inserted {
                drivers.startedWindows.insert(key)
                act(false)
            }
        }
    }

    /// Turns a sequence on (starting its current campaign) or off (stopping it), as a schedule or rule does.
    private func setSequence(_ sequenceID: String, on: Bool, by initiator: String) {
        guard var sequence = drivers[.sequences, sequenceID] else { return }
        let status = sequence["status"]?.stringValue
        guard on ? status == CampaignStatus.off : status == CampaignStatus.on else { return }
        sequence["status"] = .string(on ? CampaignStatus.on : CampaignStatus.off)
        sequence["version"] = JSONValue((sequence["version"]?.intValue ?? 0) + 1)
        drivers[.sequences, sequenceID] = sequence
        let members = (sequence["campaigns"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
        let current = sequence["currentCampaign"]?.intValue ?? 0
        if members.indices.contains(current) {
            systemSets(members[current], to: on ? CampaignStatus.on : CampaignStatus.off, by: "sequence")
        }
    }

    /// Each enabled rule whose `campaignProgress` conditions came to hold for a triggering campaign since
    /// the last request fires its actions once (turn on, turn off, recycle), as Genesys's rule engine would
    /// on its next evaluation. Other condition types are not evaluated: a rule with none it can read never
    /// fires.
    func fireRules() {
        for rule in drivers.all(.campaignRules) where rule["enabled"]?.boolValue == true {
            let conditions = (rule["campaignRuleConditions"]?.arrayValue ?? []).filter {
                $0["conditionType"]?.stringValue == "campaignProgress"
            }
            guard !conditions.isEmpty else { continue }
            let anyCondition = rule["matchAnyConditions"]?.boolValue == true
            let triggering = (rule["campaignRuleEntities"]?["campaigns"]?.arrayValue ?? []).compactMap {
                $0["id"]?.stringValue
            }
            for campaignID in triggering {
                guard let stored = settled(campaignID), stored.totalContacts > 0 else { continue }
                let progress = Double(stored.contactsCalled) * 100 / Double(stored.totalContacts)
                let results = conditions.map { Self.holds($0["parameters"], progress) }
                let holds = anyCondition ? results.contains(true) : !results.contains(false)
                let key = "\(rule["id"]?.stringValue ?? "")#\(campaignID)"
                guard holds else {
                    drivers.heldConditions.remove(key)
                    continue
                }
                guard drivers.heldConditions.insert(key).inserted else { continue }
                for action in rule["campaignRuleActions"]?.arrayValue ?? [] {
                    let entities = action["campaignRuleActionEntities"]
                    var targets = (entities?["campaigns"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
                    if entities?["useTriggeringEntity"]?.boolValue == true { targets.append(campaignID) }
                    for target in targets {
                        switch action["actionType"]?.stringValue {
                        case "turnOnCampaign": systemSets(target, to: CampaignStatus.on, by: "campaignRule")
                        case "turnOffCampaign": systemSets(target, to: CampaignStatus.off, by: "campaignRule")
                        case "recycleCampaign": campaigns[target]?.contactsCalled = 0
                        default: break
                        }
                    }
                    for sequence in (entities?["sequences"]?.arrayValue ?? []).compactMap({ $0["id"]?.stringValue }) {
                        switch action["actionType"]?.stringValue {
                        case "turnOnSequence": setSequence(sequence, on: true, by: "campaignRule")
                        case "turnOffSequence": setSequence(sequence, on: false, by: "campaignRule")
                        default: break
                        }
                    }
                }
            }
        }
    }

    /// Whether progress `value` (a percentage) meets a condition's `operator` and `value`.
    static func holds(_ parameters: JSONValue?, _ value: Double) -> Bool {
        guard let limit = parameters?["value"]?.stringValue.flatMap(Double.init) else { return false }
        switch parameters?["operator"]?.stringValue {
        case "equals": return value == limit
        case "greaterThan": return value > limit
        case "greaterThanEqualTo": return value >= limit
        case "lessThan": return value < limit
        case "lessThanEqualTo": return value <= limit
        default: return false
        }
    }

    /// A status change the org makes itself; recorded as a `SYSTEM` change.
    private func systemSets(_ campaignID: String, to status: String, by initiator: String) {
        guard var stored = settled(campaignID) else { return }
        let previous = stored.status
        if status == CampaignStatus.on, previous != CampaignStatus.off { return }
        if status == CampaignStatus.off, previous != CampaignStatus.on { return }
        let reached = status == CampaignStatus.off ? CampaignStatus.stopping : status
        stored.document["campaignStatus"] = .string(reached)
        applyEdit(to: &stored)
        enterStopping(&stored, from: previous)
        campaigns[campaignID] = stored
        statusChanges.append(
            StatusChange(
                campaignID: campaignID, from: previous, to: reached, date: now, level: "SYSTEM", clientID: nil,
                initiator: initiator))
        recordEvent(
            level: "INFO",
            category: ["schedule": "SCHEDULE", "campaignRule": "CAMPAIGN_RULE"][initiator] ?? "CAMPAIGN",
            message: "The \(initiator) set the campaign \(reached)",
            errorEntity: ["id": .string(campaignID), "name": stored.document["name"] ?? .string(campaignID)])
    }

    /// A status change made through the API, by the OAuth client of the request.
    func recordUserChange(_ campaignID: String, from previous: String?) {
        guard let status = campaigns[campaignID]?.status, status != previous else { return }
        statusChanges.append(
            StatusChange(
                campaignID: campaignID, from: previous, to: status, date: now, level: "USER",
                clientID: configuration.clientID, initiator: nil))
    }

    func status(of campaignID: String) -> String? { settled(campaignID)?.status }

    /// `POST /api/v2/audits/query/realtime`: the status changes of the campaign an `EntityId` filter names
    /// (all campaigns without one), newest first, as `AuditLogMessage`s of service `Outbound`.
    func auditQuery(_ body: [UInt8]) -> Reply {
        replying { () throws(ReplyError) -> Reply in
            let query = try RequestBody.object(body, as: "AuditRealtimeQueryRequest")
            let filters = query["filters"]?.arrayValue ?? []
            let entity = filters.first { $0["property"]?.stringValue == "EntityId" }?["value"]?.stringValue
            let changes = statusChanges.filter { entity == nil || $0.campaignID == entity }.reversed()
            let entities: [JSONValue] = changes.enumerated().map { index, change in
                var message: JSONObject = [
                    "id": .string("audit-\(index)-\(change.campaignID)"),
                    "eventDate": .string(Self.timestamp(change.date)),
                    "serviceName": "Outbound", "level": .string(change.level), "status": "SUCCESS",
                    "action": "Update", "entityType": "Campaign", "entity": ["id": .string(change.campaignID)],
                    "propertyChanges": [
                        [
                            "property": "campaignStatus", "oldValues": .array(change.from.map { [.string($0)] } ?? []),
                            "newValues": [.string(change.to)],
                        ]
                    ],
                ]
                if let client = change.clientID { message["client"] = ["id": .string(client)] }
                if let initiator = change.initiator { message["context"] = ["initiator": .string(initiator)] }
                return .object(message)
            }
            let results: JSONObject = [
                "entities": .array(entities), "pageSize": JSONValue(max(entities.count, 25)), "pageNumber": 1,
                "total": JSONValue(entities.count), "pageCount": 1,
            ]
            return .document(results, as: "AuditRealtimeQueryResultsResponse")
        }
    }

    /// `text` as an instant: with a zone as written, else in `zone`.
    static func instant(_ text: String, _ zone: String) -> Date? {
        let zoned = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime],
        ] {
            zoned.formatOptions = options
            if let date = zoned.date(from: text) { return date }
        }
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_US_POSIX")
        local.timeZone = TimeZone(identifier: zone) ?? .gmt
        for format in ["yyyy-MM-dd'T'HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ss"] {
            local.dateFormat = format
            if let date = local.date(from: text) { return date }
        }
        return nil
    }
}
