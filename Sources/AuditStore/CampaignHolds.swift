import Foundation
import GRDB

/// What `pause --hold` changed so that a campaign stays off, kept as it was so `release` can undo it.
public struct CampaignHold: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The campaign's schedule, deleted: `before` is its document.
        case schedule
        /// A campaign rule that turned it on (or, for an archive, that names it), edited.
        case rule
        /// A sequence that holds it (archives only).
        case sequence
    }

    /// Why it was kept: for `release` after `pause --hold`, or for `restore` after `archive`.
    public enum Purpose: String, Sendable {
        case hold, archive
    }

    public var id: Int64
    public var campaignID: String
    public var kind: Kind
    public var purpose: Purpose
    /// The schedule's, rule's or sequence's id.
    public var entityID: String
    /// The document before the hold changed it.
    public var before: String
    public var heldAt: Date

    /// Made where it is missing by `AuditTable.prepare`, as the archive's table is.
    static let createTable = """
        CREATE TABLE IF NOT EXISTS holds (
            id INTEGER PRIMARY KEY, campaign_id TEXT NOT NULL, kind TEXT NOT NULL, entity_id TEXT NOT NULL,
            before TEXT NOT NULL, held_at_ms INTEGER NOT NULL, released_at_ms INTEGER,
            purpose TEXT NOT NULL DEFAULT 'hold'
        )
        """
}

extension AuditStore {
    /// Keeps what a hold is about to change; durable when this returns, before the change is sent.
    public func hold(
        campaignID: String, kind: CampaignHold.Kind, entityID: String, before: String,
        purpose: CampaignHold.Purpose = .hold
    ) async throws(AuditStoreError) -> CampaignHold {
        let now = Date()
        do {
            return try await database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO holds (campaign_id, kind, entity_id, before, held_at_ms, purpose)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        campaignID, kind.rawValue, entityID, before, AuditChain.timeMilliseconds(now), purpose.rawValue,
                    ])
                return CampaignHold(
                    id: db.lastInsertedRowID, campaignID: campaignID, kind: kind, purpose: purpose, entityID: entityID,
                    before: before, heldAt: now)
            }
        } catch {
            throw AuditStoreError("cannot write the holds in \(path): \(error)")
        }
    }

    /// The holds on `campaignID` (or what its archive kept) not released yet, oldest first.
    public func holds(of campaignID: String, purpose: CampaignHold.Purpose = .hold) throws(AuditStoreError)
        -> [CampaignHold]
    {
        do {
            return try database.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, campaign_id, kind, entity_id, before, held_at_ms FROM holds
                        WHERE campaign_id = ? AND purpose = ? AND released_at_ms IS NULL ORDER BY id
                        """, arguments: [campaignID, purpose.rawValue]
                ).compactMap { row in
                    CampaignHold.Kind(rawValue: row[2]).map { kind in
                        CampaignHold(
                            id: row[0], campaignID: row[1], kind: kind, purpose: purpose, entityID: row[3],
                            before: row[4],
                            heldAt: Date(timeIntervalSince1970: Double(row[5] as Int64) / 1000))
                    }
                }
            }
        } catch {
            throw AuditStoreError("cannot read the holds in \(path): \(error)")
        }
    }

    public func markReleased(_ id: Int64) async throws(AuditStoreError) {
        do {
            try await database.write { db in
                try db.execute(
                    sql: "UPDATE holds SET released_at_ms = ? WHERE id = ?",
                    arguments: [AuditChain.timeMilliseconds(Date()), id])
            }
        } catch {
            throw AuditStoreError("cannot write the holds in \(path): \(error)")
        }
    }
}
