import AuditStore
import GenesysCloud

/// What a transition is about: a campaign as read from Genesys, or an archived snapshot (restore).
public enum TransitionSubject: Sendable {
    case campaign(Campaign)
    case archived(ArchivedCampaign)

    var id: String {
        switch self {
        case .campaign(let campaign): campaign.id ?? ""
        case .archived(let archived): archived.campaignID
        }
    }

    var name: String? {
        switch self {
        case .campaign(let campaign): campaign.name
        case .archived(let archived): archived.name
        }
    }
}

/// Where a campaign is before or after a transition: a Genesys status, or archived (not in Genesys).
public enum TransitionState: Sendable, Equatable, CustomStringConvertible {
    case status(CampaignStatus)
    case archived

    public init?(_ status: CampaignStatus?) {
        guard let status else { return nil }
        self = .status(status)
    }

    public var status: CampaignStatus? {
        if case .status(let status) = self { status } else { nil }
    }

    public var description: String {
        switch self {
        case .status(let status): status.rawValue
        case .archived: Lifecycle.archived.rawValue
        }
    }
}

/// One step of a transition, in the order it runs. Each step that sends a request is one audit row.
public enum TransitionStep: Sendable, Equatable {
    /// GET the whole campaign and run the pre-flight on it: what is checked is what gets turned on.
    case readAndCheck
    /// PUT the campaign as read with `campaignStatus: on` and its version (`…/start` with `--via start`).
    case turnOn
    /// `POST …/stop`: no body, no version, so it never conflicts with another admin's edit.
    case stop
    /// Until the campaign is not dialing; a run has one waiter that polls all its campaigns at once.
    case waitUntilNotDialing
    /// GET the whole campaign and keep it in the local archive.
    case keepSnapshot
    /// `DELETE …/{id}`.
    case delete
    /// `DELETE …/{id}/progress`: the campaign dials its list from the start.
    case resetProgress
    /// POST the archived snapshot as a new campaign (created off, with a new id).
    case create

    /// What the step sends, for a dry run's plan.
    func describe(_ campaign: Campaign, id: String, options: TransitionOptions) -> String {
        let path = "/api/v2/outbound/campaigns/\(id)"
        let version = campaign.version.map(String.init) ?? "?"
        switch self {
        case .readAndCheck: return "GET \(path) → version \(version), then the pre-flight checks on what it returns"
        case .turnOn:
            return options.viaStart
                ? "POST \(path)/start (no body, no version)"
                : "PUT \(path)?useMaxCallsPerAgentDecimal=true with version \(version): "
                    + "campaignStatus \(campaign.campaignStatus?.rawValue ?? "?") → on, every other field as received"
        case .stop: return "POST \(path)/stop (no body, no version)"
        case .waitUntilNotDialing: return "wait until it is off (at most \(options.timeout.components.seconds) s)"
        case .keepSnapshot: return "GET \(path) and keep its JSON in the local archive"
        case .delete: return "DELETE \(path)"
        case .resetProgress: return "DELETE \(path)/progress"
        case .create: return "POST /api/v2/outbound/campaigns with the archived settings (created off, new id)"
        }
    }
}

/// What to do about a verb: decided from the lifecycle state alone, without I/O.
public enum TransitionPlan: Sendable, Equatable {
    case refuse(String)
    /// Nothing to send; the reason says why when it is not plain "already there".
    case noop(String?)
    case steps([TransitionStep])
}

/// The decision step of the engine as pure functions, unit-tested without a server (the executing step is
/// ``TransitionEngine/perform(_:on:options:run:)``).
public enum TransitionPlanner {
    public static func plan(_ verb: Verb, from state: Lifecycle, options: TransitionOptions) -> TransitionPlan {
        let wait: [TransitionStep] = options.wait ? [.waitUntilNotDialing] : []
        switch LifecyclePolicy.decide(verb, from: state) {
        case .refuse(let reason): return .refuse(reason)
        case .noop(let why): return .noop(why)
        case .turnOn: return .steps([.readAndCheck, .turnOn])
        case .stop: return .steps([.stop] + wait)
        case .waitUntilOff: return wait.isEmpty ? .noop(nil) : .steps(wait)
        // The snapshot must be of a campaign that no longer dials: archive always waits.
        case .pauseThenArchive:
            return .steps((state == .pausing ? [] : [.stop]) + [.waitUntilNotDialing, .keepSnapshot, .delete])
        case .archive: return .steps([.keepSnapshot, .delete])
        case .recycle: return .steps([.resetProgress])
        case .recreate: return .steps([.create])
        }
    }

    /// Why the pre-flight refuses activation, or `nil` when it lets it through: a check that failed or could
    /// not be read refuses unless the operator overrode it (campaign errors cannot be overridden).
    public static func refusal(_ checks: [PreflightCheck], overrides: Set<PreflightCheck.Name>) -> String? {
        let blocking = checks.filter { $0.state != .pass && $0.state != .warn && !$0.bypassed(by: overrides) }
        guard !blocking.isEmpty else { return nil }
        let names = blocking.map(\.name.rawValue).joined(separator: ",")
        let listed = blocking.map { "\($0.name.rawValue) \($0.state.rawValue) (\($0.figure))" }.joined(separator: ", ")
        let hint = blocking.allSatisfy(\.canBeOverridden) ? "; --override \(names) --reason \"…\" to proceed" : ""
        return "pre-flight failed: " + listed + hint
    }
}
