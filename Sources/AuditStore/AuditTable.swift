import Foundation
import GRDB
import GRDBSQLite

/// The `audit` table: its columns, in order, and everything made from them (the schema, the insert, the
/// reads, the hash input, the export).
///
/// To add a column, add its line here (and its field in `AuditEntry`), with a default in its declaration for
/// the rows written before it, and raise `schemaVersion`; opening a file adds the columns it lacks. A hashed
/// column gets the next hash version as its `hashedSince`: rows written before keep verifying with the
/// columns of theirs.
public enum AuditTable {
    public static let columns: [AuditColumn] = [
        AuditColumn("seq", "INTEGER PRIMARY KEY", hashedSince: 1, { $0.seq.auditValue }, { $0.seq = .read($1, $2) }),
        AuditColumn(
            "time_ms", "INTEGER NOT NULL", exportName: "time", hashedSince: 1, { $0.entry.time.auditValue },
            { $0.entry.time = .read($1, $2) }),
        AuditColumn(
            "actor_profile", "TEXT", hashedSince: 1, { $0.entry.actor.profile.auditValue },
            { $0.entry.actor.profile = .read($1, $2) }),
        AuditColumn(
            "actor_client_id", "TEXT", hashedSince: 1, { $0.entry.actor.clientID.auditValue },
            { $0.entry.actor.clientID = .read($1, $2) }),
        AuditColumn(
            "actor_os_user", "TEXT NOT NULL", hashedSince: 1, { $0.entry.actor.osUser.auditValue },
            { $0.entry.actor.osUser = .read($1, $2) }),
        AuditColumn(
            "actor_host", "TEXT NOT NULL", hashedSince: 1, { $0.entry.actor.host.auditValue },
            { $0.entry.actor.host = .read($1, $2) }),
        AuditColumn(
            "session", "TEXT NOT NULL", hashedSince: 1, { $0.entry.session.auditValue },
            { $0.entry.session = .read($1, $2) }),
        AuditColumn(
            "command", "TEXT NOT NULL", hashedSince: 1, { $0.entry.command.auditValue },
            { $0.entry.command = .read($1, $2) }),
        AuditColumn(
            "campaign_id", "TEXT", hashedSince: 1, { $0.entry.campaignID.auditValue },
            { $0.entry.campaignID = .read($1, $2) }),
        AuditColumn(
            "campaign_name", "TEXT", hashedSince: 1, { $0.entry.campaignName.auditValue },
            { $0.entry.campaignName = .read($1, $2) }),
        AuditColumn(
            "verb", "TEXT NOT NULL", hashedSince: 1, { $0.entry.verb.auditValue }, { $0.entry.verb = .read($1, $2) }),
        AuditColumn(
            "from_status", "TEXT", hashedSince: 1, { $0.entry.fromStatus.auditValue },
            { $0.entry.fromStatus = .read($1, $2) }),
        AuditColumn(
            "to_status", "TEXT", hashedSince: 1, { $0.entry.toStatus.auditValue }, { $0.entry.toStatus = .read($1, $2) }
        ),
        AuditColumn(
            "outcome", "TEXT NOT NULL", hashedSince: 1, { $0.entry.outcome.auditValue },
            { $0.entry.outcome = .read($1, $2) }),
        AuditColumn(
            "attempt", "INTEGER NOT NULL", hashedSince: 1, { $0.entry.attempt.auditValue },
            { $0.entry.attempt = .read($1, $2) }),
        AuditColumn(
            "version_before", "INTEGER", hashedSince: 1, { $0.entry.versionBefore.auditValue },
            { $0.entry.versionBefore = .read($1, $2) }),
        AuditColumn(
            "version_after", "INTEGER", hashedSince: 1, { $0.entry.versionAfter.auditValue },
            { $0.entry.versionAfter = .read($1, $2) }),
        AuditColumn(
            "latency_ms", "INTEGER", hashedSince: 1, { $0.entry.latencyMs.auditValue },
            { $0.entry.latencyMs = .read($1, $2) }),
        AuditColumn(
            "http_status", "INTEGER", hashedSince: 1, { $0.entry.httpStatus.auditValue },
            { $0.entry.httpStatus = .read($1, $2) }),
        AuditColumn(
            "correlation_id", "TEXT", hashedSince: 1, { $0.entry.correlationID.auditValue },
            { $0.entry.correlationID = .read($1, $2) }),
        AuditColumn(
            "override_checks", "TEXT", hashedSince: 1, { $0.entry.overrideChecks.auditValue },
            { $0.entry.overrideChecks = .read($1, $2) }),
        AuditColumn(
            "override_reason", "TEXT", hashedSince: 1, { $0.entry.overrideReason.auditValue },
            { $0.entry.overrideReason = .read($1, $2) }),
        AuditColumn(
            "error_message", "TEXT", hashedSince: 1, { $0.entry.errorMessage.auditValue },
            { $0.entry.errorMessage = .read($1, $2) }),
        AuditColumn(
            "prev_hash", "TEXT NOT NULL", hashedSince: nil, { $0.prevHash.auditValue }, { $0.prevHash = .read($1, $2) }),
        AuditColumn("hash", "TEXT NOT NULL", hashedSince: nil, { $0.hash.auditValue }, { $0.hash = .read($1, $2) }),
        // Rows written before it existed were all hashed as version 1.
        AuditColumn(
            "hash_version", "INTEGER NOT NULL DEFAULT 1", hashedSince: nil, { $0.hashVersion.auditValue },
            { $0.hashVersion = .read($1, $2) }),
        // The org, from hash version 2 (a new column comes last: exports keep every other one in its place).
        AuditColumn(
            "org_region", "TEXT", hashedSince: 2, { $0.entry.actor.region.auditValue },
            { $0.entry.actor.region = .read($1, $2) }),
        AuditColumn(
            "org_api_base", "TEXT", hashedSince: 2, { $0.entry.actor.apiBase.auditValue },
            { $0.entry.actor.apiBase = .read($1, $2) }),
        // The request an intent announces, from hash version 3.
        AuditColumn(
            "request_id", "TEXT", hashedSince: 3, { $0.entry.requestID.auditValue },
            { $0.entry.requestID = .read($1, $2) }),
    ]

    /// The `user_version` of a file whose tables are as declared here, for a later change that takes more
    /// than adding what is missing (a backfill) to tell which files need it. 1: the audit table; 2: the
    /// archive; 3: `hash_version`; 4: the org (`org_region`, `org_api_base`), hashed from version 2; 5:
    /// `request_id`, hashed from version 3, and its index.
    static let schemaVersion = 5

    /// Where the columns the store itself reads are in `columns` (and in every `SELECT` of `selectList`).
    static let seqIndex = index(of: "seq")
    static let outcomeIndex = index(of: "outcome")
    static let prevHashIndex = index(of: "prev_hash")
    static let hashIndex = index(of: "hash")
    static let hashVersionIndex = index(of: "hash_version")

    private static func index(of name: String) -> Int {
        columns.firstIndex { $0.name == name }!
    }

    /// Which columns are declared INTEGER: SQLite stores their values as integers (or NULL).
    static let integerColumns = columns.map { $0.declaration.hasPrefix("INTEGER") }

    /// Which columns hold a time (stored as milliseconds): an export writes them as timestamps.
    static let timeColumns = columns.map { column in
        if case .time = column.value(of: blank) { true } else { false }
    }

    /// Every column, in order: what each read selects.
    static let selectList = columns.map(\.name).joined(separator: ", ")

    static let insertSQL =
        "INSERT INTO audit (\(selectList)) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"

    /// A row read with `selectList`, as a record.
    static func record(_ row: Row) -> AuditRecord {
        var record = blank
        // In place: iterating the array itself would copy each column, retaining its closures, row after row.
        columns.withUnsafeBufferPointer { columns in
            for index in columns.indices { columns[index].load(&record, row, index) }
        }
        return record
    }

    /// Every field is set from the row: these values are never seen.
    private static let blank = AuditRecord(
        seq: 0,
        entry: AuditEntry(
            time: Date(timeIntervalSince1970: 0), actor: AuditActor(profile: nil, clientID: nil, osUser: "", host: ""),
            session: "", command: "", verb: "", outcome: .error),
        prevHash: "", hash: "", hashVersion: 0)

    /// Creates the tables, or brings those of a file made by an earlier version up to them (in the caller's
    /// transaction).
    ///
    /// Only what is missing is made, whatever `user_version` says: files from before it was kept, and files
    /// whose version an older campaignsh set back (it wrote its own) when it opened them after this one.
    ///
    /// The table has no index beyond `seq`: SQLite's planner never used the ones on time and campaign for
    /// the store's reads (they scan by `seq`), and each cost every commit a page written and synced.
    static func prepare(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS audit (\(columns.map { "\($0.name) \($0.declaration)" }.joined(separator: ", ")));
                DROP INDEX IF EXISTS audit_time;
                DROP INDEX IF EXISTS audit_campaign;
                \(ArchivedCampaign.createTable);
                \(CampaignHold.createTable);
                """)
        // Read from SQLite, not GRDB's schema cache: another process may have just added the column.
        let existing = Set(try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('audit')"))
        for column in columns where !existing.contains(column.name) {
            try db.execute(sql: "ALTER TABLE audit ADD COLUMN \(column.name) \(column.declaration)")
        }
        // Only rows of mutating requests are indexed (a partial index): other appends pay nothing for it.
        try db.execute(
            sql: "CREATE INDEX IF NOT EXISTS audit_request ON audit(request_id) WHERE request_id IS NOT NULL")
        if try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 < schemaVersion {
            try db.execute(sql: "PRAGMA user_version = \(schemaVersion)")
        }
    }
}

/// One column of the `audit` table: its name and SQL declaration, whether the row's hash covers it, and the
/// record field it holds.
public struct AuditColumn: Sendable {
    public let name: String
    /// Its key or header in exports.
    public let exportName: String
    let declaration: String
    /// The first hash version whose input includes this column; nil if no version's does.
    let hashedSince: Int?
    private let read: @Sendable (AuditRecord) -> AuditValue
    /// Sets the record's field from the row's column at the index.
    let load: @Sendable (inout AuditRecord, Row, Int) -> Void

    /// `read` and `load` are given per column rather than made from a getter and a setter: closures wrapping
    /// others cost an export a fifth of its speed.
    init(
        _ name: String, _ declaration: String, exportName: String? = nil, hashedSince: Int?,
        _ read: @escaping @Sendable (AuditRecord) -> AuditValue,
        _ load: @escaping @Sendable (inout AuditRecord, Row, Int) -> Void
    ) {
        self.name = name
        self.exportName = exportName ?? name
        self.declaration = declaration
        self.hashedSince = hashedSince
        self.read = read
        self.load = load
    }

    /// The record's value in this column, as stored and hashed.
    public func value(of record: AuditRecord) -> AuditValue {
        read(record)
    }
}

/// A value of the `audit` table, as it is stored, hashed and exported.
public enum AuditValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
    /// Stored and hashed as the integer; exports write it as a UTC timestamp.
    case time(milliseconds: Int64)

    /// Binds the value to parameter `index` (from 1) of a prepared statement.
    func bind(to statement: OpaquePointer, at index: Int32) {
        switch self {
        case .null: sqlite3_bind_null(statement, index)
        case .integer(let value), .time(let value): sqlite3_bind_int64(statement, index, value)
        case .text(var value):
            // SQLite copies the bytes (SQLITE_TRANSIENT) before the buffer goes away.
            _ = value.withUTF8 { bytes in
                sqlite3_bind_text(statement, index, bytes.baseAddress, Int32(bytes.count), AuditValue.transient)
            }
        }
    }

    /// SQLite's SQLITE_TRANSIENT, which C macros do not bring to Swift.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// A type a record field of the audit table has: how it is stored, and read back.
protocol AuditField: Sendable {
    var auditValue: AuditValue { get }
    static func read(_ row: Row, _ index: Int) -> Self
}

extension String: AuditField {
    var auditValue: AuditValue { .text(self) }
    static func read(_ row: Row, _ index: Int) -> String { row[index] }
}

extension Int: AuditField {
    var auditValue: AuditValue { .integer(Int64(self)) }
    static func read(_ row: Row, _ index: Int) -> Int { row[index] }
}

extension Int64: AuditField {
    var auditValue: AuditValue { .integer(self) }
    static func read(_ row: Row, _ index: Int) -> Int64 { row[index] }
}

extension Date: AuditField {
    var auditValue: AuditValue { .time(milliseconds: AuditChain.timeMilliseconds(self)) }
    static func read(_ row: Row, _ index: Int) -> Date {
        Date(timeIntervalSince1970: Double(row[index] as Int64) / 1000)
    }
}

extension AuditOutcome: AuditField {
    var auditValue: AuditValue { .text(rawValue) }
    /// An outcome the tool never writes reads as an error; `verify` names the row.
    static func read(_ row: Row, _ index: Int) -> AuditOutcome { AuditOutcome(rawValue: row[index]) ?? .error }
}

extension Optional: AuditField where Wrapped: AuditField {
    var auditValue: AuditValue { map(\.auditValue) ?? .null }
    static func read(_ row: Row, _ index: Int) -> Wrapped? {
        row.hasNull(atIndex: index) ? nil : Wrapped.read(row, index)
    }
}
