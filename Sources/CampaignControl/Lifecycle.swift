import GenesysCloud

/// The operator's view of a campaign (docs/ARCHITECTURE.md, "Lifecycle"), derived from Genesys's
/// `campaignStatus` first, then its `errors` and whether it has dialed anyone.
public enum Lifecycle: String, Sendable, CaseIterable, CustomStringConvertible {
    /// `off` and never dialed (new or recycled).
    case draft
    /// `on`, whatever its `errors` say: a running campaign can always be stopped.
    case active
    /// `stopping` or `forced_stopping`: on its way to off.
    case pausing
    /// `off` or `forced_off` after having dialed.
    case paused
    /// `complete`: the list is exhausted; turning it on dials from the start.
    case complete
    /// `invalid`, or `off`/`forced_off` with `errors`: cannot be turned on.
    case invalid
    /// Not in Genesys: snapshotted into the local archive and deleted.
    case archived
    /// A status this version does not know.
    case unknown

    public var description: String { rawValue }

    /// - Parameters:
    ///   - contactsCalled: `numberOfContactsCalled` of its progress; `nil` when not known.
    public init(status: CampaignStatus?, errors: [RestErrorDetail]?, contactsCalled: Int?) {
        switch status {
        case .on?: self = .active
        case .stopping?, .forcedStopping?: self = .pausing
        case .complete?: self = .complete
        case .invalid?: self = .invalid
        case .off?, .forcedOff?:
            if !(errors ?? []).isEmpty {
                self = .invalid
            } else {
                self = (contactsCalled ?? 1) == 0 ? .draft : .paused
            }
        default: self = .unknown
        }
    }

    public init(_ campaign: Campaign, contactsCalled: Int?) {
        self.init(status: campaign.campaignStatus, errors: campaign.errors, contactsCalled: contactsCalled)
    }

    /// Whether telling draft from paused needs the campaign's progress.
    public static func needsProgress(_ campaign: Campaign) -> Bool {
        let status = campaign.campaignStatus
        return (status == .off || status == .forcedOff) && (campaign.errors ?? []).isEmpty
    }
}

extension Lifecycle {
    /// What a `--status` filter accepts: a Genesys status or a lifecycle state (`complete` and `invalid` are both).
    public static let statusFilterChoices: [String] = {
        let statuses = CampaignStatus.knownValues.map(\.rawValue)
        return statuses + allCases.filter { $0 != .unknown }.map(\.rawValue).filter { !statuses.contains($0) }
    }()

    /// Why `status` is no `--status` filter, naming what is; nil when it is one (or absent).
    public static func statusFilterProblem(_ status: String?) -> String? {
        guard let status, !statusFilterChoices.contains(status) else { return nil }
        return "unknown status '\(status)'; use \(statusFilterChoices.joined(separator: ", "))"
    }
}
