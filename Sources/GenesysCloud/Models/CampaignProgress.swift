/// `CampaignProgress`: how far a campaign has dialed its contact list.
public struct CampaignProgress: Codable, Sendable, Equatable {
    public var campaign: DomainEntityRef?
    public var contactList: DomainEntityRef?
    public var numberOfContactsCalled: Int?
    public var numberOfContactsMessaged: Int?
    public var totalNumberOfContacts: Int?
    public var percentage: Int?
    public var numberOfContactsSkipped: [String: Int]?

    public init(
        campaign: DomainEntityRef?, contactList: DomainEntityRef?, numberOfContactsCalled: Int,
        totalNumberOfContacts: Int, numberOfContactsSkipped: [String: Int] = [:]
    ) {
        self.campaign = campaign
        self.contactList = contactList
        self.numberOfContactsCalled = numberOfContactsCalled
        self.numberOfContactsMessaged = 0
        self.totalNumberOfContacts = totalNumberOfContacts
        self.percentage = totalNumberOfContacts > 0 ? numberOfContactsCalled * 100 / totalNumberOfContacts : 0
        self.numberOfContactsSkipped = numberOfContactsSkipped
    }
}
