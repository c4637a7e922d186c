import Foundation
import JSONDocument
import NIOHTTP1

/// Reads of what else drives a campaign (docs/genesys-api.md, "What else drives a campaign").
extension GenesysClient {
    static let campaignSchedulesRoute = "/api/v2/outbound/schedules/campaigns"
    static let campaignScheduleRoute = "/api/v2/outbound/schedules/campaigns/{campaignId}"
    static let campaignRulesRoute = "/api/v2/outbound/campaignrules"
    static let sequencesRoute = "/api/v2/outbound/sequences"
    static let callableTimeSetRoute = "/api/v2/outbound/callabletimesets/{callableTimeSetId}"
    static let contactListsRoute = "/api/v2/outbound/contactlists"
    static let contactListRoute = "/api/v2/outbound/contactlists/{contactListId}"
    static let dncListRoute = "/api/v2/outbound/dnclists/{dncListId}"
    static let sequenceSchedulesRoute = "/api/v2/outbound/schedules/sequences"
    static let diagnosticsRoute = "/api/v2/outbound/campaigns/{campaignId}/diagnostics"
    static let eventsRoute = "/api/v2/outbound/events"

    /// `GET /api/v2/outbound/schedules/campaigns`: a plain array, every campaign schedule of the org.
    public func campaignSchedules() async throws -> [CampaignSchedule] {
        try await plainList(Self.campaignSchedulesRoute, of: "schedules").compactMap(CampaignSchedule.init(json:))
    }

    /// `GET /api/v2/outbound/schedules/sequences`: a plain array, every sequence schedule of the org.
    public func sequenceSchedules() async throws -> [SequenceSchedule] {
        try await plainList(Self.sequenceSchedulesRoute, of: "sequence schedules").compactMap(
            SequenceSchedule.init(json:))
    }

    /// The elements of a listing that the API answers as a bare JSON array, with no paging.
    private func plainList(_ route: String, of what: String) async throws -> [JSONValue] {
        let answer = try await fetchJSON(.GET, route, path: route)
        guard let list = answer.arrayValue else {
            throw GenesysError(
                kind: .invalidResponse, request: "GET \(route)",
                message: "the answer is \(answer.kind.rawValue), not a list of \(what)")
        }
        return list
    }

    /// `GET /api/v2/outbound/campaigns/{id}/diagnostics`.
    public func diagnostics(ofCampaign id: String) async throws -> CampaignDiagnostics {
        let path = "/api/v2/outbound/campaigns/\(Self.pathSegment(id))/diagnostics"
        return try Self.object(
            CampaignDiagnostics.init(json:), try await fetchJSON(.GET, Self.diagnosticsRoute, path: path),
            "GET \(Self.diagnosticsRoute)")
    }

    /// The newest dialer events (`GET /api/v2/outbound/events`, the first page of 100, newest first).
    /// The listing cannot be filtered by entity: callers keep the events that concern theirs.
    public func dialerEvents() async throws -> [DialerEvent] {
        let page = try await fetchJSON(
            .GET, Self.eventsRoute, path: Self.eventsRoute,
            query: [
                ("pageSize", "\(Self.maxPageSize)"), ("pageNumber", "1"), ("sortBy", "timestamp"),
                ("sortOrder", "descending"),
            ])
        return (page["entities"]?.arrayValue ?? []).compactMap(DialerEvent.init(json:))
    }

    /// Every campaign rule (`GET /api/v2/outbound/campaignrules`, all pages).
    public func campaignRules() async throws -> [CampaignRule] {
        try await everyEntity(Self.campaignRulesRoute).compactMap(CampaignRule.init(json:))
    }

    /// Every sequence (`GET /api/v2/outbound/sequences`, all pages).
    public func sequences() async throws -> [CampaignSequence] {
        try await everyEntity(Self.sequencesRoute).compactMap(CampaignSequence.init(json:))
    }

    /// `GET /api/v2/outbound/callabletimesets/{id}`.
    public func callableTimeSet(id: String) async throws -> CallableTimeSet {
        let path = "/api/v2/outbound/callabletimesets/\(Self.pathSegment(id))"
        return try Self.object(
            CallableTimeSet.init(json:), try await fetchJSON(.GET, Self.callableTimeSetRoute, path: path),
            "GET \(Self.callableTimeSetRoute)")
    }

    /// `GET /api/v2/outbound/contactlists/{id}?includeImportStatus=true&includeSize=true`: without the
    /// two flags the answer has neither field.
    public func contactList(id: String) async throws -> ContactList {
        let path = "/api/v2/outbound/contactlists/\(Self.pathSegment(id))"
        let answer = try await fetchJSON(
            .GET, Self.contactListRoute, path: path, query: [("includeImportStatus", "true"), ("includeSize", "true")])
        return try Self.object(ContactList.init(json:), answer, "GET \(Self.contactListRoute)")
    }

    /// The contact lists with these ids, with import status and size: `GET /api/v2/outbound/contactlists`
    /// with `id` repeated, 100 ids a request, so a bulk activation reads its lists at once.
    public func contactLists(ids: [String]) async throws -> [ContactList] {
        var lists: [ContactList] = []
        for start in stride(from: 0, to: ids.count, by: Self.maxPageSize) {
            let chunk = ids[start..<min(start + Self.maxPageSize, ids.count)]
            lists += try await everyEntity(
                Self.contactListsRoute,
                query: [("includeImportStatus", "true"), ("includeSize", "true")] + chunk.map { ("id", $0) }
            ).compactMap(ContactList.init(json:))
        }
        return lists
    }

    /// `GET /api/v2/outbound/dnclists/{id}?includeImportStatus=true`: the list, with the status of its last
    /// import when it has one (`…/importstatus` has no documented answer for a list never imported).
    public func dncList(id: String) async throws -> DncList {
        let path = "/api/v2/outbound/dnclists/\(Self.pathSegment(id))"
        let answer = try await fetchJSON(.GET, Self.dncListRoute, path: path, query: [("includeImportStatus", "true")])
        return try Self.object(DncList.init(json:), answer, "GET \(Self.dncListRoute)")
    }

    /// The entities of every page of a listing of `route`, bounded as every listing is (``PageGuard``).
    func everyEntity(_ route: String, query: [(String, String)] = []) async throws -> [JSONValue] {
        var entities: [JSONValue] = []
        var pageNumber = 1
        var pages = PageGuard(request: "GET \(route)")
        while true {
            let page = try await fetchJSON(
                .GET, route, path: route,
                query: query + [("pageSize", "\(Self.maxPageSize)"), ("pageNumber", "\(pageNumber)")])
            guard page.objectValue != nil else {
                throw GenesysError(
                    kind: .invalidResponse, request: "GET \(route)",
                    message: "the answer is \(page.kind.rawValue), not a listing")
            }
            let served = page["entities"]?.arrayValue ?? []
            entities += served
            let lastPage =
                page["pageCount"]?.intValue ?? (page["nextUri"]?.stringValue == nil ? pageNumber : pageNumber + 1)
            if served.isEmpty || served.count < (page["pageSize"]?.intValue ?? Self.maxPageSize)
                || pageNumber >= lastPage
            {
                return entities
            }
            try pages.allowNext(
                after: pageNumber, ids: served.map { $0["id"]?.stringValue }, reportedPages: page["pageCount"]?.intValue
            )
            pageNumber += 1
        }
    }

    /// `json` read by `make`, or an error naming the request when it is not that object.
    static func object<Model>(_ make: (JSONValue) -> Model?, _ json: JSONValue, _ request: String) throws -> Model {
        guard let model = make(json) else {
            throw GenesysError(
                kind: .invalidResponse, request: request, message: "the answer is \(json.kind.rawValue), not an object")
        }
        return model
    }
}

/// One status change of a campaign in the platform audit (`AuditLogMessage` with a `campaignStatus`
/// property change).
public struct StatusChangeRecord: Sendable, Equatable {
    public var date: String?
    public var from: String?
    public var to: String?
    /// `USER`, `SYSTEM` or `GENESYS_INTERNAL`.
    public var level: String?
    /// The user's name or id, else the OAuth client's id.
    public var who: String?

    init?(_ message: JSONValue) {
        let change = message["propertyChanges"]?.arrayValue?.first { $0["property"]?.stringValue == "campaignStatus" }
        guard let change else { return nil }
        date = message["eventDate"]?.stringValue
        from = change["oldValues"]?.arrayValue?.first?.stringValue
        to = change["newValues"]?.arrayValue?.first?.stringValue
        level = message["level"]?.stringValue
        let user = message["user"]?["name"]?.stringValue ?? message["user"]?["id"]?.stringValue
        who = user.map { "user \($0)" } ?? message["client"]?["id"]?.stringValue.map { "OAuth client \($0)" }
    }
}

extension GenesysClient {
    static let realtimeAuditRoute = "/api/v2/audits/query/realtime"

    /// The status changes of a campaign over the last `days` (the realtime query keeps 14), newest first:
    /// `POST /api/v2/audits/query/realtime` for service Outbound, entity type Campaign and its id.
    public func statusChanges(ofCampaign id: String, days: Int = 14, now: Date = Date()) async throws
        -> [StatusChangeRecord]
    {
        let format = Date.ISO8601FormatStyle()
        let start = now.addingTimeInterval(-Double(days) * 86_400)
        let query: JSONValue = [
            "interval": .string("\(start.formatted(format))/\(now.formatted(format))"),
            "serviceName": "Outbound",
            "filters": [
                ["property": "EntityType", "value": "Campaign"], ["property": "EntityId", "value": .string(id)],
            ],
            "sort": [["name": "Timestamp", "sortOrder": "descending"]],
            "pageNumber": 1, "pageSize": 25,
        ]
        let answer = try await fetchJSON(.POST, Self.realtimeAuditRoute, path: Self.realtimeAuditRoute, body: query)
        return (answer["entities"]?.arrayValue ?? []).compactMap(StatusChangeRecord.init)
    }
}

/// The changes `pause --hold` and `release` make to what else drives a campaign.
extension GenesysClient {
    static let campaignRuleRoute = "/api/v2/outbound/campaignrules/{campaignRuleId}"

    private static func schedulePath(_ campaignID: String) -> String {
        "/api/v2/outbound/schedules/campaigns/\(pathSegment(campaignID))"
    }

    /// `DELETE /api/v2/outbound/schedules/campaigns/{campaignId}`.
    public func deleteCampaignSchedule(campaignID: String) async throws {
        _ = try await send(.DELETE, Self.campaignScheduleRoute, path: Self.schedulePath(campaignID))
    }

    /// `PUT /api/v2/outbound/schedules/campaigns/{campaignId}`: creates the schedule, or replaces it (then
    /// `version` must be the current one).
    public func putCampaignSchedule(_ schedule: CampaignSchedule, campaignID: String) async throws {
        _ = try await fetchJSON(
            .PUT, Self.campaignScheduleRoute, path: Self.schedulePath(campaignID), body: .object(schedule.document))
    }

    /// `GET /api/v2/outbound/campaignrules/{id}`.
    public func campaignRule(id: String) async throws -> CampaignRule {
        let path = "/api/v2/outbound/campaignrules/\(Self.pathSegment(id))"
        return try Self.object(
            CampaignRule.init(json:), try await fetchJSON(.GET, Self.campaignRuleRoute, path: path),
            "GET \(Self.campaignRuleRoute)")
    }

    /// `PUT /api/v2/outbound/campaignrules/{id}` with the rule's whole document (its current `version`).
    @discardableResult
    public func replaceCampaignRule(_ rule: CampaignRule) async throws -> CampaignRule {
        let path = "/api/v2/outbound/campaignrules/\(Self.pathSegment(rule.id ?? ""))"
        return try Self.object(
            CampaignRule.init(json:),
            try await fetchJSON(.PUT, Self.campaignRuleRoute, path: path, body: .object(rule.document)),
            "PUT \(Self.campaignRuleRoute)")
    }
}

extension GenesysClient {
    static let sequenceRoute = "/api/v2/outbound/sequences/{sequenceId}"

    /// `GET /api/v2/outbound/sequences/{id}`.
    public func sequence(id: String) async throws -> CampaignSequence {
        let path = "/api/v2/outbound/sequences/\(Self.pathSegment(id))"
        return try Self.object(
            CampaignSequence.init(json:), try await fetchJSON(.GET, Self.sequenceRoute, path: path),
            "GET \(Self.sequenceRoute)")
    }

    /// `PUT /api/v2/outbound/sequences/{id}` with the sequence's whole document (its current `version`).
    public func replaceSequence(_ sequence: CampaignSequence) async throws {
        let path = "/api/v2/outbound/sequences/\(Self.pathSegment(sequence.id ?? ""))"
        _ = try await fetchJSON(.PUT, Self.sequenceRoute, path: path, body: .object(sequence.document))
    }
}
