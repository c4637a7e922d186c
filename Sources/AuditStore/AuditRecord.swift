import Foundation

/// What happened to one attempt: one row of the audit trail (docs/ARCHITECTURE.md, "The audit record").
public struct AuditEntry: Sendable, Equatable {
    public var time: Date
    public var actor: AuditActor
    /// Identifies the shell session that made the attempt.
    public var session: String
    /// The command as typed, with secrets removed.
    public var command: String
    public var campaignID: String?
    public var campaignName: String?
    /// `activate`, `pause`, …, or `webhook` for a delivery.
    public var verb: String
    public var fromStatus: String?
    public var toStatus: String?
    public var outcome: AuditOutcome
    /// 1 for the first try.
    public var attempt: Int
    public var versionBefore: Int?
    public var versionAfter: Int?
    public var latencyMs: Int?
    public var httpStatus: Int?
    public var correlationID: String?
    /// The checks an operator bypassed, comma-separated, and why.
    public var overrideChecks: String?
    public var overrideReason: String?
    public var errorMessage: String?
    /// Links the rows of one mutating request: its `intent`, written before it is sent, and what followed
    /// (retried attempts, the outcome, or `interrupted` when a later shell found it unfinished).
    public var requestID: String?

    public init(
        time: Date = Date(), actor: AuditActor, session: String, command: String, campaignID: String? = nil,
        campaignName: String? = nil, verb: String, fromStatus: String? = nil, toStatus: String? = nil,
        outcome: AuditOutcome, attempt: Int = 1, versionBefore: Int? = nil, versionAfter: Int? = nil,
        latencyMs: Int? = nil, httpStatus: Int? = nil, correlationID: String? = nil, overrideChecks: String? = nil,
        overrideReason: String? = nil, errorMessage: String? = nil, requestID: String? = nil
    ) {
        self.time = time
        self.actor = actor
        self.session = session
        self.command = command
        self.campaignID = campaignID
        self.campaignName = campaignName
        self.verb = verb
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.outcome = outcome
        self.attempt = attempt
        self.versionBefore = versionBefore
        self.versionAfter = versionAfter
        self.latencyMs = latencyMs
        self.httpStatus = httpStatus
        self.correlationID = correlationID
        self.overrideChecks = overrideChecks
        self.overrideReason = overrideReason
        self.errorMessage = errorMessage
        self.requestID = requestID
    }
}

/// Who acted: the profile and OAuth client, and the operating-system user and host.
public struct AuditActor: Sendable, Equatable {
    public var profile: String?
    public var clientID: String?
    public var osUser: String
    public var host: String
    /// The org: its region (key or domain) when one was named, and the API's base URL.
    public var region: String?
    public var apiBase: String?

    public init(
        profile: String?, clientID: String?, osUser: String, host: String, region: String? = nil,
        apiBase: String? = nil
    ) {
        self.profile = profile
        self.clientID = clientID
        self.osUser = osUser
        self.host = host
        self.region = region
        self.apiBase = apiBase
    }

    /// The current OS user and host, with the given org and client.
    public static func current(
        profile: String?, clientID: String?, region: String? = nil, apiBase: String? = nil
    ) -> AuditActor {
        let environment = ProcessInfo.processInfo.environment
        return AuditActor(
            profile: profile, clientID: clientID, osUser: environment["USER"] ?? environment["LOGNAME"] ?? NSUserName(),
            host: ProcessInfo.processInfo.hostName, region: region, apiBase: apiBase
        )
    }
}

/// How an attempt ended.
public enum AuditOutcome: String, Sendable, CaseIterable {
    case success
    case noop
    case conflictRetry = "conflict_retry"
    case refused
    case dryRun = "dry_run"
    case error
    /// About to send a mutating request: durable before it leaves, closed by the rows that follow.
    case intent
    /// An attempt the client sent again (no answer, or a status worth retrying): it may have taken effect.
    case retried
    /// An intent its shell never closed (killed, crashed), closed by a later shell with what it found.
    case interrupted
}

/// A stored row: the entry with its place in the chain.
public struct AuditRecord: Sendable, Equatable {
    public var seq: Int64
    public var entry: AuditEntry
    public var prevHash: String
    public var hash: String
    /// The version of the hash input: which columns `hash` covers.
    public var hashVersion: Int

    /// This row as an anchor for a later `verify`.
    public var anchor: AuditAnchor { AuditAnchor(seq: seq, hash: hash) }
}

/// The shell session's identity in the audit: one id per process run.
public struct AuditSession: Sendable {
    public let id: String

    public init(id: String) {
        self.id = id
    }
}
