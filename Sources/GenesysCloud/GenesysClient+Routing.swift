import NIOHTTP1

extension GenesysClient {
    static let queueMembersRoute = "/api/v2/routing/queues/{queueId}/members"
    static let queueObservationsRoute = "/api/v2/analytics/queues/observations/query"

    /// Members of a routing queue, all pages. This listing has no totals: pages are read while they come
    /// back full and name a `nextUri`.
    public func queueMembers(
        queueID: String, joined: Bool? = nil, routingStatuses: [RoutingStatus.Value] = [], memberBy: String? = "user"
    ) async throws -> [QueueMember] {
        var parameters: [(String, String)] = []
        if let joined { parameters.append(("joined", "\(joined)")) }
        parameters += routingStatuses.map { ("routingStatus", $0.rawValue) }
        if let memberBy { parameters.append(("memberBy", memberBy)) }
        var members: [QueueMember] = []
        var pageNumber = 1
        while true {
            let page = try await fetch(
                QueueMemberEntityListing.self, .GET, Self.queueMembersRoute,
                path: "/api/v2/routing/queues/\(Self.pathSegment(queueID))/members",
                query: parameters + [("pageSize", "\(Self.maxPageSize)"), ("pageNumber", "\(pageNumber)")]
            )
            let entities = page.entities ?? []
            members += entities
            if entities.count < (page.pageSize ?? Self.maxPageSize) || page.nextUri == nil { return members }
            pageNumber += 1
        }
    }

    /// `POST /api/v2/analytics/queues/observations/query`.
    public func queueObservations(_ query: QueueObservationQuery) async throws -> QueueObservationQueryResponse {
        try await fetch(
            QueueObservationQueryResponse.self, .POST, Self.queueObservationsRoute, path: Self.queueObservationsRoute,
            body: query
        )
    }

    /// On-queue users per routing status for each queue (`oOnQueueUsers`): `[queueId: [status: count]]`.
    public func onQueueUsers(queueIDs: [String]) async throws -> [String: [RoutingStatus.Value: Int]] {
        let response = try await queueObservations(.onQueueUsers(queueIDs: queueIDs))
        var counts: [String: [RoutingStatus.Value: Int]] = [:]
        for result in response.results ?? [] {
            guard let queueID = result.group?["queueId"] else { continue }
            for datum in result.data ?? [] where datum.metric == "oOnQueueUsers" {
                guard let qualifier = datum.qualifier else { continue }
                counts[queueID, default: [:]][RoutingStatus.Value(rawValue: qualifier)] = datum.stats?.count ?? 0
            }
        }
        return counts
    }
}
