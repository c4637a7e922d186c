import Foundation
import GenesysEmulator
import Testing

/// Runbooks: the examples, recording and replay, parameters, sourcing, error policy, resume.
@Suite struct RunbookTests {
    static let runbooks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "scripts/runbooks")

    @Test(arguments: [
        ("morning-launch.cmds", ["--var", "campaign=Q4_Renewals", "--var", "min_agents=3"], "Q4_Renewals", "on"),
        ("maintenance-pause.cmds", ["--var", "queue=Sales Outbound", "--var", "timeout=30s"], "Q4_Promo_West", "off"),
        ("recycle-and-relaunch.cmds", ["--var", "campaign=Leads_Webform"], "Leads_Webform", "on"),
    ])
    func theExampleRunbooksRun(file: String, variables: [String], campaign: String, status: String) async throws {
        let home = try ShellProcess.Home()
        // The example, then a check of where it left the campaign, in one sandbox.
        try "source \(Self.runbooks.appending(path: file).path)\nuse \(campaign)\nexpect status == \(status)\n"
            .write(to: home.url.appending(path: "check.cmds"), atomically: true, encoding: .utf8)
        let result = try await ShellProcess.run(["--sandbox"] + variables + ["-f", "check.cmds"], home: home)
        #expect(result.status == 0, "stderr: \(result.stderr)")
    }

    /// Records through the shell, then replays on a fresh sandbox.
    @Test func aRecordedSessionReplaysToTheSameStates() async throws {
        let home = try ShellProcess.Home()
        let recorded = try await ShellProcess.run(
            ["--sandbox", "--audit-db", "first.sqlite"],
            input:
                "record start steps.cmds\nuse q4_ren\nshow > /dev/null\nactivate\npause Q4_Promo_East\nhelp > /dev/null\nrecord stop\ncampaigns --format csv > first.csv\n",
            home: home
        )
        #expect(recorded.status == 0, "stderr: \(recorded.stderr)")
        let runbook = try String(contentsOf: home.url.appending(path: "steps.cmds"), encoding: .utf8)
        #expect(runbook.contains("use Q4_Renewals  # id c0ffee01-5eed-4001-8003-000000000003\n"))
        #expect(runbook.contains("expect status == off\nactivate\n"))
        #expect(
            runbook.contains(
                "use Q4_Promo_East  # id c0ffee01-5eed-4001-8001-000000000001\nexpect status == on\npause Q4_Promo_East\n"
            ))
        #expect(!runbook.split(separator: "\n").contains { $0.hasPrefix("help") || $0.hasPrefix("record ") })

        let replayed = try await ShellProcess.run(
            [
                "--sandbox", "--audit-db", "second.sqlite", "-c",
                "source steps.cmds; campaigns --format csv > second.csv",
            ], home: home
        )
        #expect(replayed.status == 0, "stderr: \(replayed.stderr)")
        let first = try String(contentsOf: home.url.appending(path: "first.csv"), encoding: .utf8)
        let second = try String(contentsOf: home.url.appending(path: "second.csv"), encoding: .utf8)
        #expect(first == second)
        let outcomes = { (db: String) async throws -> [String] in
            try await ShellProcess.run(["--audit-db", db, "-c", "audit export --format csv"], home: home).stdout
                .split(separator: "\r\n").dropFirst().map {
                    $0.split(separator: ",", omittingEmptySubsequences: false)[10...13].joined(separator: ",")
                }
        }
        #expect(try await outcomes("first.sqlite") == outcomes("second.sqlite"))
    }

    @Test func aReplayRefusesWhenTheWorldIsNotAsRecorded() async throws {
        let home = try ShellProcess.Home()
        try "use Q4_Renewals\nexpect status == off\nactivate\n".write(
            to: home.url.appending(path: "launch.cmds"), atomically: true, encoding: .utf8)
        let result = try await ShellProcess.run(
            ["--sandbox", "--audit-db", "a.sqlite", "-c", "activate Q4_Renewals > /dev/null; source launch.cmds"],
            home: home
        )
        #expect(result.status == 3)
        #expect(result.stderr.contains("launch.cmds:2: error: expected status == off on Q4_Renewals, but status is on"))
        let rows = try await ShellProcess.run(
            ["--audit-db", "a.sqlite", "-c", "audit export --format jsonl"], home: home)
        #expect(rows.stdout.split(separator: "\n").count == 1)  // only the activate before the replay
    }

    @Test func theErrorPolicyAndParametersAndSourceCycles() async throws {
        let home = try ShellProcess.Home()
        func write(_ name: String, _ text: String) throws {
            try text.write(to: home.url.appending(path: name), atomically: true, encoding: .utf8)
        }
        try write("stop.cmds", "frobnicate\necho after\n")
        try write("go.cmds", "on-error continue\nfrobnicate\necho after\n")
        try write("a.cmds", "source sub/b.cmds\n")
        try FileManager.default.createDirectory(at: home.url.appending(path: "sub"), withIntermediateDirectories: true)
        try write("sub/b.cmds", "source ../a.cmds\n")
        try write("param.cmds", "echo before\nparam campaign\nuse ${campaign}\n")

        let stop = try await ShellProcess.run(["stop.cmds"], home: home)
        #expect(stop.status == 2 && stop.stdout.isEmpty)
        #expect(
            stop.stderr.hasSuffix(
                "stop.cmds:1: error: unknown command 'frobnicate'; type 'help' for the list of commands\n"))
        let go = try await ShellProcess.run(["go.cmds"], home: home)
        #expect(go.status == 2 && go.stdout == "after\n")
        let cycle = try await ShellProcess.run(["a.cmds"], home: home)
        #expect(cycle.status == 2)
        #expect(cycle.stderr.contains("sub/b.cmds:1: error: source cycle: a.cmds → b.cmds → a.cmds"))
        let missing = try await ShellProcess.run(["--sandbox", "param.cmds"], home: home)
        #expect(missing.status == 2)
        #expect(missing.stdout.isEmpty)  // stopped before the first line ran
        #expect(
            missing.stderr.contains("param.cmds:2: error: parameter 'campaign' has no value; pass --var campaign=VALUE")
        )
    }

    @Test func resumeDoesNotRepeatACompletedMutation() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            try "param phase\nactivate Q4_Renewals\nuse Q4_Renewals\nexpect lifecycle == ${phase}\n"
                .write(to: home.url.appending(path: "launch.cmds"), atomically: true, encoding: .utf8)
            let first = try await ShellProcess.run(
                ["--checkpoint", "launch.done", "--var", "phase=paused", "launch.cmds"], home: home
            )
            #expect(first.status == 3)  // interrupted by a failed expectation after the activate
            let second = try await ShellProcess.run(
                ["--checkpoint", "launch.done", "--resume", "--var", "phase=active", "launch.cmds"], home: home
            )
            #expect(second.status == 0, "stderr: \(second.stderr)")
            #expect(second.stderr.contains("launch.cmds:2: done before, skipped"))
            let puts = await emulator.requests().filter { $0.method == "PUT" }
            #expect(puts.count == 1)
        }
    }
}
