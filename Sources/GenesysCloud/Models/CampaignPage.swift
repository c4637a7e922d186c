/// One page of `CampaignEntityListing`, read leniently: each entity that is an object is a campaign.
public struct CampaignPage: Sendable {
    public var campaigns: [Campaign]
    /// Entities that are not even objects (skipped).
    public var unreadable: Int
    public var pageCount: Int?
    /// The page size the server says it used (it may serve fewer than asked for).
    public var pageSize: Int?
    public var nextUri: String?
}
