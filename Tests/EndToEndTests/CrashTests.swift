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
            shell.waitUntilExit()
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
            shell.waitUntilExit()
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
            shell.waitUntilExit()
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
