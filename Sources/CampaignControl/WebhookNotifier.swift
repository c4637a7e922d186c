import AsyncHTTPClient
import AuditStore
import Crypto
import Foundation
import GenesysCloud
import NIOCore
import NIOHTTP1

/// Where state changes are announced: the WFM system's URL, and the environment variable holding the
/// signing secret (the secret itself is never stored or shown).
public struct WebhookConfiguration: Sendable, Equatable {
    public let url: URL
    public let secretVariable: String?

    /// - Throws: a message when the URL is not https (or http to this machine).
    public init(url text: String, secretVariable: String?) throws(ConfigurationError) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty
        else {
            throw ConfigurationError("'\(text)' is not an http(s) URL with a host")
        }
        guard scheme == "https" || (scheme == "http" && GenesysEnvironment.isLoopback(host)) else {
            throw ConfigurationError("'\(text)' must use https (plain http is for loopback addresses only)")
        }
        self.url = url
        self.secretVariable = secretVariable
    }
}

/// The `campaign_state_changed` event sent to the WFM webhook.
public struct CampaignStateChange: Sendable, Codable, Equatable {
    public struct CampaignState: Sendable, Codable, Equatable {
        public var status: String?
        public var lifecycle: String?

        public init(status: String?, lifecycle: String?) {
            self.status = status
            self.lifecycle = lifecycle
        }
    }

    public struct Actor: Sendable, Codable, Equatable {
        public var profile: String?
        public var clientId: String?
        public var osUser: String
        public var host: String
    }

    public var event = "campaign_state_changed"
    public var campaignId: String
    public var campaignName: String?
    public var previous: CampaignState
    public var current: CampaignState
    public var actor: Actor
    public var time: String
    public var auditSeq: Int64?
    /// `SEQ:HASH` of the audit row: kept by the receiver, `audit verify --anchor` shows the row is still there.
    public var auditAnchor: String?

    public init(
        campaignId: String, campaignName: String?, previous: CampaignState, current: CampaignState, actor: AuditActor,
        time: Date = Date(), audit anchor: AuditAnchor?
    ) {
        self.campaignId = campaignId
        self.campaignName = campaignName
        self.previous = previous
        self.current = current
        self.actor = Actor(profile: actor.profile, clientId: actor.clientID, osUser: actor.osUser, host: actor.host)
        self.time = time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        self.auditSeq = anchor?.seq
        self.auditAnchor = anchor?.description
    }
}

/// How one delivery ended.
public struct WebhookDelivery: Sendable, Equatable {
    public var id: String
    public var attempts: Int
    public var status: Int?
    public var latency: Duration
    public var error: String?

    public var succeeded: Bool { error == nil }
}

/// Posts events to the WFM webhook in the background, signed, retried with backoff, and audited;
/// a slow or failing webhook never holds up or fails the transition that triggered it.
public actor WebhookNotifier {
    /// Sends: `X-Campaignsh-Signature: sha256=<hex HMAC-SHA256 of the body>` when a secret is set,
    /// `X-Campaignsh-Event` and `X-Campaignsh-Delivery` (the same id on every retry, for deduplication).
    public static let signatureHeader = "X-Campaignsh-Signature"
    /// The verb of a delivery's audit row.
    public static let auditVerb = "webhook"

    public private(set) var configuration: WebhookConfiguration?
    public private(set) var lastDelivery: WebhookDelivery?
    private let environment: [String: String]
    private let audit: AuditLog?
    private let auditContext: (actor: AuditActor, session: String)
    /// The API client's policy (backoff, `Retry-After`, bounded attempts); a receiver's 500 and 408 count
    /// as transient too, since a WFM system answers them while it restarts.
    private let retryPolicy: RetryPolicy
    public static let retryPolicy = RetryPolicy(
        baseDelay: .milliseconds(500), transientStatuses: RetryPolicy.gatewayStatuses.union([500, 408])
    )
    private var pending: [String: Task<WebhookDelivery, Never>] = [:]

    public init(
        configuration: WebhookConfiguration?, environment: [String: String], audit: AuditLog?, actor: AuditActor,
        session: String, retryPolicy: RetryPolicy = WebhookNotifier.retryPolicy
    ) {
        self.configuration = configuration
        self.environment = environment
        self.audit = audit
        self.auditContext = (actor, session)
        self.retryPolicy = retryPolicy
    }

    public func configure(_ configuration: WebhookConfiguration?) {
        self.configuration = configuration
    }

    /// Whether the configured secret variable holds a value.
    public var hasSecret: Bool {
        configuration?.secretVariable.flatMap { environment[$0] }.map { !$0.isEmpty } ?? false
    }

    public var pendingCount: Int { pending.count }

    /// Announces a state change in the background; returns at once.
    public func notify(_ change: CampaignStateChange, command: String) {
        guard configuration != nil, let body = try? Self.encoder.encode(change) else { return }
        let id = UUID().uuidString.lowercased()
        pending[id] = Task {
            let delivery = await self.deliver(
                body, id: id, event: change.event, command: command, campaign: (change.campaignId, change.campaignName))
            self.finished(id)
            return delivery
        }
    }

    /// Sends a test event and waits for the outcome.
    public func test(command: String) async -> WebhookDelivery {
        let body = Data(#"{"event":"webhook_test","time":"\#(Date().formatted(Date.ISO8601FormatStyle()))"}"#.utf8)
        return await deliver(
            body, id: UUID().uuidString.lowercased(), event: "webhook_test", command: command, campaign: nil)
    }

    /// Waits (up to `timeout`) for deliveries still under way, e.g. before the shell exits.
    public func drain(timeout: Duration) async {
        let tasks = Array(pending.values)
        guard !tasks.isEmpty else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for task in tasks { _ = await task.value } }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func finished(_ id: String) {
        pending[id] = nil
    }

    private func deliver(
        _ body: Data, id: String, event: String, command: String, campaign: (id: String, name: String?)?
    ) async -> WebhookDelivery {
        guard let configuration else {
            return WebhookDelivery(id: id, attempts: 0, status: nil, latency: .zero, error: "no webhook configured")
        }
        var request = HTTPClientRequest(url: configuration.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "campaignsh")
        request.headers.add(name: "X-Campaignsh-Event", value: event)
        request.headers.add(name: "X-Campaignsh-Delivery", value: id)
        if let secret = configuration.secretVariable.flatMap({ environment[$0] }), !secret.isEmpty {
            request.headers.add(name: Self.signatureHeader, value: "sha256=" + Self.signature(body, secret: secret))
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let started = ContinuousClock.now
        var delivery = WebhookDelivery(id: id, attempts: 0, status: nil, latency: .zero, error: nil)
        var rateLimited = 0
        while true {
            delivery.attempts += 1
            var retryAfter: Int?
            do {
                let response = try await GenesysClient.sharedHTTPClient.execute(request, timeout: .seconds(10))
                _ = try? await response.body.collect(upTo: 1 << 20)
                delivery.status = Int(response.status.code)
                if (200..<300).contains(response.status.code) {
                    delivery.error = nil
                    break
                }
                delivery.error = "HTTP \(response.status.code)"
                retryAfter = response.headers.first(name: "Retry-After").flatMap { Int($0) }
            } catch {
                delivery.status = nil
                delivery.error = "\(error)"
            }
            // The delivery id lets the receiver drop a repeat: sending it again is harmless.
            let decision = retryPolicy.decide(
                status: delivery.status, retryAfterSeconds: retryAfter, attempt: delivery.attempts,
                rateLimitRetries: rateLimited, idempotent: true, jitter: Double.random(in: 0...1)
            )
            guard case .retry(let wait) = decision else { break }
            if delivery.status == 429 { rateLimited += 1 }
            do { try await Task.sleep(for: wait) } catch { break }
        }
        delivery.latency = ContinuousClock.now - started
        lastDelivery = delivery
        await record(delivery, command: command, campaign: campaign)
        return delivery
    }

    /// One audit row per delivery, with how many attempts it took.
    private func record(_ delivery: WebhookDelivery, command: String, campaign: (id: String, name: String?)?) async {
        guard let store = try? audit?.store() else { return }
        _ = try? await store.append(
            AuditEntry(
                actor: auditContext.actor, session: auditContext.session, command: command, campaignID: campaign?.id,
                campaignName: campaign?.name, verb: Self.auditVerb, outcome: delivery.succeeded ? .success : .error,
                attempt: delivery.attempts, latencyMs: Int(delivery.latency / .milliseconds(1)),
                httpStatus: delivery.status, correlationID: delivery.id, errorMessage: delivery.error
            )
        )
    }

    /// Hex HMAC-SHA256 of `body` with `secret`.
    public static func signature(_ body: Data, secret: String) -> String {
        HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
