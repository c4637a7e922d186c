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
                "override_reason", "error_message", "prev_hash", "hash", "hash_version", "org_region", "org_api_base",
                "request_id",
            ])
    }
}

extension ExportTests {
    /// What `audit export` writes for one row, read straight from SQLite's bytes: every column in the
    /// header's order, times as UTC timestamps, nulls as null (JSON) or empty (CSV), text escaped.
    @Test func rowsAreWrittenAsStoredWithTimesAsTimestampsAndNullsEmpty() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "audit-\(UUID())")
        let store = try AuditStore(path: folder.appending(path: "audit.sqlite").path)
        let record = try await store.append(
            AuditEntry(
                time: Date(timeIntervalSince1970: 1_796_083_200.123),
                actor: AuditActor(profile: nil, clientID: "client-1", osUser: "alice", host: "ops-1"), session: "s-1",
                command: "pause \"Q4, East\"", campaignName: "Q4", verb: "pause", fromStatus: "on",
                outcome: .conflictRetry, attempt: 2, versionBefore: 3, httpStatus: 409, overrideReason: ""))

        func exported(_ format: OutputFormat) throws -> String {
            let path = folder.appending(path: "export.\(format.rawValue)").path
            let output = try OutputDestination.open(.write(path: path), workingDirectory: folder)
            let stream = OutputRenderer(format: format, color: false).stream(AuditExport.header)
            try AuditExport.write(store, AuditFilter(), stream, to: output, until: StopRequest())
            output.close()
            return try String(contentsOfFile: path, encoding: .utf8)
        }

        let json = try #require(
            JSONSerialization.jsonObject(with: Data(try exported(.jsonl).utf8)) as? [String: Any])
        #expect(Set(json.keys) == Set(AuditExport.header))
        #expect(json["seq"] as? Int == 1 && json["attempt"] as? Int == 2 && json["http_status"] as? Int == 409)
        #expect(json["time"] as? String == "2026-12-01T00:00:00.123Z")
        #expect(json["command"] as? String == "pause \"Q4, East\"")
        #expect(json["actor_profile"] is NSNull && json["to_status"] is NSNull)
        #expect(json["override_reason"] as? String == "")
        #expect(json["hash"] as? String == record.hash)

        let csv = try exported(.csv).split(separator: "\r\n").map(String.init)
        #expect(csv.first == AuditExport.header.joined(separator: ","))
        #expect(
            csv.dropFirst().first
                == "1,2026-12-01T00:00:00.123Z,,client-1,alice,ops-1,s-1,\"pause \"\"Q4, East\"\"\",,Q4,pause,on,,"
                + "conflict_retry,2,3,,,409,,,,,\(String(repeating: "0", count: 64)),\(record.hash),3,,,")
    }

    @Test func aStopRequestEndsTheExportBetweenRows() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "audit-\(UUID())")
        let store = try AuditStore(path: folder.appending(path: "audit.sqlite").path)
        try await store.append(
            AuditEntry(
                actor: AuditActor(profile: nil, clientID: nil, osUser: "alice", host: "ops-1"), session: "s-1",
                command: "pause Q4", verb: "pause", outcome: .success))
        let stop = StopRequest()
        stop.request()
        let stream = OutputRenderer(format: .jsonl, color: false).stream(AuditExport.header)
        #expect(throws: CancellationError.self) {
            try AuditExport.write(store, AuditFilter(), stream, to: .standardError, until: stop)
        }
    }
}
