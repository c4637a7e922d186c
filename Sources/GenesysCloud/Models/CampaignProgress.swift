import JSONDocument

/// `CampaignProgress`: how far a campaign has dialed its contact list. Read leniently: a member of
/// another shape than the SDK declares reads as `nil`, and any number counts where it says integer.
public struct CampaignProgress: Sendable, Equatable {
    public var campaign: DomainEntityRef?
    public var contactList: DomainEntityRef?
    public var numberOfContactsCalled: Int?
    public var numberOfContactsMessaged: Int?
    public var totalNumberOfContacts: Int?
    public var percentage: Int?

    public init(json: JSONValue) {
        campaign = DomainEntityRef(json["campaign"])
        contactList = DomainEntityRef(json["contactList"])
        numberOfContactsCalled = json["numberOfContactsCalled"]?.wholeNumber
        numberOfContactsMessaged = json["numberOfContactsMessaged"]?.wholeNumber
        totalNumberOfContacts = json["totalNumberOfContacts"]?.wholeNumber
        percentage = json["percentage"]?.wholeNumber
    }
}

extension JSONValue {
    /// A count from any JSON number: decimals are cut to their whole part.
    var wholeNumber: Int? {
        guard let value = doubleValue, value.isFinite, abs(value) < 9.0e15 else { return nil }
        return Int(value.rounded(.towardZero))
    }
}
