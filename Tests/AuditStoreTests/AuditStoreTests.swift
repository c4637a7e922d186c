import Foundation
import GRDB
import Testing

@testable import AuditStore

@Suite struct AuditStoreTests {
    /// A fresh database path in a temporary folder.
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appending(path: "audit-\(UUID())/audit.sqlite").path
    }

    static func entry(_ number: Int, name: String? = nil, outcome: AuditOutcome = .success) -> AuditEntry {
        AuditEntry(
            actor: AuditActor(profile: "prod", clientID: "client-1", osUser: "alice", host: "ops-1"),
            session: "session-1", command: "pause Q4_\(number)", campaignID: "id-\(number)",
            campaignName: name ?? "Q4_\(number)", verb: "pause", fromStatus: "on", toStatus: "off", outcome: outcome,
            attempt: 1, versionBefore: 3, versionAfter: 4, latencyMs: 120, httpStatus: 200,
            correlationID: "corr-\(number)"
        )
    }

    /// The entry as it reads back: its time is stored in whole milliseconds.
    static func storedToTheMillisecond(_ entry: AuditEntry) -> AuditEntry {
        var entry = entry
        entry.time = Date(timeIntervalSince1970: Double(AuditChain.timeMilliseconds(entry.time)) / 1000)
        return entry
    }

    /// Runs SQL on the file behind the store's back, as the sqlite3 command line would.
    static func tamper(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: sql) }
    }

    @Test func appendedRowsReadBackInOrderAndChain() async throws {
        let path = Self.temporaryPath()
        let store = try AuditStore(path: path)
        let first = try await store.append(Self.entry(1))
        let rest = try await store.append(contentsOf: (2...5).map { Self.entry($0) })
        #expect(first.seq == 1)
        #expect(first.prevHash == String(repeating: "0", count: 64))
        #expect(rest.map(\.seq) == [2, 3, 4, 5])
        #expect(rest[0].prevHash == first.hash)
        var read: [AuditRecord] = []
        try AuditStore(path: path).forEach { read.append($0) }
        #expect(read.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(read[0].entry.command == "pause Q4_1")
        #expect(read.map(\.hash) == [first.hash] + rest.map(\.hash))
        #expect(try store.verify() == .intact(rows: 5, head: rest.last?.anchor))
    }

    /// Opening a pool sets `synchronous = NORMAL` (GRDB), which syncs the WAL only at checkpoints: a row
    /// could be lost with power after `append` returned. FULL (2) syncs every commit.
    @Test func everyCommitIsSyncedToDisk() async throws {
        let store = try AuditStore(path: Self.temporaryPath())
        try await store.append(Self.entry(1))
        let synchronous = try await store.database.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(synchronous == 2)
    }

    @Test func filtersSelectByCampaignVerbOutcomeAndTime() async throws {
        let store = try AuditStore(path: Self.temporaryPath())
        var old = Self.entry(1)
        old.time = Date(timeIntervalSinceNow: -3 * 86_400)
        try await store.append(contentsOf: [old, Self.entry(2, outcome: .refused), Self.entry(3)])
        var seqs: [Int64] = []
        try store.forEach(AuditFilter(outcome: .refused)) { seqs.append($0.seq) }
        #expect(seqs == [2])
        seqs = []
        try store.forEach(AuditFilter(since: Date(timeIntervalSinceNow: -86_400))) { seqs.append($0.seq) }
        #expect(seqs == [2, 3])
        seqs = []
        try store.forEach(AuditFilter(campaign: "Q4_3")) { seqs.append($0.seq) }
        #expect(seqs == [3])
        #expect(try store.recent(AuditFilter(), limit: 2).map(\.seq) == [2, 3])
    }

    @Test func anAlteredRowIsNamed() async throws {
        let path = Self.temporaryPath()
        let store = try AuditStore(path: path)
        try await store.append(contentsOf: (1...5).map { Self.entry($0) })
        try Self.tamper(path, "UPDATE audit SET to_status = 'on' WHERE seq = 3")
        #expect(
            try store.verify() == .broken(seq: 3, reason: "its contents do not match its hash (the row was altered)"))
    }

    @Test func aDeletedRowIsNamed() async throws {
        let path = Self.temporaryPath()
        let store = try AuditStore(path: path)
        try await store.append(contentsOf: (1...5).map { Self.entry($0) })
        try Self.tamper(path, "DELETE FROM audit WHERE seq = 2")
        #expect(try store.verify() == .broken(seq: 3, reason: "expected row 2 here: rows are missing or were moved"))
    }

    @Test func reorderedRowsAreNamed() async throws {
        let path = Self.temporaryPath()
        let store = try AuditStore(path: path)
        try await store.append(contentsOf: (1...5).map { Self.entry($0) })
        // Swap rows 2 and 4, hashes and all.
        try Self.tamper(
            path,
            """
            UPDATE audit SET seq = -2 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 4; UPDATE audit SET seq = 4 WHERE seq = -2;
            """)
        #expect(
            try store.verify() == .broken(seq: 2, reason: "its prev_hash does not match the hash of the row before it"))
    }

    @Test func aRecomputedHashStillBreaksTheNextLink() async throws {
        let path = Self.temporaryPath()
        let store = try AuditStore(path: path)
        try await store.append(contentsOf: (1...3).map { Self.entry($0) })
        try Self.tamper(path, "UPDATE audit SET hash = '\(String(repeating: "a", count: 64))' WHERE seq = 2")
        guard case .broken(let seq, _) = try store.verify() else {
            Issue.record("the tampering went unnoticed")
            return
        }
        #expect(seq == 2)
    }

    /// A large store is verified in spans at once; whatever was done to it, the verdict must be the one a
    /// walk from the first row reaches.
    @Test(arguments: [
        "SELECT 1",
        "UPDATE audit SET to_status = 'on' WHERE seq = 9",
        "UPDATE audit SET to_status = 'on' WHERE seq = 10",
        "DELETE FROM audit WHERE seq = 8",
        "DELETE FROM audit WHERE seq IN (8, 9, 10)",
        "DELETE FROM audit WHERE seq = 1",
        "DELETE FROM audit WHERE seq > 30",
        "UPDATE audit SET seq = -seq WHERE seq = 16; UPDATE audit SET seq = 16 WHERE seq = 24; UPDATE audit SET seq = 24 WHERE seq = -16",
        "UPDATE audit SET seq = 0 WHERE seq = 17",
        "UPDATE audit SET seq = 100 WHERE seq = 17",
        "UPDATE audit SET prev_hash = hash WHERE seq = 25",
        "UPDATE audit SET hash = prev_hash WHERE seq = 40",
        "INSERT INTO audit SELECT 41, time_ms, actor_profile, actor_client_id, actor_os_user, actor_host, session, command, campaign_id, campaign_name, verb, from_status, to_status, outcome, attempt, version_before, version_after, latency_ms, http_status, correlation_id, override_checks, override_reason, error_message, prev_hash, hash, hash_version, org_region, org_api_base, request_id FROM audit WHERE seq = 40",
        "UPDATE audit SET hash_version = 2 WHERE seq = 12",
    ])
    func spansReachTheVerdictOfAWalkFromTheStart(tampering: String) async throws {
        let path = Self.temporaryPath()
        let store = try AuditStore(path: path)
        let rows = try await store.append(contentsOf: (1...40).map { Self.entry($0) })
        try Self.tamper(path, tampering)
        let walk = try store.verify(anchor: rows[34].anchor, spans: 1)
        for spans in [2, 3, 5, 8] {
            #expect(try store.verify(anchor: rows[34].anchor, spans: spans) == walk, "\(spans) spans")
        }
    }

    @Test func storedRowsComeInOrderAsStoredAndStopWhenTheReaderDoes() async throws {
        let store = try AuditStore(path: Self.temporaryPath())
        let records = try await store.append(contentsOf: (1...1_000).map { Self.entry($0) })
        let errorMessage = try #require(AuditTable.columns.firstIndex { $0.name == "error_message" })
        var seqs: [Int64] = []
        var hashes: [String] = []
        try store.forEachStoredRow { row in
            guard case .integer(let seq) = row.value(AuditTable.seqIndex),
                case .text(let hash) = row.value(AuditTable.hashIndex),
                case .time(let milliseconds) = row.value(1), case .null = row.value(errorMessage)
            else {
                Issue.record("a column read back in another kind")
                return
            }
            #expect(milliseconds == AuditChain.timeMilliseconds(records[Int(seq) - 1].entry.time))
            seqs.append(seq)
            hashes.append(String(decoding: hash, as: UTF8.self))
        }
        #expect(seqs == Array(1...1_000))
        #expect(hashes == records.map(\.hash))

        // A reader that stops early (a closed pipe, Ctrl-C) ends the read; the store goes on.
        struct Stop: Error {}
        var read = 0
        #expect(throws: Stop.self) {
            try store.forEachStoredRow(AuditFilter(verb: "pause")) { _ in
                read += 1
                throw Stop()
            }
        }
        #expect(read == 1)
        try await store.append(Self.entry(1_001))
        #expect(try store.verify().intactRows == 1_001)
    }

    /// Rows appended at the same time share transactions; each caller still gets its own durable row.
    @Test func concurrentAppendsEachGetTheirOwnRowInOneChain() async throws {
        let path = Self.temporaryPath()
        let store = try AuditStore(path: path)
        let records = try await withThrowingTaskGroup(of: AuditRecord.self) { group in
            for number in 1...200 { group.addTask { try await store.append(Self.entry(number)) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(records.map(\.seq)) == Set(1...200))
        #expect(Set(records.map(\.entry.command)) == Set((1...200).map { "pause Q4_\($0)" }))
        var stored: [AuditRecord] = []
        try AuditStore(path: path).forEach { stored.append($0) }
        #expect(
            stored
                == records.sorted { $0.seq < $1.seq }.map { record in
                    var record = record
                    record.entry.time = stored[Int(record.seq) - 1].entry.time  // stored to the millisecond
                    return record
                })
        #expect(try store.verify().intactRows == 200)
    }

    /// Verification hashes the stored bytes: an empty value, NULL, non-ASCII text and numbers must each
    /// read back exactly as they were hashed when appended.
    @Test func verifyHashesEveryKindOfValueAsAppended() async throws {
        let path = Self.temporaryPath()
        let store = try AuditStore(path: path)
        var empty = Self.entry(1, name: "")
        empty.overrideReason = ""
        var sparse = Self.entry(2, name: "Réactivation \"Clients\", 2026\n✓")
        (sparse.versionBefore, sparse.versionAfter, sparse.latencyMs, sparse.httpStatus, sparse.correlationID) = (
            nil, nil, nil, nil, nil
        )
        sparse.attempt = 1_234_567_890
        try await store.append(contentsOf: [empty, sparse, Self.entry(3)])
        #expect(try store.verify().intactRows == 3)

        try Self.tamper(path, "UPDATE audit SET override_reason = NULL WHERE seq = 1")
        #expect(
            try store.verify() == .broken(seq: 1, reason: "its contents do not match its hash (the row was altered)"))
        try Self.tamper(
            path, "UPDATE audit SET override_reason = '' WHERE seq = 1; UPDATE audit SET latency_ms = 0 WHERE seq = 2")
        #expect(
            try store.verify() == .broken(seq: 2, reason: "its contents do not match its hash (the row was altered)"))
        try Self.tamper(
            path,
            "UPDATE audit SET latency_ms = NULL WHERE seq = 2; UPDATE audit SET attempt = '1234567890' WHERE seq = 2")
        #expect(try store.verify().intactRows == 3)  // the column's integer affinity stores the same number
    }

    /// Deleting the newest rows leaves a valid chain; a head noted earlier shows they are gone.
    @Test func anAnchoredHeadRevealsDeletedNewestRowsAndARewrittenChain() async throws {
        let path = Self.temporaryPath()
        let store = try AuditStore(path: path)
        let rows = try await store.append(contentsOf: (1...5).map { Self.entry($0) })
        let anchor = rows[3].anchor
        #expect(try store.verify(anchor: anchor) == .intact(rows: 5, head: rows[4].anchor))

        try Self.tamper(path, "DELETE FROM audit WHERE seq = 5")
        #expect(try store.verify(anchor: anchor).intactRows == 4)  // the anchored row is the head now
        try Self.tamper(path, "DELETE FROM audit WHERE seq = 4")
        #expect(try store.verify().intactRows == 3)  // unnoticed without the anchor
        #expect(
            try store.verify(anchor: anchor)
                == .broken(seq: 4, reason: "the anchored row is gone: the newest rows were deleted"))

        // Rows appended again at the same place chain correctly but cannot have the anchored hash.
        try await store.append(Self.entry(9))
        #expect(try store.verify().intactRows == 4)
        #expect(
            try store.verify(anchor: anchor)
                == .broken(seq: 4, reason: "its hash is not the anchored one: the chain was rewritten from here"))
    }

    @Test func anAnchorIsReadFromSeqColonHash() {
        let hash = String(repeating: "0f", count: 32)
        #expect(AuditAnchor("12:\(hash)") == AuditAnchor(seq: 12, hash: hash))
        #expect(AuditAnchor("12:\(hash.uppercased())")?.hash == hash)
        for bad in [
            "12", ":\(hash)", "0:\(hash)", "x:\(hash)", "12:abc", "12:\(hash)0",
            "12:\(String(repeating: "g", count: 64))",
        ] {
            #expect(AuditAnchor(bad) == nil, "\(bad)")
        }
    }

    /// On a new file both writers race to create it; on a file made before `hash_version`, to add it.
    @Test(arguments: [nil, .beforeHashVersion] as [LegacyFile?])
    func twoProcessesAppendingAtOnceKeepOneChain(existing: LegacyFile?) async throws {
        let path = Self.temporaryPath()
        let existingRows = try existing?.make(at: path) ?? 0
        let processes = try (0..<2).map { _ in
            let process = Process()
            process.executableURL = Self.bench
            process.arguments = ["append", path, "400", "1"]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in processes {
            await Task.detached { process.waitUntilExit() }.value
            #expect(process.terminationStatus == 0)
        }
        #expect(try AuditStore(path: path).verify().intactRows == existingRows + 800)
    }

    @Test func aWriterKilledMidTransactionLeavesAVerifiableStore() async throws {
        let path = Self.temporaryPath()
        let store = try AuditStore(path: path)
        try await store.append(contentsOf: (1...3).map { Self.entry($0) })
        // One transaction of a million rows, killed while it writes.
        let writer = Process()
        writer.executableURL = Self.bench
        writer.arguments = ["append", path, "1000000", "1000000"]
        writer.standardOutput = FileHandle.nullDevice
        try writer.run()
        try await Task.sleep(for: .milliseconds(700))
        kill(writer.processIdentifier, SIGKILL)
        await Task.detached { writer.waitUntilExit() }.value
        #expect(writer.terminationReason == .uncaughtSignal)
        #expect(try store.verify().intactRows == 3)
        try await store.append(Self.entry(4))
        #expect(try store.verify().intactRows == 4)
    }

    static let bench = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appending(
        path: "audit-bench")
}

extension AuditVerification {
    /// The row count of an intact chain; nil when broken.
    var intactRows: Int? {
        if case .intact(let rows, _) = self { rows } else { nil }
    }
}
