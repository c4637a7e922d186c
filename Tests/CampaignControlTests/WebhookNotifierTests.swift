import AuditStore
import CampaignControl
import Crypto
import Foundation
import GenesysCloud
import GenesysTestSupport
import Testing

@Suite struct WebhookNotifierTests {
    static let actor = AuditActor(profile: "prod", clientID: "client-1", osUser: "alice", host: "ops-1")
    static let change = CampaignStateChange(
        campaignId: "c-1", campaignName: "Q4, \"East\"", previous: .init(status: "on", lifecycle: "active"),
        current: .init(status: "off", lifecycle: "paused"), actor: actor,
        audit: AuditAnchor(seq: 41, hash: String(repeating: "ab", count: 32))
    )

    static func notifier(_ url: String, audit: AuditLog?, secret: String? = "s3cret") throws -> WebhookNotifier {
        WebhookNotifier(
            configuration: try WebhookConfiguration(url: url, secretVariable: secret == nil ? nil : "HOOK_SECRET"),
            environment: ["HOOK_SECRET": secret ?? ""], audit: audit, actor: actor, session: "session-1",
            retryPolicy: {
                var fast = WebhookNotifier.retryPolicy
                fast.baseDelay = .milliseconds(10)
                return fast
            }()
        )
    }

    static func auditLog() -> AuditLog {
        AuditLog(path: FileManager.default.temporaryDirectory.appending(path: "hooks-\(UUID())/audit.sqlite").path)
    }

    @Test func eventsAreSignedWithHMACSHA256AndAudited() async throws {
        try await WebhookReceiver.withRunning { url, receiver in
            let audit = Self.auditLog()
            let notifier = try Self.notifier(url, audit: audit)
            await notifier.notify(Self.change, command: "pause Q4")
            await notifier.drain(timeout: .seconds(10))
            let deliveries = await receiver.deliveries
            #expect(deliveries.count == 1)
            let delivery = try #require(deliveries.first)
            let expected = HMAC<SHA256>.authenticationCode(
                for: delivery.body, using: SymmetricKey(data: Data("s3cret".utf8))
            )
            .map { String(format: "%02x", $0) }.joined()
            #expect(delivery.headers["x-campaignsh-signature"] == "sha256=\(expected)")
            #expect(delivery.headers["x-campaignsh-event"] == "campaign_state_changed")
            let event = try JSONSerialization.jsonObject(with: delivery.body) as? [String: Any]
            #expect(event?["campaignName"] as? String == "Q4, \"East\"")
            #expect((event?["previous"] as? [String: Any])?["status"] as? String == "on")
            #expect((event?["current"] as? [String: Any])?["lifecycle"] as? String == "paused")
            #expect(event?["auditSeq"] as? Int == 41)
            #expect(event?["auditAnchor"] as? String == "41:" + String(repeating: "ab", count: 32))
            #expect((event?["actor"] as? [String: Any])?["osUser"] as? String == "alice")

            let rows = try audit.store().recent(AuditFilter(verb: "webhook"), limit: 10)
            #expect(rows.map(\.entry.outcome) == [.success])
            #expect(rows.first?.entry.httpStatus == 200)
            #expect(rows.first?.entry.campaignID == "c-1")
            #expect(rows.first?.entry.correlationID == delivery.headers["x-campaignsh-delivery"])
        }
    }

    @Test func serverErrorsAreRetriedWithTheSameDeliveryID() async throws {
        try await WebhookReceiver.withRunning(failFirst: 2) { url, receiver in
            let audit = Self.auditLog()
            let notifier = try Self.notifier(url, audit: audit)
            await notifier.notify(Self.change, command: "pause Q4")
            await notifier.drain(timeout: .seconds(10))
            let deliveries = await receiver.deliveries
            #expect(deliveries.count == 3)
            #expect(Set(deliveries.compactMap { $0.headers["x-campaignsh-delivery"] }).count == 1)
            let row = try audit.store().recent(AuditFilter(verb: "webhook"), limit: 1).first
            #expect(row?.entry.outcome == .success)
            #expect(row?.entry.attempt == 3)
        }
    }

    @Test func aWebhookThatKeepsFailingIsAuditedAsAnError() async throws {
        try await WebhookReceiver.withRunning(failFirst: 100) { url, receiver in
            let audit = Self.auditLog()
            let notifier = try Self.notifier(url, audit: audit, secret: nil)
            let delivery = await notifier.test(command: "webhook test")
            #expect(!delivery.succeeded)
            #expect(delivery.attempts == 5)
            #expect(delivery.error == "HTTP 500")
            #expect(await receiver.deliveries.allSatisfy { $0.headers["x-campaignsh-signature"] == nil })
            let row = try audit.store().recent(AuditFilter(verb: "webhook"), limit: 1).first
            #expect(row?.entry.outcome == .error)
            #expect(row?.entry.errorMessage == "HTTP 500")
        }
    }

    @Test func notifyReturnsBeforeTheDeliveryFinishes() async throws {
        // Port 9 on loopback refuses connections: the delivery retries in the background.
        let notifier = try Self.notifier("http://127.0.0.1:9/hook", audit: nil)
        await notifier.notify(Self.change, command: "pause Q4")
        #expect(await notifier.pendingCount == 1)
        await notifier.drain(timeout: .seconds(10))
        #expect(await notifier.pendingCount == 0)
        #expect(await notifier.lastDelivery?.succeeded == false)
    }

    @Test func onlyHTTPSOrLoopbackHTTPIsAccepted() {
        #expect(throws: ConfigurationError.self) {
            try WebhookConfiguration(url: "http://wfm.example.com/hook", secretVariable: nil)
        }
        #expect(throws: ConfigurationError.self) { try WebhookConfiguration(url: "not a url", secretVariable: nil) }
        #expect((try? WebhookConfiguration(url: "https://wfm.example.com/hook", secretVariable: nil)) != nil)
    }
}
