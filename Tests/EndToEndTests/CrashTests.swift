import AuditStore
import Foundation
import GenesysEmulator
import GenesysTestSupport
import NIOHTTP1
import Testing

/// `kill -9` of the shell in the middle of a change, then `--resume`: every campaign converges, nothing is
/// sent twice, and every interrupted attempt is in the audit.
@Suite struct CrashTests {
    static let onCampaigns = ["Q4_Promo_East", "Q4_Promo_West", "Collections_30day"]

    /// Polls `condition` every 20 ms, for at most 20 s.
    static func eventually(_ condition: () async throws -> Bool) async throws {
        for _ in 0..<1_000 where try await !condition() { try await Task.sleep(for: .milliseconds(20)) }
    }

    static func stops(_ emulator: RunningEmulator) async -> Int {
        await emulator.requests().filter { $0.method == "POST" && $0.path.hasSuffix("/stop") }.count
    }

    /// Killed while its stops are in flight (their answers held back), after each one's intent: a later
    /// shell closes the intents with what the server says now, and the resumed runbook sends no stop again.
    @Test func killedWhileStopsAreInFlightThenResumed() async throws {
        var configuration = EmulatorConfiguration()
        configuration.stoppingDelay = .milliseconds(300)
        try await GenesysEmulator.withRunning(configuration) { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            try "on-error stop\npause \(Self.onCampaigns.joined(separator: " ")) --yes\n".write(
                to: home.url.appending(path: "r.cmds"), atomically: true, encoding: .utf8)
            for name in Self.onCampaigns {
                let stop = "/api/v2/outbound/campaigns/\(EmulatorHarness.demoCampaignID(name))/stop"
                _ = try await RawHTTP.send(
                    .POST, emulator.baseURL + "/emulator/v1/faults", body: #"{"delayMs":6000,"path":"\#(stop)"}"#)
            }
            let audit = home.url.appending(path: "a.sqlite").path
            // Opened once, before the shell: opening prepares the file, which waits for the shell's writes.
            let store = try AuditStore(path: audit)
            let shell = try ShellProcess.start(
                ["--audit-db", audit, "--checkpoint", "cp", "r.cmds"], home: home)
            try await Self.eventually { try store.openIntents().count == 3 }
            kill(shell.processIdentifier, SIGKILL)
            try await Self.eventually { !shell.isRunning }
            #expect(try store.openIntents().count == 3)
            // The held-back stops reach the server all the same.
            try await Self.eventually { await Self.stops(emulator) == 3 }

            let resumed = try await ShellProcess.run(
                ["--audit-db", audit, "--checkpoint", "cp", "--resume", "r.cmds"], home: home)
            #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
            let interrupted = resumed.stderr.split(separator: "\n").filter { $0.hasPrefix("interrupted: pause ") }
            #expect(interrupted.count == 3, "\(resumed.stderr)")
            #expect(await Self.stops(emulator) == 3, "a stop was sent again")
            #expect(try store.openIntents().isEmpty)
            var rows: [AuditRecord] = []
            try store.forEach { rows.append($0) }
            #expect(rows.filter { $0.entry.outcome == .interrupted }.count == 3)
            #expect(try store.verify() == .intact(rows: rows.count, head: rows.last?.anchor))
            let statuses = try await ShellProcess.run(
                ["--audit-db", audit, "-c", "campaigns --status on --format csv --no-headers"], home: home)
            #expect(statuses.stdout.isEmpty, "still on: \(statuses.stdout)")
        }
    }

    /// Killed at each cut point of a mutation (the shell kills itself there: `CAMPAIGNSH_CRASH_AT`): after
    /// the intent and before the request, after the server answered and before the row, after the rows and
    /// before the checkpoint. The resume converges, sends no stop twice, and what was in flight is closed.
    @Test(arguments: [("before-request", 1), ("after-request", 1), ("after-rows", 0)])
    func killedAtACutPointThenResumed(point: String, interrupted: Int) async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            try "pause Q4_Promo_East --yes\n".write(
                to: home.url.appending(path: "r.cmds"), atomically: true, encoding: .utf8)
            let audit = home.url.appending(path: "a.sqlite").path
            let shell = try ShellProcess.start(
                ["--audit-db", audit, "--checkpoint", "cp", "r.cmds"], home: home,
                environment: ["CAMPAIGNSH_CRASH_AT": point])
            // Not waitUntilExit: it would block a thread of the pool the in-process emulator answers on.
            try await Self.eventually { !shell.isRunning }
            #expect(shell.terminationReason == .uncaughtSignal && shell.terminationStatus == SIGKILL)
            let store = try AuditStore(path: audit)
            #expect(try store.openIntents().count == interrupted)
            let stopsBefore = await Self.stops(emulator)
            #expect(stopsBefore == (point == "before-request" ? 0 : 1))

            let resumed = try await ShellProcess.run(
                ["--audit-db", audit, "--checkpoint", "cp", "--resume", "r.cmds"], home: home)
            #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
            #expect(
                resumed.stderr.split(separator: "\n").filter { $0.hasPrefix("interrupted: pause Q4_Promo_East") }.count
                    == interrupted, "\(resumed.stderr)")
            let stops = await Self.stops(emulator)
            #expect(stops == 1, "stops: \(stops)")
            #expect(try store.openIntents().isEmpty)
            var rows: [AuditRecord] = []
            try store.forEach { rows.append($0) }
            #expect(try store.verify() == .intact(rows: rows.count, head: rows.last?.anchor))
            let status = try await ShellProcess.run(
                ["--audit-db", audit, "-c", "show Q4_Promo_East --format json"], home: home)
            #expect(!status.stdout.contains(#""on""#), "\(status.stdout)")
        }
    }

    /// The two mutations a state alone does not make idempotent, killed at each cut point: a recycle (a
    /// DELETE of the progress) and an archive (a DELETE of the campaign, its snapshot kept first). The resume
    /// sends neither DELETE again: a recycled campaign is a draft again, an archived one is in the archive.
    @Test(
        arguments: [
            ("recycle Collections_60day --yes\nshow Collections_60day --format json", "/progress"),
            ("archive Collections_60day --yes\narchives --format csv --no-headers", "0005"),
        ], ["before-request", "after-request", "after-rows"])
    func deleteKilledAtACutPointThenResumed(run: (lines: String, path: String), point: String) async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            try (run.lines + "\n").write(
                to: home.url.appending(path: "r.cmds"), atomically: true, encoding: .utf8)
            let deletes = {
                await emulator.requests().filter { $0.method == "DELETE" && $0.path.hasSuffix(run.path) }.count
            }
            let audit = home.url.appending(path: "a.sqlite").path
            let shell = try ShellProcess.start(
                ["--audit-db", audit, "--checkpoint", "cp", "r.cmds"], home: home,
                environment: ["CAMPAIGNSH_CRASH_AT": point])
            try await Self.eventually { !shell.isRunning }
            #expect(shell.terminationReason == .uncaughtSignal && shell.terminationStatus == SIGKILL)
            // The emulator logs a request once its answer is sent: the killed shell may have read it first.
            let sent = point == "before-request" ? 0 : 1
            try await Self.eventually { await deletes() == sent }
            #expect(await deletes() == sent)

            let resumed = try await ShellProcess.run(
                ["--audit-db", audit, "--checkpoint", "cp", "--resume", "r.cmds"], home: home)
            #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
            let requests = await emulator.requests().map { "\($0.method) \($0.path)" }
            #expect(await deletes() == 1, "requests: \(requests)")
            let store = try AuditStore(path: audit)
            #expect(try store.openIntents().isEmpty)
            var rows: [AuditRecord] = []
            try store.forEach { rows.append($0) }
            #expect(try store.verify() == .intact(rows: rows.count, head: rows.last?.anchor))
            if run.lines.hasPrefix("archive") {
                #expect(try store.archives().map(\.name) == ["Collections_60day"])
                #expect(
                    resumed.stdout.split(separator: "\n").filter { $0.hasPrefix("Collections_60day,") }.count == 1,
                    "\(resumed.stdout)")
            } else {
                #expect(resumed.stdout.contains(#""off""#), "\(resumed.stdout)")
            }
        }
    }

    /// Killed while the pause waits for its campaigns to stop (every stop sent and recorded): nothing is
    /// open, and the resumed pause waits on without sending a stop again.
    @Test func killedWhileThePauseWaitsThenResumed() async throws {
        var configuration = EmulatorConfiguration()
        configuration.stoppingDelay = .seconds(3)
        try await GenesysEmulator.withRunning(configuration) { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            try "on-error stop\npause \(Self.onCampaigns.joined(separator: " ")) --yes\n".write(
                to: home.url.appending(path: "r.cmds"), atomically: true, encoding: .utf8)
            let audit = home.url.appending(path: "a.sqlite").path
            let store = try AuditStore(path: audit)
            let shell = try ShellProcess.start(["--audit-db", audit, "--checkpoint", "cp", "r.cmds"], home: home)
            try await Self.eventually {
                var outcomes = 0
                try store.forEach { if $0.entry.outcome == .success { outcomes += 1 } }
                return outcomes == 3
            }
            kill(shell.processIdentifier, SIGKILL)
            try await Self.eventually { !shell.isRunning }
            #expect(try store.openIntents().isEmpty)

            let resumed = try await ShellProcess.run(
                ["--audit-db", audit, "--checkpoint", "cp", "--resume", "r.cmds"], home: home)
            #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
            #expect(await Self.stops(emulator) == 3, "a stop was sent again")
            let statuses = try await ShellProcess.run(
                ["--audit-db", audit, "-c", "campaigns --status on --format csv --no-headers"], home: home)
            #expect(statuses.stdout.isEmpty, "still on: \(statuses.stdout)")
        }
    }

    /// The trial's case: `use X; activate` done, killed in the next line's wait. The resume runs `use` again
    /// (the session the later lines need) but not `activate`, and goes on from the wait.
    @Test func resumeRepeatsNoChangeAndSkipsNone() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            try
                "use Q4_Renewals; activate\nwait progress '>=' 50 --timeout 60s --every 100ms\npause Q4_Renewals --yes\n"
                .write(to: home.url.appending(path: "r.cmds"), atomically: true, encoding: .utf8)
            let id = EmulatorHarness.demoCampaignID("Q4_Renewals")
            let shell = try ShellProcess.start(["--checkpoint", "cp", "r.cmds"], home: home)
            let checkpoint = home.url.appending(path: "cp")
            try await Self.eventually {
                guard (try? String(contentsOf: checkpoint, encoding: .utf8))?.contains(">1#1") == true else {
                    return false
                }
                // The wait has read the progress at least once since.
                return await emulator.requests().filter { $0.path.hasSuffix("\(id)/progress") }.count >= 1
            }
            kill(shell.processIdentifier, SIGKILL)
            try await Self.eventually { !shell.isRunning }
            _ = try await RawHTTP.send(
                .POST, emulator.baseURL + "/emulator/v1/campaigns/\(id)/state",
                body: #"{"contactsCalled":60,"totalContacts":100}"#)

            let resumed = try await ShellProcess.run(["--checkpoint", "cp", "--resume", "r.cmds"], home: home)
            #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
            #expect(resumed.stderr.contains("r.cmds:1: done before, skipped: activate"), "\(resumed.stderr)")
            let puts = await emulator.requests().filter { $0.method == "PUT" && $0.path.hasSuffix(id) }
            #expect(puts.count == 1, "activate was repeated: \(puts)")
            let after = try String(contentsOf: checkpoint, encoding: .utf8)
            #expect(after.contains(">2#0") && after.contains(">3#0"), "\(after)")
        }
    }
}
