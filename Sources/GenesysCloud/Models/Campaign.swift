import Foundation

/// An outbound campaign (`Campaign` in the Platform API v2).
///
/// Fields are read and written through ``Fields`` (`campaign.name`, `campaign.campaignStatus = .on`).
/// The campaign also remembers the JSON it was decoded from: encoding writes that JSON back with only
/// the fields that were changed replaced, so a full-replace `PUT` keeps every field, top-level or
/// nested, that this client does not model yet.
@dynamicMemberLookup
public struct Campaign: Sendable, Equatable {
    /// The typed fields.
    public var fields: Fields
    /// The JSON object as received, and the fields as they were decoded from it.
    private let received: [String: JSONValue]
    private let receivedFields: Fields

    /// A new campaign that was never sent by the server, e.g. one about to be created.
    public init(_ fields: Fields) {
        self.fields = fields
        self.received = [:]
        self.receivedFields = Fields()
    }

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<Fields, Value>) -> Value {
        get { fields[keyPath: keyPath] }
        set { fields[keyPath: keyPath] = newValue }
    }

    /// Top-level fields of the received JSON that ``Fields`` does not declare.
    public var unknownFields: [String: JSONValue] {
        received.filter { Fields.CodingKeys(stringValue: $0.key) == nil }
    }

    /// A copy with another status and everything else as received: the body of a status-change `PUT`.
    public func with(status: CampaignStatus) -> Campaign {
        var copy = self
        copy.campaignStatus = status
        return copy
    }

    /// The JSON object this campaign encodes to.
    public func jsonObject() throws -> [String: JSONValue] {
        var object = received
        let current = try JSONValue(encoding: fields).objectValue ?? [:]
        let baseline = try JSONValue(encoding: receivedFields).objectValue ?? [:]
        for key in Fields.CodingKeys.allCases.map(\.stringValue) where current[key] != baseline[key] {
            object[key] = current[key]
        }
        return object
    }
}

extension Campaign: Codable {
    public init(from decoder: any Decoder) throws {
        let fields = try Fields(from: decoder)
        self.fields = fields
        self.receivedFields = fields
        self.received = try [String: JSONValue](from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try jsonObject().encode(to: encoder)
    }
}

extension Campaign {
    /// Every field of the `Campaign` model (genesys-api.md §3), all optional as the JSON may omit them.
    public struct Fields: Codable, Sendable, Equatable {
        public var id: String?
        public var name: String?
        public var dateCreated: String?
        public var dateModified: String?
        public var version: Int?
        public var contactList: DomainEntityRef?
        public var queue: DomainEntityRef?
        public var dialingMode: DialingMode?
        public var script: DomainEntityRef?
        public var edgeGroup: DomainEntityRef?
        public var site: DomainEntityRef?
        public var campaignStatus: CampaignStatus?
        public var phoneColumns: [PhoneColumn]?
        public var abandonRate: Double?
        public var dncLists: [DomainEntityRef]?
        public var callableTimeSet: DomainEntityRef?
        public var callAnalysisResponseSet: DomainEntityRef?
        public var errors: [RestErrorDetail]?
        public var callerName: String?
        public var callerAddress: String?
        public var outboundLineCount: Int?
        public var ruleSets: [DomainEntityRef]?
        public var skipPreviewDisabled: Bool?
        public var previewTimeOutSeconds: Int?
        public var alwaysRunning: Bool?
        public var contactSort: ContactSort?
        public var contactSorts: [ContactSort]?
        public var noAnswerTimeout: Int?
        public var callAnalysisLanguage: String?
        public var priority: Int?
        public var contactListFilters: [DomainEntityRef]?
        public var division: DomainEntityRef?
        public var agentOwnedColumn: String?
        public var dynamicContactQueueingSettings: DynamicContactQueueingSettings?
        public var skillColumns: [String]?
        public var previewAutoEnd: Bool?
        public var maxCallsPerAgent: Int?
        public var maxCallsPerAgentDecimal: Double?
        public var callbackAutoAnswer: Bool?
        public var dynamicLineBalancingSettings: DynamicLineBalancingSettings?
        public var diagnosticsSettings: DiagnosticsSettings?
        public var preciseDialingEnabled: Bool?
        public var selfUri: String?

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, name, dateCreated, dateModified, version, contactList, queue, dialingMode, script, edgeGroup, site
            case campaignStatus, phoneColumns, abandonRate, dncLists, callableTimeSet, callAnalysisResponseSet, errors
            case callerName, callerAddress, outboundLineCount, ruleSets, skipPreviewDisabled, previewTimeOutSeconds
            case alwaysRunning, contactSort, contactSorts, noAnswerTimeout, callAnalysisLanguage, priority
            case contactListFilters, division, agentOwnedColumn, dynamicContactQueueingSettings, skillColumns
            case previewAutoEnd, maxCallsPerAgent, maxCallsPerAgentDecimal, callbackAutoAnswer
            case dynamicLineBalancingSettings, diagnosticsSettings, preciseDialingEnabled, selfUri
        }
    }
}

/// `campaignStatus`. Clients may only set `on` and `off`; the server sets the rest.
public struct CampaignStatus: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let on: Self = "on"
    public static let stopping: Self = "stopping"
    public static let off: Self = "off"
    public static let complete: Self = "complete"
    public static let invalid: Self = "invalid"
    public static let forcedOff: Self = "forced_off"
    public static let forcedStopping: Self = "forced_stopping"
    public static let knownValues: [Self] = [.on, .stopping, .off, .complete, .invalid, .forcedOff, .forcedStopping]

    /// Counted against the org's limit of 50 active campaigns ("ON, STOPPING, or FORCED_STOPPING").
    public var occupiesActiveSlot: Bool { self == .on || self == .stopping || self == .forcedStopping }
}

/// `dialingMode`.
public struct DialingMode: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let agentless: Self = "agentless"
    public static let preview: Self = "preview"
    public static let power: Self = "power"
    public static let predictive: Self = "predictive"
    public static let progressive: Self = "progressive"
    public static let external: Self = "external"
    public static let knownValues: [Self] = [.agentless, .preview, .power, .predictive, .progressive, .external]
}

/// `DomainEntityRef`: a reference to another entity.
public struct DomainEntityRef: Codable, Sendable, Hashable {
    public var id: String?
    public var name: String?
    public var selfUri: String?

    public init(id: String?, name: String? = nil, selfUri: String? = nil) {
        self.id = id
        self.name = name
        self.selfUri = selfUri
    }
}

/// `PhoneColumn`: a contact-list column holding a phone number.
public struct PhoneColumn: Codable, Sendable, Hashable {
    public var columnName: String
    public var type: String

    public init(columnName: String, type: String) {
        self.columnName = columnName
        self.type = type
    }
}

/// `ContactSort`.
public struct ContactSort: Codable, Sendable, Hashable {
    public var fieldName: String?
    public var direction: String?
    public var numeric: Bool?
}

/// `RestErrorDetail`: one of a campaign's current error conditions.
public struct RestErrorDetail: Codable, Sendable, Hashable {
    public var error: String
    public var details: String?
    public var userParams: [UserParam]?

    public init(error: String, details: String? = nil) {
        self.error = error
        self.details = details
    }

    public struct UserParam: Codable, Sendable, Hashable {
        public var key: String?
        public var value: String?
    }
}

public struct DynamicContactQueueingSettings: Codable, Sendable, Hashable {
    public var sort: Bool?
    public var filter: Bool?

    public init(sort: Bool?, filter: Bool?) {
        self.sort = sort
        self.filter = filter
    }
}

public struct DynamicLineBalancingSettings: Codable, Sendable, Hashable {
    public var enabled: Bool?
    public var relativeWeight: Int?

    public init(enabled: Bool?, relativeWeight: Int?) {
        self.enabled = enabled
        self.relativeWeight = relativeWeight
    }
}

public struct DiagnosticsSettings: Codable, Sendable, Hashable {
    public var reportLowMaxCallsPerAgentAlert: Bool?
}
