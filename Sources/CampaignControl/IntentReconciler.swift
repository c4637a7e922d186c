import AuditStore
import Foundation
import GenesysCloud

/// Closes the intents a killed or crashed shell left open: each is checked against the server (what the
/// campaign is now) and gets an `interrupted` row that says so. Intents of shells still running (their
/// session lock is held) are theirs to close, and left alone.
public struct IntentReconciler: Sendable {
    public let client: GenesysClient
    public let audit: AuditLog
    public let actor: AuditActor
    public let session: String

    public init(client: GenesysClient, audit: AuditLog, actor: AuditActor, session: String) {
        self.client = client
        self.audit = audit
        self.actor = actor
        self.session = session
    }

    /// The rows written, one per intent closed.
    @discardableResult
    public func reconcile() async throws -> [AuditRecord] {
        let store = try audit.store()
        var closed: [AuditRecord] = []
        for intent in try store.openIntents() where !store.isSessionRunning(intent.entry.session) {
            closed.append(try await store.append(try await interruptedRow(for: intent.entry)))
        }
        return closed
    }

    /// What became of an intent's campaign, as its `interrupted` row.
    private func interruptedRow(for intent: AuditEntry) async throws -> AuditEntry {
        let sent = intent.errorMessage.map { $0.replacingOccurrences(of: "sending ", with: "") } ?? intent.verb
        var now: Campaign?
        var found: String
        do {
            if let id = intent.campaignID, !id.isEmpty {
                now = try await client.campaign(id: id)
                found =
                    "it is now \(now?.campaignStatus?.rawValue ?? "of unknown status")"
                    + (now?.version.map { " (version \($0))" } ?? "")
            } else {
                found = "it named no campaign to read"
            }
        } catch let error as GenesysError where error.status == 404 {
            found = "it no longer exists"
        }
        var row = intent
        row.time = Date()
        row.actor = actor
        row.outcome = .interrupted
        row.toStatus = now?.campaignStatus?.rawValue ?? (found == "it no longer exists" ? "archived" : nil)
        row.versionAfter = now?.version
        row.latencyMs = nil
        row.httpStatus = nil
        row.correlationID = nil
        row.errorMessage =
            "session \(intent.session.prefix(8)) ended while sending \(sent) (may have taken effect); "
            + "found by session \(session.prefix(8)): \(found)"
        return row
    }
}
