import Foundation
import GenesysCloud

/// The org an emulator starts with (and returns to on reset): campaigns with their dialing progress,
/// and queues with their agents. `genesys-emulator --seed FILE` reads this shape as JSON;
/// `--print-demo-seed` prints the demo org in it.
public struct EmulatorSeed: Codable, Sendable {
    public var campaigns: [SeedCampaign]
    public var queues: [SeedQueue]

    public init(campaigns: [SeedCampaign], queues: [SeedQueue]) {
        self.campaigns = campaigns
        self.queues = queues
    }

    public struct SeedCampaign: Codable, Sendable {
        /// The campaign exactly as the API returns it; fields the client does not know are kept.
        public var campaign: Campaign
        public var contactsCalled: Int
        public var totalContacts: Int

        public init(campaign: Campaign, contactsCalled: Int, totalContacts: Int) {
            self.campaign = campaign
            self.contactsCalled = contactsCalled
            self.totalContacts = totalContacts
        }
    }

    public struct SeedQueue: Codable, Sendable {
        public var id: String
        public var name: String
        public var members: [SeedMember]

        public init(id: String, name: String, members: [SeedMember]) {
            self.id = id
            self.name = name
            self.members = members
        }
    }

    public struct SeedMember: Codable, Sendable {
        public var id: String
        public var name: String
        public var joined: Bool
        public var routingStatus: RoutingStatus.Value

        public init(id: String, name: String, joined: Bool, routingStatus: RoutingStatus.Value) {
            self.id = id
            self.name = name
            self.joined = joined
            self.routingStatus = routingStatus
        }
    }
}

extension EmulatorSeed {
    /// A realistic small org: 14 voice campaigns in every status and dialing mode, three queues whose
    /// agents are idle, busy, not responding and off queue.
    public static let demoOrg = EmulatorSeed(
        campaigns: [
            demoCampaign(1, "Q4_Promo_East", .on, .predictive, queue: 1, called: 4_210, total: 12_000),
            demoCampaign(2, "Q4_Promo_West", .on, .predictive, queue: 1, called: 3_875, total: 11_500),
            demoCampaign(3, "Q4_Renewals", .off, .power, queue: 1, called: 0, total: 6_400),
            demoCampaign(4, "Collections_30day", .on, .progressive, queue: 2, called: 1_930, total: 5_000),
            demoCampaign(5, "Collections_60day", .off, .progressive, queue: 2, called: 2_745, total: 3_900),
            demoCampaign(6, "Collections_90day", .stopping, .power, queue: 2, called: 880, total: 2_100),
            demoCampaign(7, "Winback_Lapsed", .complete, .predictive, queue: 3, called: 8_000, total: 8_000),
            demoCampaign(8, "Retention_Save", .off, .preview, queue: 3, called: 0, total: 750),
            demoCampaign(9, "Survey_CSAT_Nov", .invalid, .power, queue: 3, called: 120, total: 4_000,
                errors: [RestErrorDetail(error: "Contact list not found", details: "contactList.notFound")]),
            demoCampaign(10, "Appointment_Reminders", .forcedOff, .agentless, queue: nil, called: 610, total: 2_500),
            demoCampaign(11, "Payment_Plan_Followup", .forcedStopping, .power, queue: 2, called: 45, total: 900),
            demoCampaign(12, "Réactivation_Clients", .off, .predictive, queue: 1, called: 0, total: 3_300),
            demoCampaign(13, "Holiday Preview 2026", .off, .preview, queue: 1, called: 212, total: 1_000),
            demoCampaign(14, "Leads_Webform", .complete, .progressive, queue: 1, called: 2_000, total: 2_000),
        ],
        queues: [
            demoQueue(1, "Sales Outbound", [.idle: 6, .interacting: 4, .notResponding: 1, .communicating: 1, .offQueue: 2]),
            demoQueue(2, "Collections", [.idle: 2, .interacting: 5, .offQueue: 3]),
            demoQueue(3, "Retention", [.interacting: 2, .offQueue: 4]),
        ]
    )

    /// Stable UUID-shaped ids, so tests and runbooks can name demo entities.
    static func demoID(_ kind: Int, _ number: Int) -> String {
        String(format: "c0ffee%02x-5eed-4%03x-8%03x-%012x", kind, kind, number % 4096, number)
    }

    private static func ref(_ kind: Int, _ number: Int, _ name: String, _ collection: String) -> DomainEntityRef {
        let id = demoID(kind, number)
        return DomainEntityRef(id: id, name: name, selfUri: "/api/v2/\(collection)/\(id)")
    }

    private static func demoCampaign(
        _ number: Int, _ name: String, _ status: CampaignStatus, _ mode: DialingMode, queue: Int?, called: Int,
        total: Int, errors: [RestErrorDetail] = []
    ) -> SeedCampaign {
        var fields = Campaign.Fields()
        fields.id = demoID(1, number)
        fields.name = name
        fields.dateCreated = "2026-09-\(String(format: "%02d", number + 1))T08:30:00.000Z"
        fields.dateModified = "2026-11-\(String(format: "%02d", number + 1))T16:05:00.000Z"
        fields.version = number + 2
        fields.contactList = ref(2, number, "\(name) list", "outbound/contactlists")
        fields.queue = queue.map { ref(3, $0, queueNames[$0 - 1], "routing/queues") }
        fields.dialingMode = mode
        fields.script = mode == .agentless ? nil : ref(4, 1, "Outbound Default Script", "scripts")
        fields.edgeGroup = mode == .preview ? nil : ref(5, 1, "Dialer Edge Group", "telephony/providers/edges/edgegroups")
        fields.campaignStatus = status
        fields.phoneColumns = [PhoneColumn(columnName: "Cell", type: "cell"), PhoneColumn(columnName: "Home", type: "home")]
        fields.abandonRate = [.power, .predictive, .progressive].contains(mode) ? 3 : nil
        fields.dncLists = [ref(6, 1, "National DNC", "outbound/dnclists")]
        fields.callAnalysisResponseSet = mode == .preview ? nil : ref(6, 2, "Default Call Analysis", "outbound/callanalysisresponsesets")
        fields.errors = errors
        fields.callerName = "Contoso Outreach"
        fields.callerAddress = "+13175550\(String(format: "%03d", 100 + number))"
        fields.outboundLineCount = mode == .preview ? nil : 10 + number
        fields.ruleSets = []
        fields.skipPreviewDisabled = mode == .preview ? false : nil
        fields.previewTimeOutSeconds = mode == .preview ? 0 : nil
        fields.alwaysRunning = false
        fields.contactSorts = []
        fields.noAnswerTimeout = mode == .preview ? nil : 30
        fields.callAnalysisLanguage = "en-US"
        fields.priority = 3
        fields.contactListFilters = []
        fields.division = DomainEntityRef(id: demoID(6, 9), name: "Home", selfUri: "/api/v2/authorization/divisions/\(demoID(6, 9))")
        fields.dynamicContactQueueingSettings = DynamicContactQueueingSettings(sort: false, filter: false)
        fields.skillColumns = []
        fields.maxCallsPerAgent = mode == .agentless || mode == .preview ? nil : 4
        fields.callbackAutoAnswer = false
        fields.dynamicLineBalancingSettings = DynamicLineBalancingSettings(enabled: false, relativeWeight: 1)
        fields.selfUri = "/api/v2/outbound/campaigns/\(demoID(1, number))"
        return SeedCampaign(campaign: Campaign(fields), contactsCalled: called, totalContacts: total)
    }

    private static let queueNames = ["Sales Outbound", "Collections", "Retention"]

    private static func demoQueue(_ number: Int, _ name: String, _ agents: [RoutingStatus.Value: Int]) -> SeedQueue {
        // One agent has left the queue (joined=false) but is idle: `joined=true` must leave them out.
        let leaver = SeedMember(
            id: demoID(4, number * 100 + 99), name: "Agent \(number)-left", joined: false, routingStatus: .idle
        )
        return SeedQueue(id: demoID(3, number), name: name, members: agentRoster(queue: number, agents) + [leaver])
    }

    /// Agents named "Agent q-n", joined, with the given number in each routing status (in a stable order).
    static func agentRoster(queue: Int, _ agents: [RoutingStatus.Value: Int]) -> [SeedMember] {
        var members: [SeedMember] = []
        for status in RoutingStatus.Value.knownValues + agents.keys.filter({ !$0.isKnown }).sorted(by: { $0.rawValue < $1.rawValue }) {
            for _ in 0..<(agents[status] ?? 0) {
                let number = members.count + 1
                members.append(
                    SeedMember(
                        id: demoID(4, queue * 100 + number), name: "Agent \(queue)-\(number)", joined: true,
                        routingStatus: status
                    )
                )
            }
        }
        return members
    }
}
