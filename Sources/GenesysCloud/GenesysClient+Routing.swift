import JSONDocument
import NIOHTTP1

extension GenesysClient {
    static let queueMembersRoute = "/api/v2/routing/queues/{queueId}/members"

    /// Members of a routing queue, all pages. This listing has no totals: pages are read while they come
    /// back full and name a `nextUri`. Read leniently, like campaigns: a member of an unexpected shape is
    /// still counted.
    public func queueMembers(
        queueID: String, joined: Bool? = nil, routingStatuses: [RoutingStatus.Value] = [], memberBy: String? = "user"
    ) async throws -> [QueueMember] {
        var parameters: [(String, String)] = []
        if let joined { parameters.append(("joined", "\(joined)")) }
        parameters += routingStatuses.map { ("routingStatus", $0.rawValue) }
        if let memberBy { parameters.append(("memberBy", memberBy)) }
        var members: [QueueMember] = []
        var pageNumber = 1
        var pages = PageGuard(request: "GET \(Self.queueMembersRoute)")
        while true {
            let page = try await fetchJSON(
                .GET, Self.queueMembersRoute, path: "/api/v2/routing/queues/\(Self.pathSegment(queueID))/members",
                query: parameters + [("pageSize", "\(Self.maxPageSize)"), ("pageNumber", "\(pageNumber)")]
            )
            let entities = page["entities"]?.arrayValue ?? []
            let read = entities.map(QueueMember.init(json:))
            members += read
            if entities.count < (page["pageSize"]?.intValue ?? Self.maxPageSize) || page["nextUri"]?.stringValue == nil
            {
                return members
            }
            try pages.allowNext(after: pageNumber, ids: read.map(\.id), reportedPages: page["pageCount"]?.intValue)
            pageNumber += 1
        }
    }
}
