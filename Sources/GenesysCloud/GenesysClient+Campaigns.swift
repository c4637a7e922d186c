import Foundation
import JSONDocument
import NIOHTTP1

/// Filters of `GET /api/v2/outbound/campaigns`.
public struct CampaignQuery: Sendable, Equatable {
    /// How `name` matches; the API's default is `Prefix`.
    public enum NameFilter: String, Sendable {
        case equals = "Equals", regEx = "RegEx", contains = "Contains", prefix = "Prefix", beginsWith = "BeginsWith"
        case endsWith = "EndsWith", lessThan = "LessThan", lessThanEqualTo = "LessThanEqualTo"
        case greaterThan = "GreaterThan", greaterThanEqualTo = "GreaterThanEqualTo"
    }

    public var name: String?
    public var filterType: NameFilter?
    public var ids: [String]
    public var contactListId: String?
    public var distributionQueueId: String?
    public var divisionIds: [String]
    public var sortBy: String?
    public var sortOrder: String?

    public init(
        name: String? = nil, filterType: NameFilter? = nil, ids: [String] = [], contactListId: String? = nil,
        distributionQueueId: String? = nil, divisionIds: [String] = [], sortBy: String? = nil, sortOrder: String? = nil
    ) {
        self.name = name
        self.filterType = filterType
        self.ids = ids
        self.contactListId = contactListId
        self.distributionQueueId = distributionQueueId
        self.divisionIds = divisionIds
        self.sortBy = sortBy
        self.sortOrder = sortOrder
    }

    var parameters: [(String, String)] {
        var parameters: [(String, String)] = []
        if let name { parameters.append(("name", name)) }
        if let filterType { parameters.append(("filterType", filterType.rawValue)) }
        parameters += ids.map { ("id", $0) }  // collectionFormat multi: id=a&id=b
        if let contactListId { parameters.append(("contactListId", contactListId)) }
        if let distributionQueueId { parameters.append(("distributionQueueId", distributionQueueId)) }
        parameters += divisionIds.map { ("divisionId", $0) }
        if let sortBy { parameters.append(("sortBy", sortBy)) }
        if let sortOrder { parameters.append(("sortOrder", sortOrder)) }
        return parameters
    }
}

extension GenesysClient {
    static let campaignsRoute = "/api/v2/outbound/campaigns"
    static let campaignRoute = "/api/v2/outbound/campaigns/{campaignId}"
    /// The largest page the list endpoints return.
    public static let maxPageSize = 100

    private static func campaignPath(_ id: String, _ suffix: String = "") -> String {
        "/api/v2/outbound/campaigns/\(pathSegment(id))\(suffix)"
    }

    /// One page of `GET /api/v2/outbound/campaigns`.
    public func campaignPage(
        _ query: CampaignQuery = .init(), pageNumber: Int = 1, pageSize: Int = maxPageSize
    ) async throws -> CampaignPage {
        let request = "GET \(Self.campaignsRoute)"
        let page = try await fetchJSON(
            .GET, Self.campaignsRoute, path: Self.campaignsRoute,
            query: query.parameters + [("pageSize", "\(pageSize)"), ("pageNumber", "\(pageNumber)")]
        )
        guard page.objectValue != nil else {
            throw GenesysError(
                kind: .invalidResponse, request: request, message: "the answer is \(page.kind.rawValue), not a listing")
        }
        let entities = page["entities"]?.arrayValue ?? []
        return CampaignPage(
            campaigns: entities.compactMap(Campaign.init(json:)),
            unreadable: entities.filter { $0.objectValue == nil }.count,
            pageCount: page["pageCount"]?.intValue, pageSize: page["pageSize"]?.intValue,
            nextUri: page["nextUri"]?.stringValue
        )
    }

    /// Every campaign matching `query`, reading pages until `pageCount` (or an empty page).
    ///
    /// More than 100 ids are asked for in several requests, one page of ids each.
    public func campaigns(_ query: CampaignQuery = .init()) async throws -> [Campaign] {
        let live = try await liveCampaigns(query)
        return await plan?.campaigns(live) ?? live
    }

    private func liveCampaigns(_ query: CampaignQuery) async throws -> [Campaign] {
        if query.ids.count > Self.maxPageSize {
            var campaigns: [Campaign] = []
            for start in stride(from: 0, to: query.ids.count, by: Self.maxPageSize) {
                var chunk = query
                chunk.ids = Array(query.ids[start..<min(start + Self.maxPageSize, query.ids.count)])
                campaigns += try await liveCampaigns(chunk)
            }
            return campaigns
        }
        var campaigns: [Campaign] = []
        var pageNumber = 1
        var pages = PageGuard(request: "GET \(Self.campaignsRoute)")
        while true {
            let page = try await campaignPage(query, pageNumber: pageNumber)
            campaigns += page.campaigns
            let lastPage = page.pageCount ?? (page.nextUri == nil ? pageNumber : pageNumber + 1)
            let served = page.campaigns.count + page.unreadable
            if served == 0 || served < (page.pageSize ?? Self.maxPageSize) || pageNumber >= lastPage {
                return campaigns
            }
            try pages.allowNext(after: pageNumber, ids: page.campaigns.map(\.id), reportedPages: page.pageCount)
            pageNumber += 1
        }
    }

    /// `GET /api/v2/outbound/campaigns/{campaignId}`.
    public func campaign(id: String) async throws -> Campaign {
        let read = { @Sendable in
            try Self.campaign(
                in: try await fetchJSON(.GET, Self.campaignRoute, path: Self.campaignPath(id)),
                "GET \(Self.campaignRoute)")
        }
        guard let plan else { return try await read() }
        return try await plan.campaign(id: id, live: read)
    }

    /// `useMaxCallsPerAgentDecimal=true` on every create and replace, as the Terraform provider sends it:
    /// the server then reads `maxCallsPerAgent` with its decimals instead of rounding it.
    static let decimalCallsPerAgent = [("useMaxCallsPerAgentDecimal", "true")]

    /// `POST /api/v2/outbound/campaigns`. Genesys creates campaigns `off`. Not retried on 5xx or a lost
    /// connection, since the campaign may exist already: look it up before trying again.
    public func createCampaign(_ campaign: Campaign) async throws -> Campaign {
        if let plan { return try await plan.create(campaign) }
        let answer = try await fetchJSON(
            .POST, Self.campaignsRoute, path: Self.campaignsRoute, query: Self.decimalCallsPerAgent,
            body: campaign.json,
            idempotent: false
        )
        return try Self.campaign(in: answer, "POST \(Self.campaignsRoute)")
    }

    /// `PUT /api/v2/outbound/campaigns/{campaignId}`: replaces the whole campaign with `campaign`'s document,
    /// byte for byte in every member that was not changed. `version` must be the current one, or Genesys
    /// answers 409 (``GenesysError/isVersionConflict``).
    public func replaceCampaign(_ campaign: Campaign) async throws -> Campaign {
        let request = "PUT \(Self.campaignRoute)"
        guard let id = campaign.id else {
            throw GenesysError(kind: .invalidResponse, request: request, message: "the campaign has no id")
        }
        if let plan { return try await plan.replace(campaign) }
        let answer = try await fetchJSON(
            .PUT, Self.campaignRoute, path: Self.campaignPath(id), query: Self.decimalCallsPerAgent, body: campaign.json
        )
        return try Self.campaign(in: answer, request)
    }

    /// Turns a campaign `on` or `off` with a full `PUT` of `campaign` exactly as received, only
    /// `campaignStatus` changed; its `version` must be current.
    public func setStatus(of campaign: Campaign, to status: CampaignStatus) async throws -> Campaign {
        try await replaceCampaign(campaign.with(status: status))
    }

    private static func campaign(in answer: JSONValue, _ request: String) throws -> Campaign {
        guard let campaign = Campaign(json: answer) else {
            throw GenesysError(
                kind: .invalidResponse, request: request,
                message: "the answer is \(answer.kind.rawValue), not a campaign")
        }
        return campaign
    }

    /// `DELETE /api/v2/outbound/campaigns/{campaignId}`. Genesys refuses while the campaign runs.
    @discardableResult
    public func deleteCampaign(id: String) async throws -> Campaign? {
        if let plan { return try await plan.delete(id: id) }
        let answer = try await send(.DELETE, Self.campaignRoute, path: Self.campaignPath(id))
        return (try? JSONValue(parsing: answer.body)).flatMap(Campaign.init(json:))
    }

    /// `POST …/{campaignId}/start`: turns the campaign on without sending a body or version.
    public func startCampaign(id: String) async throws {
        if let plan { return try await plan.start(id: id) }
        _ = try await send(.POST, Self.campaignRoute + "/start", path: Self.campaignPath(id, "/start"))
    }

    /// `POST …/{campaignId}/stop`.
    public func stopCampaign(id: String) async throws {
        if let plan { return try await plan.stop(id: id) }
        _ = try await send(.POST, Self.campaignRoute + "/stop", path: Self.campaignPath(id, "/stop"))
    }

    /// `PATCH …/{campaignId}`: changes lines, abandon rate, calls per agent, line balancing or queue; never status.
    public func patchCampaign(id: String, _ patch: CampaignPatchRequest) async throws {
        _ = try await send(
            .PATCH, Self.campaignRoute, path: Self.campaignPath(id), body: try JSONEncoder().encode(patch)
        )
    }

    /// `GET …/{campaignId}/progress`.
    public func progress(ofCampaign id: String) async throws -> CampaignProgress {
        let live = CampaignProgress(
            json: try await fetchJSON(.GET, Self.campaignRoute + "/progress", path: Self.campaignPath(id, "/progress"))
        )
        return await plan?.progress(live) ?? live
    }

    /// `POST /api/v2/outbound/campaigns/progress`: the progress of many campaigns in one request.
    public func progress(ofCampaigns ids: [String]) async throws -> [CampaignProgress] {
        let answer = try await fetchJSON(
            .POST, Self.campaignsRoute + "/progress", path: Self.campaignsRoute + "/progress",
            body: .array(ids.map(JSONValue.string))
        )
        let live = (answer.arrayValue ?? []).map(CampaignProgress.init(json:))
        guard let plan else { return live }
        var planned: [CampaignProgress] = []
        for progress in live { planned.append(await plan.progress(progress)) }
        return planned
    }

    /// `DELETE …/{campaignId}/progress`: resets progress and recycles the campaign.
    public func recycleCampaign(id: String) async throws {
        if let plan { return try await plan.recycle(id: id) }
        _ = try await send(.DELETE, Self.campaignRoute + "/progress", path: Self.campaignPath(id, "/progress"))
    }

    /// `GET …/{campaignId}/stats`.
    public func stats(ofCampaign id: String) async throws -> CampaignStats {
        CampaignStats(
            json: try await fetchJSON(.GET, Self.campaignRoute + "/stats", path: Self.campaignPath(id, "/stats")))
    }
}
