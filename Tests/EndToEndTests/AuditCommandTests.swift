import AuditStore
import Foundation
import GenesysEmulator
import Testing

/// `audit`, `audit export` and `audit verify` on real database files.
@Suite struct AuditCommandTests {
    /// Each org has its own trail: the sandbox's rehearsals never mix with a real org's changes, every row
    /// names its org, and `whoami` and `audit` say which file they use.
    @Test func eachOrgKeepsItsOwnAuditFile() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            let data = home.url.appending(path: "data/campaignsh")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            try Data("not a database".utf8).write(to: data.appending(path: "audit.sqlite"))  // the old default
            let sandbox = try await ShellProcess.run(["--sandbox", "-c", "activate Q4_Renewals"], home: home)
            #expect(sandbox.status == 0, "stderr: \(sandbox.stderr)")
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let org = try await ShellProcess.run(
                ["-c", "activate Q4_Renewals > /dev/null; whoami --format json; audit --format json"], home: home)
            #expect(org.status == 0, "stderr: \(org.stderr)")
            let orgFile = data.appending(path: "127.0.0.1-campaign/audit.sqlite").path
            #expect(org.stdout.contains(#""audit file": "\#(orgFile)""#), "\(org.stdout)")
            #expect(org.stderr.contains("audit file: \(orgFile)"), "\(org.stderr)")

            var rows: [AuditRecord] = []
            try AuditStore(path: orgFile).forEach { rows.append($0) }
            #expect(rows.map(\.entry.outcome) == [.intent, .success])  // the PUT's intent, then its outcome
            #expect(rows.map(\.entry.actor.apiBase) == [emulator.baseURL, emulator.baseURL])
            #expect(rows.map(\.entry.actor.clientID) == ["campaignsh-sandbox", "campaignsh-sandbox"])
            var sandboxRows: [AuditRecord] = []
            try AuditStore(path: data.appending(path: "sandbox/audit.sqlite").path).forEach { sandboxRows.append($0) }
            #expect(sandboxRows.map(\.entry.actor.profile) == ["sandbox", "sandbox"])
            #expect(try Data(contentsOf: data.appending(path: "audit.sqlite")) == Data("not a database".utf8))
        }
    }

    static let hostileNames = ["Q4, \"East\"\nsecond line", "Réactivation;Clients 🚀", "tab\there", "plain"]

    /// A database in `home` holding one row per hostile name, then `extra` plain rows.
    static func database(in home: ShellProcess.Home, extra: Int = 0) async throws -> String {
        let path = home.url.appending(path: "audit.sqlite").path
        let store = try AuditStore(path: path)
        let actor = AuditActor(profile: "prod", clientID: "client-1", osUser: "alice", host: "ops-1")
        try await store.append(
            contentsOf: hostileNames.enumerated().map { index, name in
                AuditEntry(
                    actor: actor, session: "s-1", command: "pause '\(name)'", campaignID: "id-\(index)",
                    campaignName: name,
                    verb: "pause", fromStatus: "on", toStatus: "off", outcome: index == 1 ? .refused : .success,
                    httpStatus: 200, overrideChecks: index == 2 ? "agents" : nil,
                    overrideReason: index == 2 ? "night shift" : nil
                )
            })
        var written = 0
        while written < extra {
            let count = min(10_000, extra - written)
            try await store.append(
                contentsOf: (0..<count).map { number in
                    AuditEntry(
                        actor: actor, session: "s-2", command: "pause", campaignName: "Bulk_\(written + number)",
                        verb: "pause", outcome: .success)
                })
            written += count
        }
        return path
    }

    @Test func jsonlExportKeepsHostileNamesIntact() async throws {
        let home = try ShellProcess.Home()
        let path = try await Self.database(in: home)
        let result = try await ShellProcess.run(["--audit-db", path, "-c", "audit export --format jsonl"], home: home)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        let rows = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
        #expect(rows.map { $0["campaign_name"] as? String } == Self.hostileNames)
        #expect(rows.map { $0["seq"] as? Int } == [1, 2, 3, 4])
        #expect(rows[1]["outcome"] as? String == "refused")
        #expect(rows[2]["override_reason"] as? String == "night shift")
        #expect((rows[0]["hash"] as? String)?.count == 64)
    }

    @Test func csvExportFollowsRFC4180() async throws {
        let home = try ShellProcess.Home()
        let path = try await Self.database(in: home)
        let result = try await ShellProcess.run(
            ["--audit-db", path, "-c", "audit export --format csv --outcome success > audit.csv"], home: home)
        #expect(result.status == 0)
        let records = CSV.parse(try String(contentsOf: home.url.appending(path: "audit.csv"), encoding: .utf8))
        #expect(records.first?.first == "seq")
        let nameColumn = try #require(records.first?.firstIndex(of: "campaign_name"))
        #expect(
            records.dropFirst().map { $0[nameColumn] } == [
                Self.hostileNames[0], Self.hostileNames[2], Self.hostileNames[3],
            ])
        #expect(records.allSatisfy { $0.count == records[0].count })
    }

    @Test func recentRowsAreFiltered() async throws {
        let home = try ShellProcess.Home()
        let path = try await Self.database(in: home)
        let result = try await ShellProcess.run(
            ["--audit-db", path, "-c", "audit --since 1h --outcome refused"], home: home)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1].hasPrefix("2\t"))
        let bad = try await ShellProcess.run(["--audit-db", path, "-c", "audit --outcome maybe"], home: home)
        #expect(bad.status == 2)
    }

    @Test func verifyNamesARowAlteredWithTheSqliteCommandLine() async throws {
        let home = try ShellProcess.Home()
        let path = try await Self.database(in: home)
        let intact = try await ShellProcess.run(["--audit-db", path, "-c", "audit verify"], home: home)
        #expect(intact.status == 0)
        let head = try #require(intact.stdout.firstMatch(of: /; head (4:[0-9a-f]{64})\n$/)?.1)
        #expect(intact.stdout == "audit chain intact: 4 rows in \(path); head \(head)\n")

        try Self.sqlite(path, "DELETE FROM audit WHERE seq = 4")
        let truncated = try await ShellProcess.run(
            ["--audit-db", path, "-c", "audit verify; audit verify --anchor \(head)"], home: home)
        #expect(truncated.status == 1)
        #expect(truncated.stdout.hasPrefix("audit chain intact: 3 rows"))
        #expect(
            truncated.stderr
                == "error: audit chain broken at row 4: the anchored row is gone: the newest rows were deleted\n")

        try Self.sqlite(path, "UPDATE audit SET outcome = 'success' WHERE seq = 2")
        let broken = try await ShellProcess.run(["--audit-db", path, "-c", "audit verify"], home: home)
        #expect(broken.status == 1)
        #expect(
            broken.stderr
                == "error: audit chain broken at row 2: its contents do not match its hash (the row was altered)\n")

        let badAnchor = try await ShellProcess.run(["--audit-db", path, "-c", "audit verify --anchor 4"], home: home)
        #expect(badAnchor.status == 2)
        #expect(badAnchor.stderr.hasPrefix("error: --anchor takes SEQ:HASH"))
    }

    /// Changes the database behind the tool's back, as someone covering their tracks would.
    static func sqlite(_ path: String, _ statement: String) throws {
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [path, statement]
        try sqlite.run()
        sqlite.waitUntilExit()
        #expect(sqlite.terminationStatus == 0)
    }

    @Test func exportingAHundredThousandRowsStreams() async throws {
        let home = try ShellProcess.Home()
        let path = try await Self.database(in: home, extra: 100_000)
        // /usr/bin/time reports the shell's peak memory: holding the rows would take far more than streaming.
        let result = try await ShellProcess.run(
            ["--audit-db", path, "-c", "audit export --format jsonl | wc -l; audit export --format csv > /dev/null"],
            home: home, wrapper: ["/usr/bin/time", "-f", "peak %M KB"]
        )
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "100004")
        let peak = result.stderr.split(separator: "\n").last { $0.hasPrefix("peak ") }.flatMap {
            Int($0.split(separator: " ")[1])
        }
        #expect((peak ?? .max) < 80_000, "peak memory \(peak ?? -1) KB")
    }
}

/// Just enough RFC 4180 to check what the shell writes.
enum CSV {
    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        field.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                record.append(field)
                field = ""
            } else if character == "\r\n" || character == "\n" {
                record.append(field)
                records.append(record)
                (record, field) = ([], "")
            } else {
                field.append(character)
            }
        }
        return records
    }
}
