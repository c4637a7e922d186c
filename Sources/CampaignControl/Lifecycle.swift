import GenesysCloud

/// The operator's view of a campaign (DESIGN.md "Lifecycle model"), derived from Genesys's `campaignStatus`,
/// its `errors` and whether it has dialed anyone.
public enum Lifecycle: String, Sendable, CaseIterable, CustomStringConvertible {
    /// `off` and never dialed (new or recycled).
    case draft
    /// `on`.
    case active
    /// `stopping` or `forced_stopping`: on its way to off.
    case pausing
    /// `off` or `forced_off` after having dialed.
    case paused
    /// `complete`: the list is exhausted; turning it on dials from the start.
    case complete
    /// `invalid`, or `errors` not empty: cannot be turned on.
    case invalid
    /// Not in Genesys: snapshotted into the local archive and deleted.
    case archived
    /// A status this version does not know.
    case unknown

    public var description: String { rawValue }

    /// - Parameters:
    ///   - contactsCalled: `numberOfContactsCalled` of its progress; `nil` when not known.
    public init(status: CampaignStatus?, errors: [RestErrorDetail]?, contactsCalled: Int?) {
        if status == .invalid || !(errors ?? []).isEmpty {
            self = .invalid
            return
        }
        switch status {
        case .on?: self = .active
        case .stopping?, .forcedStopping?: self = .pausing
        case .complete?: self = .complete
        case .off?, .forcedOff?: self = (contactsCalled ?? 1) == 0 ? .draft : .paused
        default: self = .unknown
        }
    }

    public init(_ campaign: Campaign, contactsCalled: Int?) {
        self.init(status: campaign.campaignStatus, errors: campaign.errors, contactsCalled: contactsCalled)
    }
}
