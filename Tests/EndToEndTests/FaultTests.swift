import AuditStore
import Foundation
import GenesysEmulator
import GenesysTestSupport
import NIOHTTP1
import Testing

/// Faults in the middle of a bulk change: the run ends with its summary and a truthful status.
@Suite struct FaultTests {
    /// The seed of the fault campaign's draws (`scripts/soak` gives each round its own).
    static let faultSeed = ProcessInfo.processInfo.environment["FAULT_SEED"].flatMap(UInt64.init) ?? 7

    /// Starts `pause --all --status on` and, once every stop is sent, makes the next `failures` API
    /// requests answer 503 (the waiter's reads). The campaigns take `stopping` to stop. By polling unless
    /// `notifications`.
    static func pauseWithFailingPolls(
        failures: Int, timeout: String, stopping: Duration = .milliseconds(1500), notifications: Bool = false
    ) async throws -> (ShellProcess.Result, Int) {
        var configuration = EmulatorConfiguration()
        configuration.stoppingDelay = stopping
        return try await GenesysEmulator.withRunning(configuration) { emulator in
            let home = try ShellProcess.Home(environment: ["CAMPAIGNSH_NOTIFICATIONS": notifications ? "on" : "off"])
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let on = try await ShellProcess.run(["-c", "campaigns --status on --format csv --no-headers"], home: home)
            let count = on.stdout.split(whereSeparator: \.isNewline).count  // csv lines end in CRLF
            #expect(on.status == 0 && count >= 3, "\(on.stdout)\n\(on.stderr)")
            async let run = ShellProcess.run(
                ["-c", "pause --all --status on --yes --timeout \(timeout)"], home: home)
            // Bounded (60 s): a shell that never stops them fails the expectations instead of hanging.
            for _ in 0..<3_000
            where await emulator.requests().filter({ $0.method == "POST" && $0.path.hasSuffix("/stop") }).count < count
            {
                try await Task.sleep(for: .milliseconds(20))
            }
            _ = try await RawHTTP.send(
                .POST, emulator.baseURL + "/emulator/v1/faults",
                body: #"{"status":503,"count":\#(failures),"path":"/api/v2/outbound/campaigns"}"#)
            return (try await run, count)
        }
    }

    /// A burst of 503s longer than one poll's retries is ridden out: the campaigns stop, all are reported.
    @Test func aBurstOf503sDuringTheWaitIsRiddenOut() async throws {
        let (result, count) = try await Self.pauseWithFailingPolls(failures: 7, timeout: "60s")
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.components(separatedBy: "\tsuccess").count - 1 == count, "\(result.stdout)")
    }

    /// Polls that fail until the timeout: the summary still lists every campaign, and the run fails (1).
    @Test func pollsFailingToTheEndStillEndWithTheSummary() async throws {
        // Slower to stop than the timeout: however late the failures start, no poll after them succeeds.
        let (result, count) = try await Self.pauseWithFailingPolls(
            failures: 10_000, timeout: "3s", stopping: .seconds(60))
        #expect(result.status == 1, "stderr: \(result.stderr)\nstdout: \(result.stdout)")
        #expect(
            result.stdout.components(separatedBy: "its status could not be read").count - 1 == count,
            "\(result.stdout)")
    }

    /// The same reads failing while the channel told of each campaign's `stopping`: their status is
    /// known, so the run times out (3), it does not fail for want of a read.
    @Test func readsFailingWhileTheChannelToldTheStatusEndAsATimeout() async throws {
        let (result, count) = try await Self.pauseWithFailingPolls(
            failures: 10_000, timeout: "3s", stopping: .seconds(60), notifications: true)
        #expect(result.status == 3, "stderr: \(result.stderr)\nstdout: \(result.stdout)")
        #expect(!result.stdout.contains("could not be read"), "\(result.stdout)")
        #expect(
            result.stdout.components(separatedBy: "still stopping after 3 s").count - 1 == count, "\(result.stdout)")
    }

    /// The fault campaign: 10 % of requests answered 503, 429 bursts with Retry-After, a tenth delayed
    /// 200–800 ms, another admin editing a fifth of the campaigns, the token revoked mid-run; over a bulk
    /// pause of 50, a bulk activate of the same 50 and a bulk archive of 200. Every campaign ends right,
    /// each intent has one outcome, nothing took effect twice, and the chain verifies.
    @Test func aFaultCampaignOverBulkRunsEndsRight() async throws {
        var configuration = EmulatorConfiguration()
        configuration.seed = EmulatorSeed.bulk(250, like: "Q4_Promo_East")
        configuration.stoppingDelay = .milliseconds(300)
        configuration.rateLimit = 100_000
        configuration.maxActiveCampaigns = 1_000
        try await GenesysEmulator.withRunning(configuration) { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let control = emulator.baseURL + "/emulator/v1"
            for fault in [
                #"{"status":503,"percent":10,"seed":\#(Self.faultSeed)}"#,
                #"{"delayMs":200,"delayMaxMs":800,"percent":10}"#,
                #"{"status":429,"retryAfter":1,"count":3}"#,
            ] {
                #expect(try await RawHTTP.send(.POST, control + "/faults", body: fault).status == 204)
            }
            let ids = (1...250).map { String(format: "b0000000-0000-4000-8000-%012d", $0) }
            for id in ids.enumerated().filter({ $0.offset % 5 == 0 }).map(\.element) {
                _ = try await RawHTTP.send(.POST, control + "/campaigns/\(id)/bump", body: #"{"beforeNextPuts":1}"#)
            }
            let kept = (201...250).map { String(format: "Bulk_%03d", $0) }.joined(separator: " ")
            let archived = (1...200).map { String(format: "Bulk_%03d", $0) }.joined(separator: " ")
            let revoke = Task {
                try await Task.sleep(for: .seconds(2))
                _ = try await RawHTTP.send(.POST, control + "/tokens/revoke", body: "{}")
            }
            var summaries: [String] = []
            // The archive first: with 250 on, the org is over the 50 running campaigns activate allows.
            for line in [
                "archive \(archived) --yes", "pause \(kept) --yes",
                "activate \(kept) --yes --override agents,lines --reason 'one queue for all fifty'",
            ] {
                let started = ContinuousClock.now
                let result = try await ShellProcess.run(["-c", line + " --format csv"], home: home)
                print("fault campaign: \(line.prefix(while: { $0 != " " })) took \(ContinuousClock.now - started)")
                #expect(result.status == 0, "\(line.prefix(20))…: \(result.stderr.suffix(3000))")
                summaries.append(result.stdout)
            }
            _ = try await revoke.value

            // Every campaign ends right.
            let left = try await ShellProcess.run(
                ["-c", "campaigns --name Bulk_ --format csv --no-headers"], home: home)
            let rows = left.stdout.split(whereSeparator: \.isNewline).map { $0.split(separator: ",") }
            #expect(rows.count == 50 && rows.allSatisfy { $0.count > 2 && $0[2] == "on" }, "\(left.stdout)")
            // Nothing took effect twice: per campaign, one stop, PUT and DELETE at most that the server took.
            let applied = await emulator.requests().filter { (200..<300).contains($0.status) && $0.method != "GET" }
            for id in ids {
                let mine = applied.filter { $0.path.contains(id) }
                #expect(mine.filter { $0.path.hasSuffix("/stop") }.count <= 1, "\(id): \(mine)")
                #expect(mine.filter { $0.method == "PUT" }.count <= 1, "\(id): \(mine)")
                #expect(mine.filter { $0.method == "DELETE" }.count <= 1, "\(id): \(mine)")
            }
            // Each intent has one outcome, and the chain verifies.
            let audit = try AuditStore(
                path: home.url.appending(path: "data/campaignsh/127.0.0.1-campaign/audit.sqlite").path)
            var entries: [AuditEntry] = []
            try audit.forEach { entries.append($0.entry) }
            #expect(try audit.openIntents().isEmpty)
            let outcomes = Dictionary(
                grouping: entries.filter { $0.requestID != nil && $0.outcome != .intent && $0.outcome != .retried },
                by: \.requestID)
            let intents = entries.filter { $0.outcome == .intent }
            #expect(intents.allSatisfy { outcomes[$0.requestID]?.count == 1 }, "an intent without exactly one outcome")
            #expect(
                try audit.verify()
                    == .intact(rows: entries.count, head: try audit.recent(.init(), limit: 1).last?.anchor))
            let retried = entries.filter { $0.outcome == .retried }.count
            let faults = await emulator.requests().filter { $0.status == 503 || $0.status == 429 }.count
            print(
                "fault campaign: \(intents.count) intents, \(retried) retried attempts, \(faults) faults answered, \(entries.filter { $0.outcome == .conflictRetry }.count) conflict retries"
            )
        }
    }

    /// Four shells pausing overlapping sets of campaigns at once, on one audit file: each ends as its
    /// summary says, every campaign each touched has its outcome row in that shell's session, and the
    /// chain they wrote together verifies.
    @Test func fourShellsOnOverlappingCampaignsKeepOneChain() async throws {
        var configuration = EmulatorConfiguration()
        configuration.seed = EmulatorSeed.bulk(40, like: "Q4_Promo_East")
        configuration.stoppingDelay = .milliseconds(500)
        configuration.rateLimit = 100_000
        try await GenesysEmulator.withRunning(configuration) { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let audit = home.url.appending(path: "shared.sqlite").path
            let ranges = [1...15, 8...22, 16...30, 1...40]
            let results = try await withThrowingTaskGroup(of: (Int, ShellProcess.Result).self) { group in
                for (index, range) in ranges.enumerated() {
                    let names = range.map { String(format: "Bulk_%03d", $0) }.joined(separator: " ")
                    group.addTask {
                        (
                            index,
                            try await ShellProcess.run(
                                ["--audit-db", audit, "-c", "pause \(names) --yes --format csv"], home: home)
                        )
                    }
                }
                var results: [Int: ShellProcess.Result] = [:]
                for try await (index, result) in group { results[index] = result }
                return results
            }
            let store = try AuditStore(path: audit)
            var rows: [AuditRecord] = []
            try store.forEach { rows.append($0) }
            #expect(try store.verify() == .intact(rows: rows.count, head: rows.last?.anchor))
            #expect(try store.openIntents().isEmpty)
            let sessions = Dictionary(grouping: rows.filter { $0.entry.outcome != .intent }, by: \.entry.session)
            #expect(sessions.count == 4)
            for (index, range) in ranges.enumerated() {
                let result = try #require(results[index])
                #expect(result.status == 0, "shell \(index): \(result.stderr)")
                // Its summary: one line per campaign, each stopped by it (success) or found stopped (noop).
                let lines = result.stdout.split(whereSeparator: \.isNewline).dropFirst()
                #expect(lines.count == range.count, "shell \(index): \(result.stdout)")
                #expect(lines.allSatisfy { $0.contains(",success,") || $0.contains(",noop,") }, "\(result.stdout)")
            }
            // No lost row: each shell's session holds one outcome per campaign it named.
            #expect(sessions.values.map(\.count).sorted() == ranges.map(\.count).sorted())
            let left = try await ShellProcess.run(
                ["-c", "campaigns --status on --format csv --no-headers"], home: home)
            #expect(left.stdout.isEmpty, "still on: \(left.stdout)")
        }
    }
}
