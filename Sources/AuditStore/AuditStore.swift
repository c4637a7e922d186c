import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// The audit trail: an append-only, hash-chained table in a SQLite file.
///
/// Appends run in `IMMEDIATE` transactions with `synchronous = FULL`, so a row is on disk when `append`
/// returns, and several shell processes appending to one file keep one unbroken chain (SQLite's lock
/// orders them; each reads the last hash inside its own transaction). The tool never updates or deletes rows.
public final class AuditStore: Sendable {
    public let path: String
    let database: DatabasePool
    /// The sessions this process runs, by id, with the descriptor that holds each one's lock.
    let sessionLocks = Mutex<[String: Int32]>([:])

    /// Opens (creating it and its folder if needed) the audit database at `path`.
    public init(path: String) throws(AuditStoreError) {
        self.path = path
        do {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            var configuration = Configuration()
            configuration.busyMode = .timeout(30)
            // Reads map the file rather than copy it page by page (`verify` and `export` read all of it); up to
            // 1 GiB of address space, shared with the page cache.
            configuration.prepareDatabase { try $0.execute(sql: "PRAGMA mmap_size = 1073741824") }
            let isNew = !FileManager.default.fileExists(atPath: path)
            database = try Self.openPool(path: path, configuration: configuration)
            // Commands and who ran them are nobody else's business: a new file is the owner's only.
            if isNew { chmod(path, 0o600) }
            // After the pool is open: opening it switches the writer to WAL and to `synchronous = NORMAL`
            // (GRDB's `setUpWALMode`), which syncs at checkpoints only, so a commit could be lost with power.
            try database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            try Self.prepareSchema(database)
        } catch {
            throw AuditStoreError("cannot open the audit database \(path): \(error)")
        }
    }

    /// Another process creating the same file can hold it for a moment (switching it to WAL); wait for it.
    private static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        var attempts = 0
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempts < 100 {
                attempts += 1
                usleep(20_000)
            }
        }
    }

    /// Creates or upgrades the schema in one IMMEDIATE transaction: two processes opening a new file at
    /// once take turns, and the second finds the tables made. (GRDB's migrator reads which migrations ran
    /// before it locks, so both would create them.)
    private static func prepareSchema(_ database: DatabasePool) throws {
        try database.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                try AuditTable.prepare(db)
                return .commit
            }
        }
    }

    /// Appends one row; it is durable when this returns.
    ///
    /// Rows appended while a transaction is being written (a bulk run's workers) wait for the next one and
    /// share it, with one disk sync between them (group commit).
    @discardableResult
    public func append(_ entry: AuditEntry) async throws(AuditStoreError) -> AuditRecord {
        do {
            return try await withCheckedThrowingContinuation { committer.enqueue(entry, $0, into: self) }
        } catch let error as AuditStoreError {
            throw error
        } catch {
            throw AuditStoreError("cannot write the audit database \(path): \(error)")
        }
    }

    private let committer = GroupCommitter()

    /// Appends rows in one transaction (group commit): one disk sync for all of them.
    @discardableResult
    public func append(contentsOf entries: [AuditEntry]) async throws(AuditStoreError) -> [AuditRecord] {
        do {
            return try await database.write { try Self.insert(entries, db: $0) }
        } catch {
            throw AuditStoreError("cannot write the audit database \(path): \(error)")
        }
    }

    /// Writes the rows of one group commit, on the committer's thread.
    fileprivate func commit(_ entries: [AuditEntry]) throws(AuditStoreError) -> [AuditRecord] {
        do {
            return try database.write { try Self.insert(entries, db: $0) }
        } catch {
            throw AuditStoreError("cannot write the audit database \(path): \(error)")
        }
    }

    /// Inserts `entries` after the last row, inside the caller's transaction, chaining their hashes.
    ///
    /// Values are bound with SQLite's C API: with GRDB's `StatementArguments`, which box each one, a row
    /// took 41 µs to insert instead of 17.
    private static func insert(_ entries: [AuditEntry], db: Database) throws -> [AuditRecord] {
        let head = try db.cachedStatement(sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        var last =
            try Row.fetchOne(head).map { (seq: $0[0] as Int64, hash: $0[1] as String) }
            ?? (seq: 0, hash: AuditChain.genesis)
        var records: [AuditRecord] = []
        records.reserveCapacity(entries.count)
        let insert = try db.cachedStatement(sql: AuditTable.insertSQL).sqliteStatement
        for entry in entries {
            var record = AuditRecord(
                seq: last.seq + 1, entry: entry, prevHash: last.hash, hash: "", hashVersion: AuditChain.currentVersion)
            var values = AuditTable.columns.map { $0.value(of: record) }
            record.hash = AuditChain.hash(values, version: record.hashVersion, prevHash: last.hash)
            values[AuditTable.hashIndex] = .text(record.hash)
            // The values hashed are the values bound.
            sqlite3_reset(insert)
            for (index, value) in values.enumerated() { value.bind(to: insert, at: Int32(index + 1)) }
            let step = sqlite3_step(insert)
            guard step == SQLITE_DONE else {
                let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
                throw DatabaseError(resultCode: ResultCode(rawValue: step), message: message, sql: AuditTable.insertSQL)
            }
            records.append(record)
            last = (record.seq, record.hash)
        }
        sqlite3_clear_bindings(insert)
        return records
    }

    // MARK: Reading

    /// Calls `body` with every row matching `filter`, oldest first, streaming from SQLite (constant memory).
    public func forEach(
        _ filter: AuditFilter = .init(), _ body: (AuditRecord) throws -> Void
    ) throws(AuditStoreError) {
        do {
            try database.read { db in
                let (sql, arguments) = filter.query()
                let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                while let row = try rows.next() { try body(AuditTable.record(row)) }
            }
        } catch let error as AuditStoreError {
            throw error
        } catch {
            throw AuditStoreError("cannot read the audit database \(path): \(error)")
        }
    }

    /// Calls `body` with every row matching `filter`, oldest first, as SQLite stores it: no record, string or
    /// date per row, for exports of millions of rows. A row is valid only during its call.
    public func forEachStoredRow(_ filter: AuditFilter = .init(), _ body: (borrowing AuditStoredRow) throws -> Void)
        throws
    {
        do {
            try database.read { db in
                let (sql, arguments) = filter.query()
                try Self.step(db, sql, arguments) { row in
                    try body(row)
                    return true
                }
            }
        } catch let error as DatabaseError {
            throw AuditStoreError("cannot read the audit database \(path): \(error)")
        }
    }

    /// The last `limit` rows matching `filter`, oldest first.
    public func recent(_ filter: AuditFilter, limit: Int) throws(AuditStoreError) -> [AuditRecord] {
        var filter = filter
        filter.newestFirst = true
        filter.limit = limit
        var records: [AuditRecord] = []
        try forEach(filter) { records.append($0) }
        return records.reversed()
    }

    /// Walks the whole chain; the first row whose link or hash does not match is reported.
    ///
    /// A chain stays valid when its newest rows are deleted, so a head noted earlier (`anchor`, from a past
    /// `verify` or a webhook event) must still be there, with the same hash.
    ///
    /// Each row's checks need only its own values and the row before it, so a large store is split into
    /// spans of `seq` verified at once on every core; the links between spans are checked afterwards, in
    /// order, so the row reported is the first broken one, as a walk from the start would find it.
    public func verify(anchor: AuditAnchor? = nil) throws(AuditStoreError) -> AuditVerification {
        try verify(anchor: anchor, spans: nil)
    }

    /// `spans`: how many spans to verify at once (by default one per core for a large store).
    func verify(anchor: AuditAnchor?, spans: Int?) throws(AuditStoreError) -> AuditVerification {
        do {
            let newest = try database.read { try Int64.fetchOne($0, sql: "SELECT max(seq) FROM audit") } ?? 0
            let spanCount = max(
                1, spans ?? (newest < 50_000 ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, 8)))
            // Span i holds seq in (bounds[i], bounds[i + 1]]; the outer bounds are open, so rows with an
            // out-of-range seq are checked too.
            let bounds = [Int64.min] + (1..<spanCount).map { newest * Int64($0) / Int64(spanCount) } + [Int64.max]
            let results = Mutex([Result<VerifiedSpan, any Error>?](repeating: nil, count: spanCount))
            DispatchQueue.concurrentPerform(iterations: spanCount) { index in
                let result = Result {
                    try database.read {
                        try Self.verifySpan($0, after: bounds[index], through: bounds[index + 1], anchor: anchor)
                    }
                }
                results.withLock { $0[index] = result }
            }
            var previous = (seq: Int64(0), hash: Array(AuditChain.genesis.utf8))
            var rows = 0
            for result in results.withLock({ $0 }) {
                let span = try result!.get()
                if let first = span.first {
                    if first.seq != previous.seq + 1 {
                        return .broken(
                            seq: first.seq,
                            reason: "expected row \(previous.seq + 1) here: rows are missing or were moved")
                    }
                    if first.previousHash != previous.hash {
                        return .broken(
                            seq: first.seq, reason: "its prev_hash does not match the hash of the row before it")
                    }
                }
                if let broken = span.broken { return broken }
                if let last = span.last { previous = last }
                rows += span.rows
            }
            if let anchor, anchor.seq > previous.seq {
                return .broken(seq: anchor.seq, reason: "the anchored row is gone: the newest rows were deleted")
            }
            let head =
                rows == 0 ? nil : AuditAnchor(seq: previous.seq, hash: String(decoding: previous.hash, as: UTF8.self))
            return .intact(rows: rows, head: head)
        } catch {
            throw AuditStoreError("cannot read the audit database \(path): \(error)")
        }
    }

    /// What verifying the rows of one span of `seq` found. Its first row's seq and prev_hash are only
    /// noted: they link to the span before.
    private struct VerifiedSpan {
        var first: (seq: Int64, previousHash: [UInt8])?
        var last: (seq: Int64, hash: [UInt8])?
        var rows = 0
        var broken: AuditVerification?
    }

    /// Steps through the rows `sql` selects, handing each to `body` until it returns false.
    private static func step(
        _ db: Database, _ sql: String, _ arguments: StatementArguments,
        _ body: (borrowing AuditStoredRow) throws -> Bool
    ) throws {
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        let row = AuditStoredRow(statement: statement.sqliteStatement)
        while true {
            let step = sqlite3_step(row.statement)
            if step == SQLITE_DONE { return }
            guard step == SQLITE_ROW else {
                let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
                throw DatabaseError(resultCode: ResultCode(rawValue: step), message: message, sql: sql)
            }
            guard try body(row) else { return }
        }
    }

    private static func verifySpan(_ db: Database, after lower: Int64, through upper: Int64, anchor: AuditAnchor?)
        throws -> VerifiedSpan
    {
        // Hashes the bytes SQLite hands out, row by row as stored: no record, string, date or `Data` per
        // row, which is what keeps this at hundreds of thousands of rows a second. An integer is hashed as
        // its decimal text, written here: asking SQLite for an integer's bytes makes it convert the value in
        // place, which cost a fifth of the time.
        let digits = DecimalDigits()
        func bytes(_ value: AuditStoredValue) -> UnsafeRawBufferPointer? {
            switch value {
            case .null: nil
            case .text(let text): UnsafeRawBufferPointer(text)
            case .integer(let number), .time(let number): digits.text(of: number)
            }
        }
        func same(_ stored: UnsafeRawBufferPointer?, _ expected: [UInt8]) -> Bool {
            guard let stored, stored.count == expected.count else { return false }
            return expected.withUnsafeBytes {
                $0.isEmpty || memcmp($0.baseAddress!, stored.baseAddress!, $0.count) == 0
            }
        }
        func integer(_ value: AuditStoredValue) -> Int64 {
            if case .integer(let number) = value { number } else { 0 }
        }
        let inputColumns = AuditChain.inputColumns
        let outcomes = AuditOutcome.allCases.map { Array($0.rawValue.utf8) }
        // The hashed columns of the rows' version, looked up again only when the version changes.
        var hashedVersion: Int64 = 0
        var hashed: [Int32] = []
        var span = VerifiedSpan()
        var canonical = CanonicalRow()
        // The previous row's hash and this row's, swapped after each row.
        var previous = [UInt8](repeating: 0, count: 64)
        var hash = previous
        var previousSeq: Int64 = 0
        let sql = "SELECT \(AuditTable.selectList) FROM audit WHERE seq > ? AND seq <= ? ORDER BY seq"
        try step(db, sql, [lower, upper]) { row in
            let seq = integer(row.value(AuditTable.seqIndex))
            let previousHash = bytes(row.value(AuditTable.prevHashIndex))
            if span.first == nil {
                guard let previousHash else {
                    span.broken = .broken(
                        seq: seq, reason: "its prev_hash does not match the hash of the row before it")
                    return false
                }
                span.first = (seq, Array(previousHash))
                previous = Array(previousHash)
            } else if seq != previousSeq + 1 {
                span.broken = .broken(
                    seq: seq, reason: "expected row \(previousSeq + 1) here: rows are missing or were moved")
                return false
            } else if !same(previousHash, previous) {
                span.broken = .broken(seq: seq, reason: "its prev_hash does not match the hash of the row before it")
                return false
            }
            let hashVersion = integer(row.value(AuditTable.hashVersionIndex))
            guard (1...Int64(inputColumns.count)).contains(hashVersion) else {
                span.broken = .broken(
                    seq: seq,
                    reason:
                        "its hash_version \(hashVersion) is unknown: the row was altered, or a newer campaignsh wrote it"
                )
                return false
            }
            canonical.begin(previousHash: previous)
            if hashVersion != hashedVersion {
                hashedVersion = hashVersion
                hashed = inputColumns[Int(hashVersion) - 1]
            }
            for column in hashed { canonical.append(field: bytes(row.value(Int(column)))) }
            hash.withUnsafeMutableBytes { canonical.writeHexDigest(into: $0) }
            // An outcome the tool never writes is tampering, even with a hash recomputed to match.
            let hashMatches = same(bytes(row.value(AuditTable.hashIndex)), hash)
            let outcome = bytes(row.value(AuditTable.outcomeIndex))
            guard hashMatches, outcomes.contains(where: { same(outcome, $0) }) else {
                span.broken = .broken(seq: seq, reason: "its contents do not match its hash (the row was altered)")
                return false
            }
            if let anchor, anchor.seq == seq, !anchor.hash.utf8.elementsEqual(hash) {
                span.broken = .broken(
                    seq: seq, reason: "its hash is not the anchored one: the chain was rewritten from here")
                return false
            }
            swap(&previous, &hash)
            previousSeq = seq
            span.rows += 1
            return true
        }
        if span.rows > 0 { span.last = (previousSeq, previous) }
        return span
    }
}

/// A row of the audit table as SQLite holds it while ``AuditStore/forEachStoredRow(_:_:)`` steps through
/// the table: its text is SQLite's bytes, valid only until the next row.
public struct AuditStoredRow: ~Copyable {
    fileprivate let statement: OpaquePointer

    /// The value in column `index` of `AuditTable.columns`.
    public func value(_ index: Int) -> AuditStoredValue {
        let column = Int32(index)
        // A text column's value is asked for as text at once (no pointer: NULL), which saves asking its type.
        if !AuditTable.integerColumns[index] || sqlite3_column_type(statement, column) != SQLITE_INTEGER {
            guard let bytes = sqlite3_column_text(statement, column) else { return .null }
            return .text(UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column))))
        }
        let value = sqlite3_column_int64(statement, column)
        return AuditTable.timeColumns[index] ? .time(milliseconds: value) : .integer(value)
    }
}

/// A value of an ``AuditStoredRow``, as ``AuditValue`` is of a record.
public enum AuditStoredValue {
    case null
    case integer(Int64)
    case text(UnsafeBufferPointer<UInt8>)
    case time(milliseconds: Int64)
}

/// Which rows to read.
public struct AuditFilter: Sendable {
    public var since: Date?
    public var until: Date?
    public var campaign: String?
    public var verb: String?
    public var outcome: AuditOutcome?
    /// Leaves out what dry runs recorded (outcome `dry_run`), unless `outcome` asks for exactly that.
    public var hidesDryRuns = false
    var newestFirst = false
    var limit: Int?

    public init(
        since: Date? = nil, until: Date? = nil, campaign: String? = nil, verb: String? = nil,
        outcome: AuditOutcome? = nil
    ) {
        self.since = since
        self.until = until
        self.campaign = campaign
        self.verb = verb
        self.outcome = outcome
    }

    func query() -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let since {
            conditions.append("time_ms >= ?")
            arguments.append(AuditChain.timeMilliseconds(since))
        }
        if let until {
            conditions.append("time_ms < ?")
            arguments.append(AuditChain.timeMilliseconds(until))
        }
        if let campaign {
            conditions.append("(campaign_id = ? OR campaign_name = ?)")
            arguments += [campaign, campaign]
        }
        if let verb {
            conditions.append("verb = ?")
            arguments.append(verb)
        }
        if let outcome {
            conditions.append("outcome = ?")
            arguments.append(outcome.rawValue)
        } else if hidesDryRuns {
            conditions.append("outcome != ?")
            arguments.append(AuditOutcome.dryRun.rawValue)
        }
        var sql = "SELECT \(AuditTable.selectList) FROM audit"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += newestFirst ? " ORDER BY seq DESC" : " ORDER BY seq"
        if let limit { sql += " LIMIT \(limit)" }
        return (sql, StatementArguments(arguments))
    }
}

/// The result of walking the chain.
public enum AuditVerification: Sendable, Equatable {
    /// `head` is the newest row (nil for an empty store): note it to check later that nothing was cut off.
    case intact(rows: Int, head: AuditAnchor?)
    case broken(seq: Int64, reason: String)
}

/// A row's place in the chain, written `SEQ:HASH`. Kept outside the store, it shows that the store still
/// reaches that row.
public struct AuditAnchor: Sendable, Equatable, CustomStringConvertible {
    public var seq: Int64
    public var hash: String

    public init(seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// Reads `SEQ:HASH` (a 64-digit hex SHA-256).
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let seq = Int64(parts[0]), seq > 0, parts[1].count == 64,
            parts[1].allSatisfy(\.isHexDigit)
        else { return nil }
        self.init(seq: seq, hash: parts[1].lowercased())
    }

    public var description: String { "\(seq):\(hash)" }
}

public struct AuditStoreError: Error, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Group commit for `AuditStore.append(_:)`: the rows appended while a transaction is being written wait
/// and share the next one, written by a thread of the committer's own that ends when no row waits.
///
/// A thread, not a task: a transaction blocks for the disk sync, which would hold one of the few threads
/// Swift's concurrency runs on, and a task would hop threads several times per commit.
private final class GroupCommitter: Sendable {
    private typealias Waiting = (entry: AuditEntry, continuation: CheckedContinuation<AuditRecord, any Error>)

    private struct State {
        var rows: [Waiting] = []
        var writing = false
        /// Set while the writer waits for this many rows; the appender that brings them clears it and wakes it.
        var gatheringFor: Int?
    }

    /// How long the writer waits for the appenders it has just answered: they usually append again at
    /// once, and without the pause the next transaction would start with the first of them, leaving the
    /// rest for the one after and halving each transaction's rows.
    private static let gatheringTime = DispatchTimeInterval.microseconds(500)

    private let state = Mutex(State())
    private let enoughRows = DispatchSemaphore(value: 0)

    func enqueue(
        _ entry: AuditEntry, _ continuation: CheckedContinuation<AuditRecord, any Error>, into store: AuditStore
    ) {
        let (starts, wakes) = state.withLock { state in
            state.rows.append((entry, continuation))
            let wakes = state.gatheringFor.map { state.rows.count >= $0 } ?? false
            if wakes { state.gatheringFor = nil }
            defer { state.writing = true }
            return (!state.writing, wakes)
        }
        if wakes { enoughRows.signal() }
        if starts { Thread { self.writeWaitingRows(into: store) }.start() }
    }

    private func writeWaitingRows(into store: AuditStore) {
        var answered = 0
        while true {
            if answered > 1 { gather(answered) }
            let batch = state.withLock { state in
                defer { state.rows = [] }
                if state.rows.isEmpty { state.writing = false }
                return state.rows
            }
            guard !batch.isEmpty else { return }
            do {
                let records = try store.commit(batch.map(\.entry))
                for (row, record) in zip(batch, records) { row.continuation.resume(returning: record) }
            } catch {
                for row in batch { row.continuation.resume(throwing: error) }
            }
            answered = batch.count
        }
    }

    /// Returns when `expected` rows wait, or after ``gatheringTime``.
    private func gather(_ expected: Int) {
        let waits = state.withLock { state in
            guard state.rows.count < expected else { return false }
            state.gatheringFor = expected
            return true
        }
        guard waits, enoughRows.wait(timeout: .now() + Self.gatheringTime) == .timedOut else { return }
        let signalled = state.withLock { state in
            defer { state.gatheringFor = nil }
            return state.gatheringFor == nil
        }
        // An appender cleared the wait just as it timed out: take its signal, so the next wait is not woken by it.
        if signalled { enoughRows.wait() }
    }
}
