/// How the emulator behaves where the real service is configurable, or where public sources disagree
/// or are silent (the **I** facts of genesys-api.md).
public struct EmulatorConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port = 0
    public var clientID = "campaignsh-sandbox"
    public var clientSecret = "sandbox-secret"
    /// Requests per token per minute (`client.credentials.token.rate.per.minute`, default 300).
    public var rateLimitPerMinute = 300
    /// How long `stopping` (and `forced_stopping`) lasts before the campaign is `off` (`forced_off`).
    public var stoppingDelay: Duration = .seconds(2)
    /// `expires_in` of issued tokens; Genesys's default is 24 h.
    public var tokenLifetimeSeconds = 86_400
    /// The status of a refused token request: no source says whether Genesys sends 400 or 401.
    public var authenticationFailureStatus = 401
    /// The status of a stale `version`: 409, or 400 with a version message (both occur, genesys-api.md §5).
    public var versionConflictStatus = 409
    /// The `code` of a stale-version error; the real one for campaigns is not public.
    public var versionConflictCode = "general.conflict"
    /// Campaigns allowed `on`, `stopping` or `forced_stopping` at once.
    public var maxActiveCampaigns = 50
    /// The org's campaigns and queues.
    public var seed: EmulatorSeed = .demoOrg

    public init() {}
}
