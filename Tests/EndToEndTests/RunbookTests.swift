import Foundation
import GenesysEmulator
import GenesysTestSupport
import NIOHTTP1
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
        // Its plan alone: every line holds against the changes of the lines before it, nothing is sent.
        let plan = try await ShellProcess.run(
            ["--sandbox", "--dry-run"] + variables + ["-f", "check.cmds"], home: home)
        #expect(plan.status == 0, "stderr: \(plan.stderr)")
        #expect(plan.stdout.hasPrefix("plan: "), "\(plan.stdout)")
        #expect(plan.stdout.contains("(\(campaign)): "), "\(plan.stdout)")
    }

    /// A runbook whose plan fails sends no change: not the lines before the one that fails, nor any after.
    @Test(arguments: [
        "use Q4_Renewals\nactivate\nexpect status == off\n",
        "pause Q4_Promo_East\nuse Q4_Promo_East\nwait lifecycle == active --timeout 5s\n",
        "recycle Leads_Webform --yes\nactivate Leads_Webform\narchive Q4_Promo_West\n",  // no --yes: refused
        "archive Q4_Promo_East --yes\nshow Q4_Promo_East\n",
    ])
    func aFailingPlanChangesNothing(runbook: String) async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            try runbook.write(to: home.url.appending(path: "plan.cmds"), atomically: true, encoding: .utf8)
            let result = try await ShellProcess.run(["--audit-db", "a.sqlite", "plan.cmds"], home: home)
            #expect(result.status == 3 || result.status == 2, "stderr: \(result.stderr)")
            #expect(
                result.stderr.contains("nothing was changed: the plan failed at the line above"), "\(result.stderr)")
            let changes = await emulator.requests().filter { $0.method != "GET" && $0.path.hasPrefix("/api/v2/") }
            #expect(changes.filter { !$0.path.hasSuffix("/campaigns/progress") }.isEmpty, "\(changes)")
            let rows = try await ShellProcess.run(
                ["--audit-db", "a.sqlite", "-c", "audit export --format jsonl"], home: home)
            #expect(rows.stdout.isEmpty)
        }
    }

    /// Apply stops at the first line whose campaigns are no longer as the plan found them, before it
    /// changes them: here another admin edits Q4_Renewals while apply waits on progress (the edit is what
    /// ends the wait, so the test does not race the wait's timeout on a loaded machine).
    @Test func applyStopsWhereTheOrgChangedSinceThePlan() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            try "on-error continue\nuse Q4_Renewals\nwait progress '>=' 50 --timeout 60s --every 100ms\nactivate\n"
                .write(to: home.url.appending(path: "edit.cmds"), atomically: true, encoding: .utf8)
            async let run = ShellProcess.run(["edit.cmds"], home: home)
            // The plan leaves the wait to apply: once apply has subscribed to the campaign's changes and
            // read its progress, it is waiting (the edit is then heard, or read by a later poll).
            let waiting: @Sendable ([LoggedRequest]) -> Bool = { requests in
                guard let subscribed = requests.lastIndex(where: { $0.path.hasSuffix("/subscriptions") }) else {
                    return false
                }
                return requests[subscribed...].contains { $0.path == "/api/v2/outbound/campaigns/progress" }
            }
            for _ in 0..<1_200 where await !waiting(emulator.requests()) {
                try await Task.sleep(for: .milliseconds(50))
            }
            // One edit (version 5 to 6) that also calls half the list.
            _ = try await RawHTTP.send(
                .POST, emulator.baseURL + "/emulator/v1/campaigns/c0ffee01-5eed-4001-8003-000000000003/state",
                body: #"{"contactsCalled": 3200}"#)
            let result = try await run
            #expect(result.status == 3, "stderr: \(result.stderr)")
            #expect(
                result.stderr.contains(
                    "edit.cmds:4: error: the org changed since the plan: Q4_Renewals was off (version 5) and is off (version 6)"
                ), "\(result.stderr)")
            #expect(
                await emulator.requests().filter { $0.method == "PUT" && $0.path.hasPrefix("/api/v2/outbound") }.isEmpty
            )
        }
    }

    /// A bulk command is recorded with the campaigns it resolved to and the state each was in: its replay
    /// acts on the same campaigns in the world it was recorded in, and changes nothing in a changed one.
    @Test(arguments: [
        ("activate --all --name Q4_Ren --yes", "activate Q4_Renewals"),
        ("pause --all --status on --yes", "pause Q4_Promo_West --yes"),
        ("archive --all --name Collections_60 --yes", "archive Collections_60day --yes"),
        ("recycle --all --name Leads_Web --yes", "recycle Leads_Webform --yes"),
        ("archive Collections_60day --yes; restore Collections_60day", "archive Collections_60day --yes"),
    ])
    func aRecordedBulkCommandReplaysOnItsWorldAndRefusesOnAChangedOne(command: String, change: String)
        async throws
    {
        let home = try ShellProcess.Home()
        @Sendable func changes(_ emulator: RunningEmulator) async -> Int {
            await emulator.requests().filter { $0.method != "GET" && $0.path.hasPrefix("/api/v2/outbound") }.count
        }
        try await GenesysEmulator.withRunning { emulator in
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let recorded = try await ShellProcess.run(
                [], input: "record start r.cmds\n\(command) > /dev/null\nrecord stop\n", home: home)
            #expect(recorded.status == 0, "stderr: \(recorded.stderr)")
        }
        let runbook = try String(contentsOf: home.url.appending(path: "r.cmds"), encoding: .utf8)
        #expect(runbook.contains("  # ids c0ffee01-") && !runbook.contains("--all"), "\(runbook)")
        try await GenesysEmulator.withRunning { emulator in
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let replay = try await ShellProcess.run(["r.cmds"], home: home)
            #expect(replay.status == 0, "stderr: \(replay.stderr)\n\(runbook)")
            #expect(await changes(emulator) > 0)
        }
        try await GenesysEmulator.withRunning { emulator in
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let changed = try await ShellProcess.run(["-c", change], home: home)
            #expect(changed.status == 0, "stderr: \(changed.stderr)")
            let before = await changes(emulator)
            let replay = try await ShellProcess.run(["r.cmds"], home: home)
            #expect(replay.status != 0 && replay.stderr.contains("nothing was changed"), "\(replay.stderr)\n\(runbook)")
            #expect(await changes(emulator) == before)
        }
    }

    /// A pause of a campaign already stopping (someone else's stop): the plan assumes the stop ends and
    /// says apply waits for it, reading the org once rather than polling it in simulated time.
    @Test func aPlanDoesNotWatchAStopItDidNotMake() async throws {
        var configuration = EmulatorConfiguration()
        configuration.stoppingDelay = .seconds(30)
        try await GenesysEmulator.withRunning(configuration) { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let stopped = try await ShellProcess.run(["-c", "pause Q4_Promo_East --no-wait"], home: home)
            #expect(stopped.status == 0, "\(stopped.stderr)")
            let before = await emulator.requests().count
            let plan = try await ShellProcess.run(["--dry-run", "-c", "pause Q4_Promo_East; echo done"], home: home)
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(
                plan.stdout.contains("stopping → off (a stop already under way; apply waits for it)"), "\(plan.stdout)")
            #expect(await emulator.requests().count - before < 10)
        }
    }

    /// A wait on what only time changes is left to apply, and the plan says so.
    @Test func thePlanNamesTheChecksLeftForApply() async throws {
        let home = try ShellProcess.Home()
        try "use Q4_Renewals\nactivate\nwait progress '>' 99 --timeout 1s --every 100ms\n".write(
            to: home.url.appending(path: "w.cmds"), atomically: true, encoding: .utf8)
        let plan = try await ShellProcess.run(["--sandbox", "--dry-run", "w.cmds"], home: home)
        #expect(plan.status == 0, "stderr: \(plan.stderr)")
        #expect(plan.stdout.contains("plan: 1 change\n"), "\(plan.stdout)")
        #expect(plan.stdout.contains("w.cmds:2  PUT /api/v2/outbound/campaigns/"), "\(plan.stdout)")
        #expect(plan.stdout.contains("campaignStatus off → on"), "\(plan.stdout)")
        #expect(plan.stdout.contains("w.cmds:3  checked live when applied: wait progress > 99"), "\(plan.stdout)")
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
                "expect status == on --campaign Q4_Promo_East  # id c0ffee01-5eed-4001-8001-000000000001\n"
                    + "pause Q4_Promo_East  # ids c0ffee01-5eed-4001-8001-000000000001\n"
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
        // Lines from a pipe run one by one: the first changes the world, the replay then plans against it.
        let result = try await ShellProcess.run(
            ["--sandbox", "--audit-db", "a.sqlite"], input: "activate Q4_Renewals > /dev/null\nsource launch.cmds\n",
            home: home
        )
        #expect(result.status == 3)
        #expect(result.stderr.contains("launch.cmds:2: error: expected status == off on Q4_Renewals, but status is on"))
        #expect(result.stderr.contains("nothing was changed"))
        let rows = try await ShellProcess.run(
            ["--audit-db", "a.sqlite", "-c", "audit export --format jsonl"], home: home)
        #expect(rows.stdout.split(separator: "\n").count == 2)  // only the activate before the replay: intent, success
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
            // A wait on progress is checked only when applied: it can stop a run after the activate.
            try
                "param goal\nactivate Q4_Renewals\nuse Q4_Renewals\nwait progress '>=' ${goal} --timeout 1s --every 100ms\n"
                .write(to: home.url.appending(path: "launch.cmds"), atomically: true, encoding: .utf8)
            let first = try await ShellProcess.run(
                ["--checkpoint", "launch.done", "--var", "goal=101", "launch.cmds"], home: home
            )
            #expect(first.status == 3, "stderr: \(first.stderr)")  // the wait timed out after the activate
            let second = try await ShellProcess.run(
                ["--checkpoint", "launch.done", "--resume", "--var", "goal=0", "launch.cmds"], home: home
            )
            #expect(second.status == 0, "stderr: \(second.stderr)")
            #expect(second.stderr.contains("launch.cmds:2: done before, skipped"))
            let puts = await emulator.requests().filter { $0.method == "PUT" && $0.path.hasPrefix("/api/v2/outbound") }
            #expect(puts.count == 1)
        }
    }
}
