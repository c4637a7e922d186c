import AuditStore
import Foundation
import GenesysCloud
import Synchronization

/// How to reach one org: which server, which OAuth client, and the profile that named them.
public struct ConnectionSettings: Sendable {
    /// The profile's name, `sandbox`, or `nil` when configured from the environment alone.
    public var profile: String?
    public var environment: GenesysEnvironment
    public var credentials: ClientCredentials
    /// A region key or domain, for `whoami`; `nil` when explicit bases were given.
    public var region: String?
    /// Idle on-queue agents `activate` requires unless told otherwise (`min_agents` of a profile).
    public var minAgents: Int

    public init(
        profile: String?, environment: GenesysEnvironment, credentials: ClientCredentials, region: String?,
        minAgents: Int = 1
    ) {
        self.profile = profile
        self.environment = environment
        self.credentials = credentials
        self.region = region
        self.minAgents = minAgents
    }
}

extension ConnectionSettings {
    /// The org as the operator knows it: the profile's name (`sandbox`), or for an environment setup its
    /// region (or API host) and the start of its client id.
    public var orgName: String {
        if let profile { return profile }
        let place = region ?? environment.apiBase.host ?? "env"
        return "\(place)/\(credentials.clientID.prefix(8))"
    }

    /// Who acts on this org, as the audit records it.
    public var auditActor: AuditActor {
        .current(
            profile: profile, clientID: credentials.clientID, region: region,
            apiBase: environment.apiBase.absoluteString)
    }
}

/// A campaign named by id and name, e.g. the current one.
public struct CampaignReference: Sendable, Hashable {
    public let id: String
    public let name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// The connection to Genesys Cloud the shell's plugins share: the client with its cached token, the
/// current campaign, and the campaign names completion offers.
public actor OrgSession {
    public private(set) var settings: ConnectionSettings?
    /// `nil` after `logout`, until `login`.
    private var client: GenesysClient?
    private let clientConfiguration: GenesysClient.Configuration
    public private(set) var current: CampaignReference?
    /// Names and ids for Tab completion; read synchronously by the input thread.
    public nonisolated let names = CampaignNameCache()
    /// The token's rate-limit window as the API last reported it.
    public nonisolated let rateLimit = RateLimitMonitor()
    private var refreshTask: Task<Void, Never>?
    /// While a runbook is planned: the org as the plan leaves it, and the current campaign before it began.
    private var planning: (plan: PlannedOrg, current: CampaignReference?)?

    /// - Parameter configurationProblem: why the configuration named no usable org (a profile without a
    ///   region, say). Commands that need the org report it; the others (help, audit, …) still run.
    public init(
        settings: ConnectionSettings?, configurationProblem: String? = nil,
        clientConfiguration: GenesysClient.Configuration = .init()
    ) {
        self.settings = settings
        self.configurationProblem = configurationProblem
        var clientConfiguration = clientConfiguration
        let monitor = rateLimit
        let observer = clientConfiguration.observer
        clientConfiguration.observer = { record in
            monitor.record(record)
            observer?(record)
        }
        self.clientConfiguration = clientConfiguration
        self.client = settings.map {
            GenesysClient(environment: $0.environment, credentials: $0.credentials, configuration: clientConfiguration)
        }
    }

    /// The client, or why there is none. The first call runs the first-use work (``onFirstUse(_:)``) before
    /// it returns; later and concurrent calls wait for that same run.
    public func connectedClient() async throws(OrgSessionError) -> GenesysClient {
        guard settings != nil else { throw notConfigured }
        guard let client else { throw .loggedOut }
        if let firstUse, firstUseRun == nil { firstUseRun = Task { await firstUse(client) } }
        await firstUseRun?.value
        return planning.map { client.planning(with: $0.plan) } ?? client
    }

    /// Work to do once, before the first command that uses the org: closing what a shell killed earlier
    /// left unfinished. It is given the client itself (never a plan's).
    public func onFirstUse(_ work: @escaping @Sendable (GenesysClient) async -> Void) {
        firstUse = work
    }

    private var firstUse: (@Sendable (GenesysClient) async -> Void)?
    private var firstUseRun: Task<Void, Never>?

    /// The plan commands are running against, if one is.
    public var plan: PlannedOrg? { planning?.plan }

    /// From now on, commands change a plan of the org instead of the org (``PlannedOrg``).
    public func beginPlan() -> PlannedOrg {
        let plan = PlannedOrg()
        planning = (plan, current)
        return plan
    }

    /// Back to the org itself, with the current campaign as it was before the plan.
    public func endPlan() {
        guard let planning else { return }
        current = planning.current
        self.planning = nil
    }

    /// Gets a token now (checking the credentials) and returns when it expires.
    public func login() async throws -> AccessToken {
        guard let settings else { throw notConfigured }
        let client =
            self.client
            ?? GenesysClient(
                environment: settings.environment, credentials: settings.credentials, configuration: clientConfiguration
            )
        self.client = client
        return try await client.tokens.token()
    }

    private let configurationProblem: String?

    private var notConfigured: OrgSessionError {
        configurationProblem.map(OrgSessionError.misconfigured) ?? .notConfigured
    }

    /// Forgets the token; commands that need Genesys fail until `login`.
    public func logout() async {
        await client?.tokens.reset()
        client = nil
        current = nil
        await closeNotifications()
    }

    private var notifications: NotificationChannel?

    /// The session's one notification channel (Genesys allows 20 per user and app), for waits and
    /// `watch`; nil while a plan runs, without a client, and with `CAMPAIGNSH_NOTIFICATIONS=off` (for a
    /// proxy that lets HTTP through and silently eats WebSockets: every wait then polls).
    public func notificationChannel() -> NotificationChannel? {
        guard planning == nil, let client, ProcessInfo.processInfo.environment["CAMPAIGNSH_NOTIFICATIONS"] != "off"
        else { return nil }
        if let notifications { return notifications }
        let channel = NotificationChannel(client: client)
        notifications = channel
        return channel
    }

    /// Closes the channel's socket: before the process ends, or when the client changes.
    public func closeNotifications() async {
        await notifications?.close()
        notifications = nil
    }

    /// Switches to another org or client: forgets the token, the current campaign and the name cache.
    public func switchTo(_ settings: ConnectionSettings) async {
        await closeNotifications()
        self.settings = settings
        client = GenesysClient(
            environment: settings.environment, credentials: settings.credentials, configuration: clientConfiguration)
        current = nil
        names.replace(with: [])
    }

    public func use(_ campaign: CampaignReference?) {
        current = campaign
    }

    /// Refreshes the completion names in the background; errors leave the old names.
    public func refreshNames() {
        guard let client, refreshTask == nil else { return }
        refreshTask = Task { [names] in
            if let campaigns = try? await client.campaigns() {
                names.replace(
                    with: campaigns.compactMap { campaign in
                        campaign.id.map { CampaignReference(id: $0, name: campaign.name ?? $0) }
                    })
            }
            self.refreshFinished()
        }
    }

    private func refreshFinished() {
        refreshTask = nil
    }
}

public enum OrgSessionError: Error, Equatable, CustomStringConvertible {
    case notConfigured
    case misconfigured(String)
    case loggedOut

    public var description: String {
        switch self {
        case .notConfigured:
            "no Genesys Cloud org configured: set GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET and GENESYS_REGION, "
                + "use a profile, or start with --sandbox"
        case .misconfigured(let problem): problem
        case .loggedOut: "logged out; use 'login'"
        }
    }
}

/// Campaign names and ids for completion: written by background refreshes, read by the input thread.
public final class CampaignNameCache: Sendable {
    private let references = Mutex<[CampaignReference]>([])

    public init() {}

    public var all: [CampaignReference] { references.withLock { $0 } }

    public func replace(with new: [CampaignReference]) {
        references.withLock { $0 = new }
    }
}
