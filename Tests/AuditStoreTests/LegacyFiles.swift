import Foundation
import GRDB
import Testing

@testable import AuditStore

/// Audit files as earlier versions made them, holding rows those versions wrote: the schema is theirs, and
/// the rows are a `.dump` of a file made by the code before `hash_version` from `entries`.
enum LegacyFile: String, CaseIterable, CustomTestStringConvertible, Sendable {
    /// Made by GRDB's migrator: no `user_version`, no archive.
    case beforeUserVersion
    /// `user_version` 2: the audit table and the archive, without `hash_version`.
    case beforeHashVersion

    var testDescription: String { rawValue }

    /// Makes the file at `path` with all the rows but the last; returns how many.
    @discardableResult
    func make(at path: String) throws -> Int {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            switch self {
            case .beforeUserVersion:
                try db.execute(sql: Self.auditTable.replacingOccurrences(of: " IF NOT EXISTS", with: ""))
                try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('audit v1')")
            case .beforeHashVersion:
                try db.execute(sql: Self.auditTable + Self.archiveTable + "PRAGMA user_version = 2;")
            }
            for row in Self.rows.dropLast() { try db.execute(sql: Self.insert + row) }
        }
        return Self.rows.count - 1
    }

    /// An older campaignsh still appending after this one opened the file.
    static func appendLastRow(at path: String) throws {
        try DatabaseQueue(path: path).write { try $0.execute(sql: insert + rows.last!) }
    }

    static let auditTable = """
        CREATE TABLE IF NOT EXISTS audit (
            seq INTEGER PRIMARY KEY,
            time_ms INTEGER NOT NULL,
            actor_profile TEXT, actor_client_id TEXT, actor_os_user TEXT NOT NULL, actor_host TEXT NOT NULL,
            session TEXT NOT NULL, command TEXT NOT NULL,
            campaign_id TEXT, campaign_name TEXT, verb TEXT NOT NULL, from_status TEXT, to_status TEXT,
            outcome TEXT NOT NULL, attempt INTEGER NOT NULL, version_before INTEGER, version_after INTEGER,
            latency_ms INTEGER, http_status INTEGER, correlation_id TEXT,
            override_checks TEXT, override_reason TEXT, error_message TEXT,
            prev_hash TEXT NOT NULL, hash TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS audit_time ON audit(time_ms);
        CREATE INDEX IF NOT EXISTS audit_campaign ON audit(campaign_id);
        """

    static let archiveTable = """
        CREATE TABLE IF NOT EXISTS archives (
            id INTEGER PRIMARY KEY,
            campaign_id TEXT NOT NULL, name TEXT NOT NULL, snapshot TEXT NOT NULL,
            archived_at_ms INTEGER NOT NULL, restored_as TEXT, restored_at_ms INTEGER
        );
        """

    /// The columns that code inserted.
    static let legacyColumns = """
        seq, time_ms, actor_profile, actor_client_id, actor_os_user, actor_host, session, command, campaign_id, \
        campaign_name, verb, from_status, to_status, outcome, attempt, version_before, version_after, latency_ms, \
        http_status, correlation_id, override_checks, override_reason, error_message, prev_hash, hash
        """

    static let insert = "INSERT INTO audit (\(legacyColumns)) VALUES "

    static let rows = [
        """
        (1,1796083200123,'prod','client-1','alice','ops-1','s-1','pause Q4_1','id-1','Q4_1','pause','on','off',\
        'success',1,3,4,120,200,'corr-1',NULL,NULL,NULL,\
        '0000000000000000000000000000000000000000000000000000000000000000',\
        '5b28b1f1226e90cc8f34ba724336f4428c401731c764d908081648ed3b2cc85d')
        """,
        """
        (2,1796083201500,NULL,NULL,'bob','ops-2','s-1','activate ''Réactivation''',NULL,NULL,'activate',NULL,NULL,\
        'refused',1234567890,NULL,NULL,NULL,NULL,NULL,'agents,lines','',\
        replace('Réactivation "Clients", 2026\\n✓ | 12:x|','\\n',char(10)),\
        '5b28b1f1226e90cc8f34ba724336f4428c401731c764d908081648ed3b2cc85d',\
        'ced978695dc3377ab84887969061db86eec856e58f6bea2245b045fc79ad7803')
        """,
        """
        (3,-1,'prod','client-1','alice','ops-1','','archive ''''','id-3','','archive','off',NULL,'conflict_retry',\
        2,-1,0,0,409,'',NULL,NULL,NULL,\
        'ced978695dc3377ab84887969061db86eec856e58f6bea2245b045fc79ad7803',\
        '8725fcf4a85fb926d73b838abb831bcbde94b77cf2756082b51b68cbec5b5da4')
        """,
        """
        (4,1796083260000,'prod','client-1','alice','ops-1','s-2','webhook test',NULL,NULL,'webhook',NULL,NULL,\
        'dry_run',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,\
        '8725fcf4a85fb926d73b838abb831bcbde94b77cf2756082b51b68cbec5b5da4',\
        '86663c69c68ccc1e1e2a26bcc461ad71e8c5ea52d2c9e5091cba9303f0aab2b4')
        """,
    ]

    static let hashes = [
        "5b28b1f1226e90cc8f34ba724336f4428c401731c764d908081648ed3b2cc85d",
        "ced978695dc3377ab84887969061db86eec856e58f6bea2245b045fc79ad7803",
        "8725fcf4a85fb926d73b838abb831bcbde94b77cf2756082b51b68cbec5b5da4",
        "86663c69c68ccc1e1e2a26bcc461ad71e8c5ea52d2c9e5091cba9303f0aab2b4",
    ]

    /// What was appended to make `rows`.
    static let entries: [AuditEntry] = {
        let actor = AuditActor(profile: "prod", clientID: "client-1", osUser: "alice", host: "ops-1")
        return [
            AuditEntry(
                time: Date(timeIntervalSince1970: 1_796_083_200.123), actor: actor, session: "s-1",
                command: "pause Q4_1", campaignID: "id-1", campaignName: "Q4_1", verb: "pause", fromStatus: "on",
                toStatus: "off", outcome: .success, attempt: 1, versionBefore: 3, versionAfter: 4, latencyMs: 120,
                httpStatus: 200, correlationID: "corr-1"),
            AuditEntry(
                time: Date(timeIntervalSince1970: 1_796_083_201.5),
                actor: AuditActor(profile: nil, clientID: nil, osUser: "bob", host: "ops-2"), session: "s-1",
                command: "activate 'Réactivation'", verb: "activate", outcome: .refused, attempt: 1_234_567_890,
                overrideChecks: "agents,lines", overrideReason: "",
                errorMessage: "Réactivation \"Clients\", 2026\n✓ | 12:x|"),
            AuditEntry(
                time: Date(timeIntervalSince1970: -0.001), actor: actor, session: "", command: "archive ''",
                campaignID: "id-3", campaignName: "", verb: "archive", fromStatus: "off", outcome: .conflictRetry,
                attempt: 2, versionBefore: -1, versionAfter: 0, latencyMs: 0, httpStatus: 409, correlationID: ""),
            AuditEntry(
                time: Date(timeIntervalSince1970: 1_796_083_260), actor: actor, session: "s-2", command: "webhook test",
                verb: "webhook", outcome: .dryRun),
        ]
    }()
}
