import Foundation
import GenesysEmulator
import Testing

/// activate, pause, archive, restore, recycle, transition and capacity as an operator runs them.
@Suite struct TransitionCommandTests {
    @Test func activateAndPauseTheCurrentCampaign() async throws {
        let result = try await ShellProcess.run(
            [
                "--sandbox", "-c",
                "use Q4_Renewals; activate; expect status == on; pause --timeout 30s; expect status == off; audit --verb pause",
            ]
        )
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("Q4_Renewals\toff\ton\tsuccess\t1\t"))
        #expect(result.stdout.contains("Q4_Renewals\ton\toff\tsuccess\t1\t"))
        // A stop has no body and no version: the row has no status after it, the wait above saw off.
        #expect(result.stdout.contains("\tQ4_Renewals\tpause\ton\t\tsuccess\t1\t204"))
    }

    @Test func bulkAndDestructiveVerbsNeedYesOutsideATerminal() async throws {
        let bulk = try await ShellProcess.run(["--sandbox", "-c", "pause --all --name Q4_Promo"])
        #expect(bulk.status == 2)
        #expect(bulk.stderr == "error: pause 2 campaigns needs --yes outside a terminal\n")
        let archive = try await ShellProcess.run(["--sandbox", "-c", "archive Q4_Renewals"])
        #expect(archive.status == 2)
        #expect(archive.stderr == "error: archive Q4_Renewals needs --yes outside a terminal\n")
        let confirmed = try await ShellProcess.run([
            "--sandbox", "-c", "pause --all --name Q4_Promo --yes --timeout 30s",
        ])
        #expect(confirmed.status == 0, "stdout: \(confirmed.stdout) stderr: \(confirmed.stderr)")
        #expect(confirmed.stdout.split(separator: "\n").filter { $0.contains("\tsuccess\t") }.count == 2)
    }

    /// A dry run prints the plan, whose lines see the changes of the lines before them, keeps its rows
    /// (outcome dry_run) and changes nothing.
    @Test func dryRunPrintsThePlanAndChangesNothing() async throws {
        let home = try ShellProcess.Home()
        let result = try await ShellProcess.run(
            [
                "--sandbox", "--dry-run", "--audit-db", "a.sqlite", "-c",
                "activate Q4_Renewals; archive Collections_60day --yes; use Q4_Renewals; expect status == on",
            ],
            home: home
        )
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.hasPrefix("plan: 2 changes\n"), "\(result.stdout)")
        #expect(
            result.stdout.contains(
                "-c:1  PUT /api/v2/outbound/campaigns/c0ffee01-5eed-4001-8003-000000000003 (Q4_Renewals): version 5; campaignStatus off → on"
            ), "\(result.stdout)")
        #expect(result.stdout.contains("-c:1  DELETE /api/v2/outbound/campaigns/"), "\(result.stdout)")
        let rows = try await ShellProcess.run(
            ["--audit-db", "a.sqlite", "-c", "audit export --format csv"], home: home)
        #expect(rows.stdout.split(separator: "\r\n").filter { $0.contains(",dry_run,") }.count == 2, "\(rows.stdout)")
        #expect(!rows.stdout.contains(",success,"))
        let recent = try await ShellProcess.run(["--audit-db", "a.sqlite", "-c", "audit --format csv"], home: home)
        #expect(recent.stdout.split(separator: "\r\n").count == 1, "\(recent.stdout)")  // the header: dry runs hidden
        let all = try await ShellProcess.run(["--audit-db", "a.sqlite", "-c", "audit --all --format csv"], home: home)
        #expect(all.stdout.split(separator: "\r\n").count == 3, "\(all.stdout)")
    }

    /// A wait that runs out is exit 3 whatever the verb: a pause's, and an archive's that then deletes nothing.
    @Test func aTimedOutWaitIsStatusThreeForEveryVerb() async throws {
        var slow = EmulatorConfiguration()
        slow.stoppingDelay = .seconds(30)
        try await GenesysEmulator.withRunning(slow) { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            for line in ["pause Q4_Promo_East --timeout 1s", "archive Q4_Promo_West --yes --timeout 1s"] {
                let result = try await ShellProcess.run(["-c", line], home: home)
                #expect(result.status == 3, "\(line): \(result.stderr)")
                #expect(result.stderr.contains("timed out"), "\(line): \(result.stderr)")
            }
            #expect(await emulator.requests().filter { $0.method == "DELETE" }.isEmpty)
        }
    }

    @Test func overridesNeedAReason() async throws {
        let missing = try await ShellProcess.run(["--sandbox", "-c", "activate Retention_Save --override agents"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--override needs --reason"))
        let refused = try await ShellProcess.run(["--sandbox", "-c", "activate Retention_Save"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("pre-flight failed: agents fail (0 idle on-queue agents, 1 needed)"))
        let overridden = try await ShellProcess.run(
            [
                "--sandbox", "-c",
                "activate Retention_Save --override agents --reason 'agents join at 9'; audit export --format jsonl --verb activate",
            ]
        )
        #expect(overridden.status == 0, "stderr: \(overridden.stderr)")
        #expect(
            overridden.stderr.contains(
                "  overridden agents: 0 idle on-queue agents, 1 needed (fail, overridden: agents join at 9)"),
            "\(overridden.stderr)")
        #expect(overridden.stdout.contains(#""override_checks": "agents", "override_reason": "agents join at 9""#))
    }

    @Test func archiveRestoreAndArchives() async throws {
        let home = try ShellProcess.Home()
        let result = try await ShellProcess.run(
            [
                "--sandbox", "-c",
                "archive Collections_60day --yes; archives; restore Collections_60day; archives; campaigns --name Collections_60",
            ],
            home: home
        )
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("Collections_60day\toff\tarchived\tsuccess"))
        #expect(result.stdout.contains("Collections_60day\tarchived\toff\tsuccess"))
        #expect(result.stdout.contains("Collections_60day\toff\tdraft\tprogressive\tCollections\t0"))
    }

    @Test func capacityReportsEachCheckAndFailsWhenOneFails() async throws {
        let failing = try await ShellProcess.run(["--sandbox", "-c", "capacity Retention_Save"])
        #expect(failing.status == 1)
        #expect(failing.stdout.contains("agents\tfail\t0 idle on-queue agents, 1 needed"))
        #expect(failing.stdout.contains("capacity\tpass\t"))
        let passing = try await ShellProcess.run(["--sandbox", "-c", "capacity Q4_Renewals --min-agents 6"])
        #expect(passing.status == 0)
        #expect(passing.stdout.contains("lines\tpass\t13 outbound lines; the dialer reports 300 available"))
        let transition = try await ShellProcess.run([
            "--sandbox", "-c", "transition Q4_Renewals active; use Q4_Renewals; expect status == on",
        ])
        #expect(transition.status == 0, "stderr: \(transition.stderr)")
        let bad = try await ShellProcess.run(["--sandbox", "-c", "transition Q4_Renewals complete"])
        #expect(bad.status == 2)
    }
}
