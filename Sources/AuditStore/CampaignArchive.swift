import Foundation
import GRDB

/// A campaign as it was before `archive` deleted it from Genesys.
public struct ArchivedCampaign: Sendable, Equatable {
    public var id: Int64
    public var campaignID: String
    public var name: String
    /// The campaign's full JSON as Genesys returned it.
    public var snapshot: String
    public var archivedAt: Date
    public var restoredAs: String?
    public var restoredAt: Date?

    public init(
        id: Int64, campaignID: String, name: String, snapshot: String, archivedAt: Date, restoredAs: String? = nil,
        restoredAt: Date? = nil
    ) {
        self.id = id
        self.campaignID = campaignID
        self.name = name
        self.snapshot = snapshot
        self.archivedAt = archivedAt
        self.restoredAs = restoredAs
        self.restoredAt = restoredAt
    }

    /// The archive's table, made where it is missing by `AuditTable.prepare`; a change to it must also reach
    /// the files that have it already.
    static let createTable = """
        CREATE TABLE IF NOT EXISTS archives (
            id INTEGER PRIMARY KEY,
            campaign_id TEXT NOT NULL, name TEXT NOT NULL, snapshot TEXT NOT NULL,
            archived_at_ms INTEGER NOT NULL, restored_as TEXT, restored_at_ms INTEGER
        )
        """
}

extension AuditStore {
    /// Keeps a campaign's snapshot; durable when this returns.
    @discardableResult
    public func archive(campaignID: String, name: String, snapshot: String) async throws(AuditStoreError)
        -> ArchivedCampaign
    {
        let now = Date()
        do {
            return try await database.write { db in
                let arguments: StatementArguments = [campaignID, name, snapshot, AuditChain.timeMilliseconds(now)]
                // An archive run again before its DELETE landed (killed, failed) refreshes its entry: one
                // entry per campaign archived, the latest snapshot.
                let earlier = try Int64.fetchOne(
                    db, sql: "SELECT id FROM archives WHERE campaign_id = ? AND restored_as IS NULL ORDER BY id DESC",
                    arguments: [campaignID])
                if let earlier {
                    try db.execute(
                        sql:
                            "UPDATE archives SET campaign_id = ?, name = ?, snapshot = ?, archived_at_ms = ? WHERE id = ?",
                        arguments: arguments + [earlier])
                } else {
                    try db.execute(
                        sql: "INSERT INTO archives (campaign_id, name, snapshot, archived_at_ms) VALUES (?, ?, ?, ?)",
                        arguments: arguments)
                }
                return ArchivedCampaign(
                    id: earlier ?? db.lastInsertedRowID, campaignID: campaignID, name: name, snapshot: snapshot,
                    archivedAt: now)
            }
        } catch {
            throw AuditStoreError("cannot write the archive in \(path): \(error)")
        }
    }

    /// Every archived campaign, oldest first.
    public func archives() throws(AuditStoreError) -> [ArchivedCampaign] {
        do {
            return try database.read { db in
                try Row.fetchAll(
                    db,
                    sql:
                        "SELECT id, campaign_id, name, snapshot, archived_at_ms, restored_as, restored_at_ms FROM archives ORDER BY id"
                ).map { row in
                    ArchivedCampaign(
                        id: row[0], campaignID: row[1], name: row[2], snapshot: row[3],
                        archivedAt: Date(timeIntervalSince1970: Double(row[4] as Int64) / 1000), restoredAs: row[5],
                        restoredAt: (row[6] as Int64?).map { Date(timeIntervalSince1970: Double($0) / 1000) }
                    )
                }
            }
        } catch {
            throw AuditStoreError("cannot read the archive in \(path): \(error)")
        }
    }

    /// Records that archive `id` was restored as the campaign `newID`.
    public func markRestored(_ id: Int64, as newID: String) async throws(AuditStoreError) {
        do {
            try await database.write { db in
                try db.execute(
                    sql: "UPDATE archives SET restored_as = ?, restored_at_ms = ? WHERE id = ?",
                    arguments: [newID, AuditChain.timeMilliseconds(Date()), id]
                )
            }
        } catch {
            throw AuditStoreError("cannot write the archive in \(path): \(error)")
        }
    }
}
