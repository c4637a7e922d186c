import GenesysCloud

/// The progress of many campaigns, read with the bulk endpoint (`POST /api/v2/outbound/campaigns/progress`,
/// 50 ids a request) instead of one request per campaign.
public struct ProgressIndex: Sendable {
    public private(set) var byID: [String: CampaignProgress] = [:]
    /// Why progress is missing, when a read failed (e.g. 403 for a role without the permission): the
    /// figures are blank and draft cannot be told from paused, but nothing else fails.
    public private(set) var unavailable: String?

    public static func read(_ campaigns: [Campaign], client: GenesysClient) async -> ProgressIndex {
        var index = ProgressIndex()
        let ids = campaigns.compactMap(\.id)
        for start in stride(from: 0, to: ids.count, by: 50) {
            do {
                for progress in try await client.progress(ofCampaigns: Array(ids[start..<min(start + 50, ids.count)])) {
                    if let id = progress.campaign?.id { index.byID[id] = progress }
                }
            } catch let error as GenesysError {
                index.unavailable = error.shortDescription
                break
            } catch {
                index.unavailable = "\(error)"
                break
            }
        }
        return index
    }

    public subscript(id: String?) -> CampaignProgress? { id.flatMap { byID[$0] } }

    public func lifecycle(of campaign: Campaign) -> Lifecycle {
        Lifecycle(campaign, contactsCalled: self[campaign.id]?.numberOfContactsCalled)
    }
}
