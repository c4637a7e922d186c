import Foundation
import GRDB
import Testing

@testable import AuditStore

/// The table made from `AuditTable.columns`, files made by earlier versions, and hash versions.
@Suite struct AuditSchemaTests {
    static func query<Value: DatabaseValueConvertible>(_ path: String, _ sql: String) throws -> [Value] {
        try DatabaseQueue(path: path).read { try Value.fetchAll($0, sql: sql) }
    }

    static func columnNames(_ path: String) throws -> [String] {
        try query(path, "SELECT name FROM pragma_table_info('audit')")
    }

    @Test func aNewFileHasTheListedColumnsInOrder() async throws {
        let path = AuditStoreTests.temporaryPath()
        let store = try AuditStore(path: path)
        try await store.append(AuditStoreTests.entry(1))
        #expect(try Self.columnNames(path) == AuditTable.columns.map(\.name))
        #expect(try Self.query(path, "PRAGMA user_version") == [5])
        #expect(try Self.query(path, "SELECT hash_version FROM audit") == [3])
    }

    /// The columns hash version 1 covers are those every row before `hash_version` was hashed over.
    @Test func hashVersionOneCoversTheColumnsOfRowsWrittenBeforeVersionsExisted() {
        #expect(
            AuditChain.inputColumns.first?.map { AuditTable.columns[Int($0)].name }
                == LegacyFile.legacyColumns.components(separatedBy: ", ").dropLast(2))
    }

    /// Appending stores exactly what the code before `hash_version` did (the same values of the same
    /// SQLite types), and hash version 1 of those values is the hash that code wrote.
    @Test func rowsAreHashedAndStoredAsBeforeHashVersions() async throws {
        let path = AuditStoreTests.temporaryPath()
        let records = try await AuditStore(path: path).append(contentsOf: LegacyFile.entries)
        #expect(records.map(\.hashVersion) == [3, 3, 3, 3])
        let versionOne = records.indices.map { index in
            AuditChain.hash(
                AuditTable.columns.map { $0.value(of: records[index]) }, version: 1,
                prevHash: index == 0 ? AuditChain.genesis : LegacyFile.hashes[index - 1])
        }
        #expect(versionOne == LegacyFile.hashes)

        let legacyPath = AuditStoreTests.temporaryPath()
        try LegacyFile.beforeHashVersion.make(at: legacyPath)
        try LegacyFile.appendLastRow(at: legacyPath)
        let quoted =
            "SELECT "
            + LegacyFile.legacyColumns.components(separatedBy: ", ").dropLast(2).map { "quote(\($0))" }.joined(
                separator: " || ',' || ") + " FROM audit ORDER BY seq"  // all but prev_hash and hash
        let stored: [String] = try Self.query(path, quoted)
        #expect(stored.count == 4)
        #expect(try stored == Self.query(legacyPath, quoted))
    }

    @Test(arguments: LegacyFile.allCases)
    func rowsOfAFileMadeBeforeHashVersionsStillVerify(file: LegacyFile) async throws {
        let path = AuditStoreTests.temporaryPath()
        let made = try file.make(at: path)
        let store = try AuditStore(path: path)
        #expect(
            try store.verify()
                == .intact(rows: made, head: AuditAnchor(seq: Int64(made), hash: LegacyFile.hashes[made - 1])))
        #expect(try Self.columnNames(path) == AuditTable.columns.map(\.name))
        #expect(try Self.query(path, "PRAGMA user_version") == [5])

        var read: [AuditRecord] = []
        try store.forEach { read.append($0) }
        #expect(read.map(\.entry) == LegacyFile.entries.prefix(made).map(AuditStoreTests.storedToTheMillisecond))
        #expect(read.map(\.hashVersion) == [1, 1, 1])

        // An older campaignsh appending after the column was added: its rows read as version 1, as they are.
        try LegacyFile.appendLastRow(at: path)
        let appended = try await store.append(AuditStoreTests.entry(5))
        #expect(appended.prevHash == LegacyFile.hashes[3])
        #expect(try store.verify() == .intact(rows: made + 2, head: appended.anchor))
        #expect(try await store.archive(campaignID: "id-1", name: "Q4_1", snapshot: "{}").id == 1)

        // The old rows are checked, not skipped.
        try AuditStoreTests.tamper(path, "UPDATE audit SET error_message = NULL WHERE seq = 2")
        #expect(
            try store.verify() == .broken(seq: 2, reason: "its contents do not match its hash (the row was altered)"))
    }

    /// An older campaignsh writes its own `user_version` when it opens a file; the columns are there already.
    @Test func aFileWhoseVersionAnOlderShellSetBackStillOpens() async throws {
        let path = AuditStoreTests.temporaryPath()
        try await AuditStore(path: path).append(contentsOf: (1...3).map { AuditStoreTests.entry($0) })
        try AuditStoreTests.tamper(path, "PRAGMA user_version = 2")
        let store = try AuditStore(path: path)
        try await store.append(AuditStoreTests.entry(4))
        #expect(try store.verify().intactRows == 4)
        #expect(try Self.query(path, "PRAGMA user_version") == [5])
    }

    @Test(arguments: [0, 4, -1])
    func aRowOfAnUnknownHashVersionIsNamed(version: Int) async throws {
        let path = AuditStoreTests.temporaryPath()
        let store = try AuditStore(path: path)
        try await store.append(contentsOf: (1...3).map { AuditStoreTests.entry($0) })
        try AuditStoreTests.tamper(path, "UPDATE audit SET hash_version = \(version) WHERE seq = 2")
        #expect(
            try store.verify()
                == .broken(
                    seq: 2,
                    reason:
                        "its hash_version \(version) is unknown: the row was altered, or a newer campaignsh wrote it"
                ))
    }
}
