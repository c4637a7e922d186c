import Foundation
import JSONDocument

/// The org an emulator starts with (and returns to on reset): campaigns with their dialing progress,
/// and queues with their agents. `genesys-emulator --seed FILE` reads it with ``init(parsing:)``;
/// `--print-demo-seed` prints the demo org with ``jsonText()``.
///
/// A campaign is its raw JSON document, checked against the SDK's `Campaign` only for JSON kinds, so a
/// seed can hold what real orgs send and a strict client would refuse (`maxCallsPerAgent: 1.5`, phone
/// columns without `type`, fields and enum values the SDK does not know).
public struct EmulatorSeed: Sendable, Hashable {
    public var campaigns: [SeedCampaign]
    public var queues: [SeedQueue]

    public init(campaigns: [SeedCampaign], queues: [SeedQueue]) {
        self.campaigns = campaigns
        self.queues = queues
    }

    public struct SeedCampaign: Sendable, Hashable {
        /// The campaign exactly as the API returns it; fields the emulator does not manage are served as they are.
        public var campaign: JSONObject
        public var contactsCalled: Int
        public var totalContacts: Int

        public init(campaign: JSONObject, contactsCalled: Int, totalContacts: Int) {
            self.campaign = campaign
            self.contactsCalled = contactsCalled
            self.totalContacts = totalContacts
        }

        /// The campaign's `id`; setting it writes the document. A seed campaign without one gets a new id.
        public var id: String? {
            get { campaign["id"]?.stringValue }
            set { campaign["id"] = newValue.map(JSONValue.string) }
        }

        /// The campaign's `name`; setting it writes the document.
        public var name: String? {
            get { campaign["name"]?.stringValue }
            set { campaign["name"] = newValue.map(JSONValue.string) }
        }
    }

    public struct SeedQueue: Sendable, Hashable {
        public var id: String
        public var name: String
        public var members: [SeedMember]

        public init(id: String, name: String, members: [SeedMember]) {
            self.id = id
            self.name = name
            self.members = members
        }
    }

    public struct SeedMember: Sendable, Hashable {
        public var id: String
        public var name: String
        public var joined: Bool
        /// `IDLE`, `INTERACTING`, `OFF_QUEUE`, …; values the SDK does not list are kept.
        public var routingStatus: String

        public init(id: String, name: String, joined: Bool, routingStatus: String) {
            self.id = id
            self.name = name
            self.joined = joined
            self.routingStatus = routingStatus
        }
    }

    /// Why a seed cannot be used: where, and what is wrong there.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        /// The places that do not fit, e.g. `campaigns[3].campaign.queue: expected an object (DomainEntityRef), got text ("q1")`.
        public var violations: [SchemaViolation]
        /// Set when the text is not JSON at all.
        public var syntaxError: JSONSyntaxError?

        public var description: String { syntaxError?.description ?? violations.summary }
    }
}

// MARK: Reading and printing

extension EmulatorSeed {
    /// Reads a seed from JSON text: `{"campaigns":[{"campaign":{…},"contactsCalled":N,"totalContacts":N}],
    /// "queues":[{"id","name","members":[{"id","name","joined","routingStatus"}]}]}`.
    public init(parsing bytes: some Collection<UInt8>) throws(Invalid) {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
        } catch {
            throw Invalid(violations: [], syntaxError: error)
        }
        var reader = SeedReader()
        let top = reader.object(document, at: "")
        let campaigns = reader.list(top?["campaigns"], at: "campaigns").enumerated().compactMap { position, entry in
            reader.campaign(entry, at: "campaigns[\(position)]")
        }
        let queues = reader.list(top?["queues"], at: "queues").enumerated().compactMap { position, entry in
            reader.queue(entry, at: "queues[\(position)]")
        }
        guard reader.violations.isEmpty else { throw Invalid(violations: reader.violations) }
        self.init(campaigns: campaigns, queues: queues)
        try validate()
    }

    /// Checks what ``init(parsing:)`` cannot have checked in a seed built in Swift: every campaign fits
    /// the SDK's `Campaign`, ids are unique, counts are not negative.
    public func validate() throws(Invalid) {
        var violations: [SchemaViolation] = []
        var firstWithID: [String: Int] = [:]
        for (position, entry) in campaigns.enumerated() {
            let path = "campaigns[\(position)]"
            violations += SDKSchema.shared.validate(.object(entry.campaign), as: "Campaign", at: path + ".campaign")
            if let id = entry.id {
                if let first = firstWithID[id] {
                    violations.append(
                        SchemaViolation(path: path + ".campaign.id", reason: "the id of campaigns[\(first)] again"))
                } else {
                    firstWithID[id] = position
                }
            }
            if entry.contactsCalled < 0 {
                violations.append(SchemaViolation(path: path + ".contactsCalled", reason: "negative"))
            }
            if entry.totalContacts < 0 {
                violations.append(SchemaViolation(path: path + ".totalContacts", reason: "negative"))
            }
        }
        guard violations.isEmpty else { throw Invalid(violations: violations) }
    }

    /// The seed as a JSON document, in the shape ``init(parsing:)`` reads.
    public var jsonValue: JSONValue {
        [
            "campaigns": .array(
                campaigns.map { entry in
                    [
                        "campaign": .object(entry.campaign), "contactsCalled": JSONValue(entry.contactsCalled),
                        "totalContacts": JSONValue(entry.totalContacts),
                    ]
                }),
            "queues": .array(
                queues.map { queue in
                    [
                        "id": .string(queue.id), "name": .string(queue.name),
                        "members": .array(
                            queue.members.map { member in
                                [
                                    "id": .string(member.id), "name": .string(member.name),
                                    "joined": .bool(member.joined),
                                    "routingStatus": .string(member.routingStatus),
                                ]
                            }),
                    ]
                }),
        ]
    }

    /// The seed as indented JSON text; numbers keep their spelling and members their order.
    public func jsonText() -> String {
        jsonValue.indentedText()
    }
}

/// Reads the seed's own envelope (not an SDK model), collecting every problem with its path.
private struct SeedReader {
    var violations: [SchemaViolation] = []

    mutating func refuse(_ path: String, _ reason: String) {
        violations.append(SchemaViolation(path: path, reason: reason))
    }

    /// The member at `path` read by `convert`; a missing one or one of another kind is refused, naming `expected`.
    mutating func read<Value>(_ value: JSONValue?, at path: String, expected: String, _ convert: (JSONValue) -> Value?)
        -> Value?
    {
        guard let value else {
            refuse(path, "required")
            return nil
        }
        guard let converted = convert(value) else {
            refuse(path, "expected \(expected), got \(SDKSchema.describe(value))")
            return nil
        }
        return converted
    }

    mutating func object(_ value: JSONValue?, at path: String) -> JSONObject? {
        read(value, at: path, expected: "an object", \.objectValue)
    }

    mutating func list(_ value: JSONValue?, at path: String) -> [JSONValue] {
        read(value, at: path, expected: "a list", \.arrayValue) ?? []
    }

    mutating func string(_ value: JSONValue?, at path: String) -> String? {
        read(value, at: path, expected: "text", \.stringValue)
    }

    mutating func count(_ value: JSONValue?, at path: String) -> Int? {
        read(value, at: path, expected: "a whole number of at least 0") { $0.intValue.flatMap { $0 >= 0 ? $0 : nil } }
    }

    mutating func bool(_ value: JSONValue?, at path: String) -> Bool? {
        read(value, at: path, expected: "a boolean", \.boolValue)
    }

    mutating func campaign(_ value: JSONValue, at path: String) -> EmulatorSeed.SeedCampaign? {
        guard let entry = object(value, at: path) else { return nil }
        let document = object(entry["campaign"], at: path + ".campaign")
        if let document {
            violations += SDKSchema.shared.validate(.object(document), as: "Campaign", at: path + ".campaign")
        }
        let called = count(entry["contactsCalled"], at: path + ".contactsCalled")
        let total = count(entry["totalContacts"], at: path + ".totalContacts")
        guard let document, let called, let total else { return nil }
        return EmulatorSeed.SeedCampaign(campaign: document, contactsCalled: called, totalContacts: total)
    }

    mutating func queue(_ value: JSONValue, at path: String) -> EmulatorSeed.SeedQueue? {
        guard let entry = object(value, at: path) else { return nil }
        let id = string(entry["id"], at: path + ".id")
        let name = string(entry["name"], at: path + ".name")
        let members = list(entry["members"], at: path + ".members").enumerated().compactMap { position, value in
            member(value, at: "\(path).members[\(position)]")
        }
        guard let id, let name else { return nil }
        return EmulatorSeed.SeedQueue(id: id, name: name, members: members)
    }

    mutating func member(_ value: JSONValue, at path: String) -> EmulatorSeed.SeedMember? {
        guard let entry = object(value, at: path) else { return nil }
        let id = string(entry["id"], at: path + ".id")
        let name = string(entry["name"], at: path + ".name")
        let joined = bool(entry["joined"], at: path + ".joined")
        let status = string(entry["routingStatus"], at: path + ".routingStatus")
        guard let id, let name, let joined, let status else { return nil }
        return EmulatorSeed.SeedMember(id: id, name: name, joined: joined, routingStatus: status)
    }
}

extension JSONValue {
    /// The value as JSON text indented by two spaces per level, for files people read.
    func indentedText() -> String {
        var output = ""
        writeIndented(to: &output, depth: 0)
        return output
    }

    private func writeIndented(to output: inout String, depth: Int) {
        let inner = String(repeating: "  ", count: depth + 1)
        switch self {
        case .array(let elements) where !elements.isEmpty:
            output += "[\n"
            for (position, element) in elements.enumerated() {
                output += inner
                element.writeIndented(to: &output, depth: depth + 1)
                output += position < elements.count - 1 ? ",\n" : "\n"
            }
            output += String(repeating: "  ", count: depth) + "]"
        case .object(let object) where !object.isEmpty:
            output += "{\n"
            for (position, member) in object.members.enumerated() {
                output += inner + JSONValue.string(member.key).jsonText + ": "
                member.value.writeIndented(to: &output, depth: depth + 1)
                output += position < object.count - 1 ? ",\n" : "\n"
            }
            output += String(repeating: "  ", count: depth) + "}"
        default:
            output += jsonText
        }
    }
}

// MARK: The demo org

extension EmulatorSeed {
    /// A realistic small org: 14 voice campaigns in every status and dialing mode, three queues whose
    /// agents are idle, busy, not responding and off queue.
    public static let demoOrg = EmulatorSeed(
        campaigns: [
            demoCampaign(1, "Q4_Promo_East", "on", "predictive", queue: 1, called: 4_210, total: 12_000),
            demoCampaign(2, "Q4_Promo_West", "on", "predictive", queue: 1, called: 3_875, total: 11_500),
            demoCampaign(3, "Q4_Renewals", "off", "power", queue: 1, called: 0, total: 6_400),
            demoCampaign(4, "Collections_30day", "on", "progressive", queue: 2, called: 1_930, total: 5_000),
            demoCampaign(5, "Collections_60day", "off", "progressive", queue: 2, called: 2_745, total: 3_900),
            demoCampaign(6, "Collections_90day", "stopping", "power", queue: 2, called: 880, total: 2_100),
            demoCampaign(7, "Winback_Lapsed", "complete", "predictive", queue: 3, called: 8_000, total: 8_000),
            demoCampaign(8, "Retention_Save", "off", "preview", queue: 3, called: 0, total: 750),
            demoCampaign(
                9, "Survey_CSAT_Nov", "invalid", "power", queue: 3, called: 120, total: 4_000,
                errors: [["error": "Contact list not found", "details": "contactList.notFound"]]),
            demoCampaign(10, "Appointment_Reminders", "forced_off", "agentless", queue: nil, called: 610, total: 2_500),
            demoCampaign(11, "Payment_Plan_Followup", "forced_stopping", "power", queue: 2, called: 45, total: 900),
            demoCampaign(12, "Réactivation_Clients", "off", "predictive", queue: 1, called: 0, total: 3_300),
            demoCampaign(13, "Holiday Preview 2026", "off", "preview", queue: 1, called: 212, total: 1_000),
            demoCampaign(14, "Leads_Webform", "complete", "progressive", queue: 1, called: 2_000, total: 2_000),
        ],
        queues: [
            demoQueue(
                1, "Sales Outbound",
                ["IDLE": 6, "INTERACTING": 4, "NOT_RESPONDING": 1, "COMMUNICATING": 1, "OFF_QUEUE": 2]),
            demoQueue(2, "Collections", ["IDLE": 2, "INTERACTING": 5, "OFF_QUEUE": 3]),
            demoQueue(3, "Retention", ["INTERACTING": 2, "OFF_QUEUE": 4]),
        ]
    )

    /// Stable UUID-shaped ids, so tests and runbooks can name demo entities.
    static func demoID(_ kind: Int, _ number: Int) -> String {
        String(format: "c0ffee%02x-5eed-4%03x-8%03x-%012x", kind, kind, number % 4096, number)
    }

    private static func ref(_ kind: Int, _ number: Int, _ name: String, _ collection: String) -> JSONValue {
        let id = demoID(kind, number)
        return ["id": .string(id), "name": .string(name), "selfUri": .string("/api/v2/\(collection)/\(id)")]
    }

    private static func demoCampaign(
        _ number: Int, _ name: String, _ status: String, _ mode: String, queue: Int?, called: Int, total: Int,
        errors: [JSONValue] = []
    ) -> SeedCampaign {
        let id = demoID(1, number)
        let preview = mode == "preview"
        let agentless = mode == "agentless"
        let day = String(format: "%02d", number + 1)
        // Members in the SDK's order; a field the mode does not use is absent, as Genesys leaves it out.
        var campaign: JSONObject = [
            "id": .string(id),
            "name": .string(name),
            "dateCreated": .string("2026-09-\(day)T08:30:00.000Z"),
            "dateModified": .string("2026-11-\(day)T16:05:00.000Z"),
            "version": JSONValue(number + 2),
            "contactList": ref(2, number, "\(name) list", "outbound/contactlists"),
        ]
        // `if`, not `?:` with `nil`: JSONValue is nil-literal expressible, and a member set to `null` is not an absent one.
        if let queue { campaign["queue"] = ref(3, queue, queueNames[queue - 1], "routing/queues") }
        campaign["dialingMode"] = .string(mode)
        if !agentless { campaign["script"] = ref(4, 1, "Outbound Default Script", "scripts") }
        if !preview { campaign["edgeGroup"] = ref(5, 1, "Dialer Edge Group", "telephony/providers/edges/edgegroups") }
        campaign["campaignStatus"] = .string(status)
        campaign["phoneColumns"] = [["columnName": "Cell", "type": "cell"], ["columnName": "Home", "type": "home"]]
        if ["power", "predictive", "progressive"].contains(mode) { campaign["abandonRate"] = 3 }
        campaign["dncLists"] = [ref(6, 1, "National DNC", "outbound/dnclists")]
        if !preview {
            campaign["callAnalysisResponseSet"] = ref(
                6, 2, "Default Call Analysis", "outbound/callanalysisresponsesets")
        }
        campaign["errors"] = .array(errors)
        campaign["callerName"] = "Contoso Outreach"
        campaign["callerAddress"] = .string("+13175550\(String(format: "%03d", 100 + number))")
        if !preview { campaign["outboundLineCount"] = JSONValue(10 + number) }
        campaign["ruleSets"] = []
        if preview {
            campaign["skipPreviewDisabled"] = false
            campaign["previewTimeOutSeconds"] = 0
        }
        campaign["alwaysRunning"] = false
        campaign["contactSorts"] = []
        if !preview { campaign["noAnswerTimeout"] = 30 }
        campaign["callAnalysisLanguage"] = "en-US"
        campaign["priority"] = 3
        campaign["contactListFilters"] = []
        campaign["division"] = [
            "id": .string(demoID(6, 9)), "name": "Home",
            "selfUri": .string("/api/v2/authorization/divisions/\(demoID(6, 9))"),
        ]
        campaign["dynamicContactQueueingSettings"] = ["sort": false, "filter": false]
        campaign["skillColumns"] = []
        if !agentless, !preview { campaign["maxCallsPerAgent"] = 4 }
        campaign["callbackAutoAnswer"] = false
        campaign["dynamicLineBalancingSettings"] = ["enabled": false, "relativeWeight": 1]
        campaign["selfUri"] = .string("/api/v2/outbound/campaigns/\(id)")
        return SeedCampaign(campaign: campaign, contactsCalled: called, totalContacts: total)
    }

    private static let queueNames = ["Sales Outbound", "Collections", "Retention"]

    private static func demoQueue(_ number: Int, _ name: String, _ agents: [String: Int]) -> SeedQueue {
        // One agent has left the queue (joined=false) but is idle: `joined=true` must leave them out.
        let leaver = SeedMember(
            id: demoID(4, number * 100 + 99), name: "Agent \(number)-left", joined: false, routingStatus: "IDLE")
        return SeedQueue(id: demoID(3, number), name: name, members: agentRoster(queue: number, agents) + [leaver])
    }

    /// Agents named "Agent q-n", joined, with the given number in each routing status: the SDK's statuses
    /// in its order, then any others by name.
    static func agentRoster(queue: Int, _ agents: [String: Int]) -> [SeedMember] {
        let known = RoutingStatuses.known
        var members: [SeedMember] = []
        for status in known + agents.keys.filter({ !known.contains($0) }).sorted() {
            for _ in 0..<(agents[status] ?? 0) {
                let number = members.count + 1
                members.append(
                    SeedMember(
                        id: demoID(4, queue * 100 + number), name: "Agent \(queue)-\(number)", joined: true,
                        routingStatus: status)
                )
            }
        }
        return members
    }
}

/// The routing statuses the emulator's rules name; the full list is the SDK's.
enum RoutingStatuses {
    static let idle = "IDLE"
    static let offQueue = "OFF_QUEUE"
    /// `RoutingStatus.status` as the SDK lists it: OFF_QUEUE, IDLE, INTERACTING, NOT_RESPONDING, COMMUNICATING.
    static let known = SDKSchema.shared.enumValues(of: "RoutingStatus", field: "status") ?? []
}
