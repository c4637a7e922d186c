import GenesysCloud

/// The operator's verbs (DESIGN.md "Lifecycle model").
public enum Verb: String, Sendable, CaseIterable {
    case activate, pause, archive, restore, recycle

    /// The verb that takes a campaign to a lifecycle state, for `transition CAMPAIGN STATE`.
    public init?(reaching state: Lifecycle) {
        switch state {
        case .active: self = .activate
        case .paused: self = .pause
        case .archived: self = .archive
        case .draft: self = .recycle
        default: return nil
        }
    }
}

/// What a verb does to a campaign in a given lifecycle state: decided before any request is sent.
public enum TransitionDecision: Sendable, Equatable {
    /// PUT the campaign with this `campaignStatus`.
    case setStatus(CampaignStatus)
    /// Already where the verb leads: nothing to send (audited as `noop`).
    case alreadyThere
    /// Pause first and wait for `off`, then delete (archive of a running campaign).
    case pauseThenArchive
    /// Snapshot and delete.
    case archive
    /// `DELETE …/progress`.
    case recycle
    /// POST the archived snapshot as a new campaign.
    case recreate
    /// Wait until the campaign is off (pause of a campaign that is already stopping).
    case waitUntilOff
    /// Not allowed from here; the reason names the state and what is allowed.
    case refuse(String)
}

/// The verb table as a pure function, exhaustively unit-tested.
public enum LifecyclePolicy {
    /// Where each verb may start (restore starts from `archived`, a state Genesys does not have).
    public static let allowedFrom: [Verb: [Lifecycle]] = [
        .activate: [.draft, .paused, .complete],
        .pause: [.active],
        .archive: [.draft, .paused, .complete, .active, .pausing],
        .restore: [.archived],
        .recycle: [.paused, .complete],
    ]

    public static func decide(_ verb: Verb, from state: Lifecycle) -> TransitionDecision {
        switch (verb, state) {
        case (.activate, .draft), (.activate, .paused), (.activate, .complete): return .setStatus(.on)
        case (.activate, .active): return .alreadyThere
        case (.pause, .active): return .setStatus(.off)
        case (.pause, .pausing): return .waitUntilOff
        case (.pause, .paused), (.pause, .draft): return .alreadyThere
        case (.archive, .active), (.archive, .pausing): return .pauseThenArchive
        case (.archive, .draft), (.archive, .paused), (.archive, .complete): return .archive
        case (.recycle, .paused), (.recycle, .complete): return .recycle
        case (.recycle, .draft): return .alreadyThere
        case (.restore, .archived): return .recreate
        default: return .refuse(refusal(verb, state))
        }
    }

    static func refusal(_ verb: Verb, _ state: Lifecycle) -> String {
        let allowed = allowedFrom[verb, default: []].map(\.rawValue).joined(separator: ", ")
        let why: String =
            switch state {
            case .invalid: "; fix its errors first"
            case .pausing: "; wait until it is off"
            case .archived: "; restore it first"
            default: ""
            }
        return "cannot \(verb.rawValue) a campaign that is \(state.rawValue) (allowed from: \(allowed))\(why)"
    }
}
