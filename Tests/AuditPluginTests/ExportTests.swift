import AuditStore
import Foundation
import ShellKit
import Testing

@testable import AuditPlugin

struct ExportTests {
    /// Scripts read exports by these names (and CSV by position): the columns of today keep theirs and
    /// their places, a new one comes after them.
    @Test func theHeaderKeepsEveryColumnNameAndPlace() {
        #expect(
            AuditExport.header == [
                "seq", "time", "actor_profile", "actor_client_id", "actor_os_user", "actor_host", "session",
                "command", "campaign_id", "campaign_name", "verb", "from_status", "to_status", "outcome", "attempt",
                "version_before", "version_after", "latency_ms", "http_status", "correlation_id", "override_checks",
                "override_reason", "error_message", "prev_hash", "hash", "hash_version",
            ])
    }
}

extension ExportTests {
    @Test func cellsFollowTheHeaderWithTimesAsTimestampsAndNullsEmpty() async throws {
        let path = FileManager.default.temporaryDirectory.appending(path: "audit-\(UUID())/audit.sqlite").path
        let record = try await AuditStore(path: path).append(
            AuditEntry(
                time: Date(timeIntervalSince1970: 1_796_083_200.123),
                actor: AuditActor(profile: nil, clientID: "client-1", osUser: "alice", host: "ops-1"), session: "s-1",
                command: "pause Q4", campaignName: "Q4", verb: "pause", fromStatus: "on", outcome: .conflictRetry,
                attempt: 2, versionBefore: 3, httpStatus: 409, overrideReason: ""))
        let cells = AuditExport.cells(record)
        #expect(cells.count == AuditExport.header.count)
        #expect(
            cells == [
                .integer(1), .text("2026-12-01T00:00:00.123Z"), .empty, .text("client-1"), .text("alice"),
                .text("ops-1"), .text("s-1"), .text("pause Q4"), .empty, .text("Q4"), .text("pause"), .text("on"),
                .empty, .text("conflict_retry"), .integer(2), .integer(3), .empty, .empty, .integer(409), .empty,
                .empty, .text(""), .empty, .text(String(repeating: "0", count: 64)), .text(record.hash), .integer(1),
            ])
    }
}
