/// One page of `CampaignEntityListing`, read leniently: each entity that is an object is a campaign.
public struct CampaignPage: Sendable {
    public var campaigns: [Campaign]
    /// Entities that are not even objects (skipped).
    public var unreadable: Int
    public var pageCount: Int?
    public var nextUri: String?
}
