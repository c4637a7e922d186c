/// The paging envelope of Genesys list endpoints (`CampaignEntityListing`, `QueueMemberEntityListing`, …).
///
/// Queue-member listings have no `total`, `lastUri` or `pageCount`; those stay `nil` there.
public struct EntityListing<Entity: Codable & Sendable>: Codable, Sendable {
    public var entities: [Entity]?
    public var pageSize: Int?
    public var pageNumber: Int?
    public var total: Int?
    public var pageCount: Int?
    public var firstUri: String?
    public var nextUri: String?
    public var previousUri: String?
    public var lastUri: String?
    public var selfUri: String?

    public init(
        entities: [Entity], pageSize: Int, pageNumber: Int, total: Int? = nil, pageCount: Int? = nil,
        firstUri: String? = nil, nextUri: String? = nil, previousUri: String? = nil, lastUri: String? = nil,
        selfUri: String? = nil
    ) {
        self.entities = entities
        self.pageSize = pageSize
        self.pageNumber = pageNumber
        self.total = total
        self.pageCount = pageCount
        self.firstUri = firstUri
        self.nextUri = nextUri
        self.previousUri = previousUri
        self.lastUri = lastUri
        self.selfUri = selfUri
    }
}

/// One page of `CampaignEntityListing`, read leniently: each entity that is an object is a campaign.
public struct CampaignPage: Sendable {
    public var campaigns: [Campaign]
    /// Entities that are not even objects (skipped).
    public var unreadable: Int
    public var pageCount: Int?
    public var nextUri: String?
}

public typealias QueueMemberEntityListing = EntityListing<QueueMember>
