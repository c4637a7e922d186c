/// How the emulator behaves where the real service is configurable, or where public sources disagree
/// or are silent (the ❓ of docs/genesys-api.md).
///
/// Each open behaviour is an option whose default is today's guess, so a test can pin either answer.
public struct EmulatorConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port = 0
    public var clientID = "campaignsh-sandbox"
    public var clientSecret = "sandbox-secret"
    /// Requests per token per ``rateLimitWindow`` (`client.credentials.token.rate.per.minute`, default 300).
    public var rateLimit = 300
    /// The rate limit's window: a minute at Genesys; shorter only so that a benchmark crosses a few windows quickly.
    public var rateLimitWindow: Duration = .seconds(60)
    /// A guess: how long `stopping` (and `forced_stopping`) lasts before the campaign is `off` (`forced_off`);
    /// in reality it can take minutes (TF #683).
    public var stoppingDelay: Duration = .seconds(2)
    /// A guess: how long after `POST …/start` the campaign still reads `off` before it is `on` (the
    /// start is a command the dialer carries out; no source says whether it is ever seen off after the
    /// answer). Zero, the default: `on` at once, as a `PUT` of `on` is.
    public var startDelay: Duration = .zero
    /// A guess: whether `stopping → off` (and `forced_stopping → forced_off`) bumps `version`.
    public var stopBumpsVersion = false
    /// A guess: the status `POST …/stop` answers on a campaign that is not running (off, complete, invalid,
    /// forced_off): 204 as if stopped, or 400 with an invalid-transition message.
    public var stopWhenNotRunningStatus = 204
    /// A guess: whether `on` is accepted while the campaign's `errors` is not empty (default: refused).
    public var allowOnWithErrors = false
    /// A guess: whether `forced_off → off` is refused (default: accepted).
    public var refuseForcedOffToOff = false
    /// A guess: `linesUtilization.totalAvailableOutboundLines` in the stats of a campaign that is not on.
    public var idleAvailableOutboundLines = 300
    /// A guess: whether `GET /outbound/campaigns` lists complete campaigns or summaries.
    public var listEntities: ListEntities = .full
    /// `expires_in` of issued tokens; Genesys's default is 24 h.
    public var tokenLifetimeSeconds = 86_400
    /// The status of a refused token request: no source says whether Genesys sends 400 or 401.
    public var authenticationFailureStatus = 401
    /// The status of a stale `version`: 409, or 400 with a version message (both occur: docs/genesys-api.md, "Stale version").
    public var versionConflictStatus = 409
    /// A guess: the `code` of a stale-version error; the real one for campaigns is not public.
    public var versionConflictCode = "general.conflict"
    /// A guess: what `DELETE …/campaigns/{id}` does to a campaign a schedule, rule or sequence names.
    public var referencedCampaignDelete: ReferencedDelete = .cascade
    /// Contacts an `on` campaign calls per minute of emulator time while it can dial (in its callable
    /// hours, its list imported, an idle agent where it needs one); time moves only through
    /// `POST /emulator/v1/clock`, so progress is the test's to drive.
    public var callsPerMinute = 10
    /// How often a channel's socket gets a `channel.metadata` heartbeat. ❓ Genesys's period is not
    /// documented; clients are seen to treat 35 s of silence as a dead socket.
    public var notificationHeartbeat: Duration = .seconds(30)
    /// A guess: whether a client's `{"message":"ping"}` is answered with a `pong` on `channel.metadata`
    /// (as third-party clients say; no SDK documents it).
    public var answersPings = true
    /// Campaigns allowed `on`, `stopping` or `forced_stopping` at once.
    public var maxActiveCampaigns = 50
    /// The org's campaigns and queues.
    public var seed: EmulatorSeed = .demoOrg

    public init() {}

    /// Not documented: whether Genesys refuses to delete a referenced campaign or drops the references.
    public enum ReferencedDelete: String, Sendable, CaseIterable {
        /// The schedule is deleted, rules and sequences lose the campaign.
        case cascade
        /// 409, naming what references it.
        case refuse
    }

    /// What the entities of a campaign listing hold. The SDK types them as `Campaign`; whether the real
    /// service sends every field is not public.
    public enum ListEntities: String, Sendable, CaseIterable {
        /// The complete campaign, as `GET …/campaigns/{id}` serves it.
        case full
        /// Only ``summaryFields``; `GET` by id still serves the complete campaign.
        case summary

        /// The fields a summary entity keeps.
        public static let summaryFields = [
            "id", "name", "version", "campaignStatus", "dialingMode", "queue", "contactList", "division", "errors",
            "dateModified", "selfUri",
        ]
    }
}
