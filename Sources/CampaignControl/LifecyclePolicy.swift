import GenesysCloud

/// The operator's verbs (docs/ARCHITECTURE.md, "Lifecycle").
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
    /// PUT the campaign `on` with the version the pre-flight saw.
    case turnOn
    /// `POST …/stop`: no body and no version, so it never conflicts with another admin's edit.
    case stop
    /// Nothing to send (audited as `noop`); the reason says why when it is not plain "already there".
    case noop(String?)
    /// Pause first and wait until it is not dialing, then delete (archive of a running campaign).
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
        .pause: [.active, .pausing, .unknown],
        .archive: [.draft, .paused, .complete, .invalid, .active, .pausing],
        .restore: [.archived],
        .recycle: [.paused, .complete],
    ]

    public static func decide(_ verb: Verb, from state: Lifecycle) -> TransitionDecision {
        switch (verb, state) {
        case (.activate, .draft), (.activate, .paused), (.activate, .complete): return .turnOn
        case (.activate, .active): return .noop(nil)
        // An emergency stop is never refused: a status this version does not know is stopped too.
        case (.pause, .active), (.pause, .unknown): return .stop
        case (.pause, .pausing): return .waitUntilOff
        case (.pause, .paused), (.pause, .draft): return .noop(nil)
        case (.pause, .complete), (.pause, .invalid): return .noop("not dialing: it is \(state.rawValue)")
        case (.archive, .active), (.archive, .pausing): return .pauseThenArchive
        case (.archive, .draft), (.archive, .paused), (.archive, .complete), (.archive, .invalid): return .archive
        // Archived already (by this audit's archive): the state asked for, as a pause of an off campaign is.
        case (.archive, .archived): return .noop("already archived")
        case (.recycle, .paused), (.recycle, .complete): return .recycle
        case (.recycle, .draft): return .noop(nil)
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
            case .unknown: "; its status is unknown to this version of campaignsh"
            default: ""
            }
        return "cannot \(verb.rawValue) a campaign that is \(state.rawValue) (allowed from: \(allowed))\(why)"
    }
}
