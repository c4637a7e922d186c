import JSONDocument

/// An outbound campaign (`Campaign` in the Platform API v2), kept as the JSON document the server sent.
///
/// The typed properties read and write that document. A property whose JSON has another shape than
/// the SDK declares reads as `nil` (``unreadableFields`` says which), so one odd campaign never
/// breaks a command about others; a full-replace `PUT` sends the document back with only the changed
/// members replaced, every other one byte for byte (docs/genesys-api.md, "Tolerant models").
public struct Campaign: Sendable, Equatable {
    /// The campaign's JSON object: what was received, with the changes made through this value.
    public var document: JSONObject

    public init(document: JSONObject = JSONObject()) {
        self.document = document
    }

    /// The campaign in `json`; `nil` when it is not an object.
    public init?(json: JSONValue) {
        guard let object = json.objectValue else { return nil }
        self.init(document: object)
    }

    public var json: JSONValue { .object(document) }

    public var id: String? {
        get { document["id"]?.stringValue }
        set { document["id"] = newValue.map(JSONValue.string) }
    }
    public var name: String? {
        get { document["name"]?.stringValue }
        set { document["name"] = newValue.map(JSONValue.string) }
    }
    /// Any JSON number with an integral value.
    public var version: Int? { document["version"]?.intValue }
    public var campaignStatus: CampaignStatus? {
        get { document["campaignStatus"]?.stringValue.map(CampaignStatus.init(rawValue:)) }
        set { document["campaignStatus"] = newValue.map { .string($0.rawValue) } }
    }
    public var dialingMode: DialingMode? { document["dialingMode"]?.stringValue.map(DialingMode.init(rawValue:)) }
    public var queue: DomainEntityRef? { DomainEntityRef(document["queue"]) }
    public var contactList: DomainEntityRef? { DomainEntityRef(document["contactList"]) }
    public var division: DomainEntityRef? { DomainEntityRef(document["division"]) }
    public var edgeGroup: DomainEntityRef? { DomainEntityRef(document["edgeGroup"]) }
    public var site: DomainEntityRef? { DomainEntityRef(document["site"]) }
    public var script: DomainEntityRef? { DomainEntityRef(document["script"]) }
    public var callableTimeSet: DomainEntityRef? { DomainEntityRef(document["callableTimeSet"]) }
    /// The DNC lists it checks numbers against; those of another shape are left out.
    public var dncLists: [DomainEntityRef] { (document["dncLists"]?.arrayValue ?? []).compactMap(DomainEntityRef.init) }
    /// The current error conditions; `nil` when absent or not a list.
    public var errors: [RestErrorDetail]? { document["errors"]?.arrayValue?.map(RestErrorDetail.init) }
    /// `errors` is there but not a list: whether the campaign has errors is not known.
    public var errorsAreUnreadable: Bool { document["errors"].map { $0 != .null && $0.arrayValue == nil } ?? false }
    public var phoneColumns: [PhoneColumn]? { document["phoneColumns"]?.arrayValue?.map(PhoneColumn.init) }
    public var outboundLineCount: Int? { document["outboundLineCount"]?.intValue }
    public var abandonRate: Double? { document["abandonRate"]?.doubleValue }
    /// The SDK types it as an integer; real orgs send decimals too (`1.5`), read here as they are.
    public var maxCallsPerAgent: Double? { document["maxCallsPerAgent"]?.doubleValue }
    public var maxCallsPerAgentDecimal: Double? { document["maxCallsPerAgentDecimal"]?.doubleValue }
    public var priority: Int? { document["priority"]?.intValue }
    public var callerName: String? { document["callerName"]?.stringValue }
    public var callerAddress: String? { document["callerAddress"]?.stringValue }
    public var dateCreated: String? { document["dateCreated"]?.stringValue }
    public var dateModified: String? { document["dateModified"]?.stringValue }
    public var selfUri: String? { document["selfUri"]?.stringValue }

    /// A copy with another status and everything else as received: the body of a status-change `PUT`.
    public func with(status: CampaignStatus) -> Campaign {
        var copy = self
        copy.campaignStatus = status
        return copy
    }

    /// Top-level members that the SDK's `Campaign` model does not declare (kept and sent back all the same).
    public var unknownFields: [String] {
        document.keys.filter { !Self.modelFields.contains($0) }
    }

    /// Every field of `Campaign` in the SDK (PureCloudPlatformClientV2 269.0.0 `attribute_map`).
    public static let modelFields: Set<String> = [
        "id", "name", "dateCreated", "dateModified", "version", "contactList", "queue", "dialingMode", "script",
        "edgeGroup", "site", "campaignStatus", "phoneColumns", "abandonRate", "dncLists", "callableTimeSet",
        "callAnalysisResponseSet", "errors", "callerName", "callerAddress", "outboundLineCount", "ruleSets",
        "skipPreviewDisabled", "previewTimeOutSeconds", "alwaysRunning", "contactSort", "contactSorts",
        "noAnswerTimeout", "callAnalysisLanguage", "priority", "contactListFilters", "division", "agentOwnedColumn",
        "dynamicContactQueueingSettings", "skillColumns", "previewAutoEnd", "maxCallsPerAgent",
        "maxCallsPerAgentDecimal", "callbackAutoAnswer", "dynamicLineBalancingSettings", "diagnosticsSettings",
        "preciseDialingEnabled", "selfUri",
    ]

    /// The members this client reads, with the kind of JSON it reads them as.
    static let readFields: [(name: String, kind: JSONValue.Kind)] = [
        ("id", .text), ("name", .text), ("version", .number), ("campaignStatus", .text), ("dialingMode", .text),
        ("queue", .object), ("contactList", .object), ("division", .object), ("edgeGroup", .object),
        ("site", .object), ("script", .object), ("errors", .list), ("phoneColumns", .list),
        ("outboundLineCount", .number), ("abandonRate", .number), ("maxCallsPerAgent", .number),
        ("maxCallsPerAgentDecimal", .number), ("priority", .number), ("callerName", .text),
        ("callerAddress", .text), ("dateCreated", .text), ("dateModified", .text), ("selfUri", .text),
    ]

    /// Members this client reads that have another kind of JSON than it expects, e.g.
    /// `version is text ("7"), expected a number`; such a member reads as `nil` and is sent back unchanged.
    public var unreadableFields: [String] {
        Self.readFields.compactMap { field in
            guard let value = document[field.name], value != .null else { return nil }
            if value.kind != field.kind {
                return "\(field.name) is \(value.kind.article) (\(value.preview)), expected \(field.kind.article)"
            }
            if field.name == "version", value.intValue == nil {
                return "version is \(value.jsonText), expected a whole number"
            }
            return nil
        }
    }
}

extension JSONValue {
    /// A short rendering for messages: the JSON, cut at 40 characters.
    var preview: String {
        let text = jsonText
        return text.count > 40 ? String(text.prefix(39)) + "…" : text
    }
}

extension JSONValue.Kind {
    var article: String {
        switch self {
        case .object: "an object"
        case .list: "a list"
        case .text: "text"
        case .number: "a number"
        case .boolean: "true or false"
        case .null: "null"
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

    /// Not dialing and not on its way to stop: where a pause ends (`off`, `forced_off`, `complete`, `invalid`).
    public var isSettledOff: Bool { self == .off || self == .forcedOff || self == .complete || self == .invalid }
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

    /// The reference in `json`; `nil` unless it is an object.
    public init?(_ json: JSONValue?) {
        guard let object = json?.objectValue else { return nil }
        self.init(
            id: object["id"]?.stringValue, name: object["name"]?.stringValue, selfUri: object["selfUri"]?.stringValue)
    }
}

/// `PhoneColumn`: a contact-list column holding a phone number. Both fields are optional in the SDK;
/// the Terraform provider creates columns with a name only.
public struct PhoneColumn: Sendable, Hashable {
    public var columnName: String?
    public var type: String?

    init(_ json: JSONValue) {
        columnName = json["columnName"]?.stringValue
        type = json["type"]?.stringValue
    }
}

/// `RestErrorDetail`: one of a campaign's current error conditions.
public struct RestErrorDetail: Sendable, Hashable {
    public var error: String?
    public var details: String?

    public init(error: String?, details: String? = nil) {
        self.error = error
        self.details = details
    }

    init(_ json: JSONValue) {
        self.init(error: json["error"]?.stringValue ?? json.stringValue, details: json["details"]?.stringValue)
    }

    /// `error: details`, or whichever of them there is.
    public var summary: String {
        let parts = [error, details].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? "(no description)" : parts.joined(separator: ": ")
    }
}
