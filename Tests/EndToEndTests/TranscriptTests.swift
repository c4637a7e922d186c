import Foundation
import GenesysEmulator
import Testing

/// Lines in, standard output, standard error and exit status out: the same path the live shell takes.
@Suite struct TranscriptTests {
    @Test func aPipeGetsTabSeparatedRowsAndNoPrompt() async throws {
        let result = try await ShellProcess.run(["--sandbox"], input: "campaigns\n")
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "id\tname\tcampaignStatus\tlifecycle\tdialingMode\tqueue\tpercentage")
        #expect(lines.count == 15)
        #expect(
            lines.contains("c0ffee01-5eed-4001-8003-000000000003\tQ4_Renewals\toff\tdraft\tpower\tSales Outbound\t0"))
        #expect(!result.stdout.contains("> "))
        #expect(result.stderr.isEmpty)
    }

    @Test func jsonOutputParses() async throws {
        let result = try await ShellProcess.run(["--sandbox", "-c", "campaigns --format json"])
        #expect(result.status == 0)
        let rows = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.count == 14)
        #expect(rows?.first?["percentage"] as? Int == 35)
        #expect(rows?.first?["id"] as? String == "c0ffee01-5eed-4001-8001-000000000001")
        #expect(rows?.first?["campaignStatus"] as? String == "on")
        let show = try await ShellProcess.run(["--sandbox", "--format", "json", "-c", "show Q4_Renewals"])
        let campaign = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
        #expect(campaign?["campaignStatus"] as? String == "off")
        #expect(campaign?["phoneColumns"] != nil)
    }

    @Test func redirectionsWriteAndAppendFilesAndPipesReachTheShell() async throws {
        let home = try ShellProcess.Home()
        let result = try await ShellProcess.run(
            [
                "--sandbox", "-c",
                "campaigns --format csv > c.csv; echo one > notes.txt; echo two >> notes.txt; campaigns --status on | wc -l",
            ],
            home: home
        )
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "4")  // header + 3 campaigns on
        let csv = try String(contentsOf: home.url.appending(path: "c.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("id,name,campaignStatus,lifecycle,dialingMode,queue,percentage\r\n"))
        #expect(csv.components(separatedBy: "\r\n").count == 16)
        #expect(try String(contentsOf: home.url.appending(path: "notes.txt"), encoding: .utf8) == "one\ntwo\n")
    }

    @Test(arguments: [
        ("use \"Q4", 2, "error: unclosed double quote"),
        ("frobnicate", 2, "error: unknown command 'frobnicate'; type 'help' for the list of commands"),
        ("campains", 2, "error: unknown command 'campains'; did you mean 'campaigns'?"),
        ("activte", 2, "error: unknown command 'activte'; did you mean 'activate'?"),
        ("use Nope_Campaign", 1, "error: no campaign named or with id 'Nope_Campaign'"),
        ("use promo", 1, "error: 'promo' matches 2 campaigns: Q4_Promo_East, Q4_Promo_West; be more specific"),
        ("show ${nothing}", 2, "error: unknown variable 'nothing'"),
        ("campaigns --bogus", 2, "error: Unknown option '--bogus'; see 'help campaigns'"),
        (
            "campaigns --stauts on", 2,
            "error: Unknown option '--stauts'. Did you mean '--status'?; see 'help campaigns'"
        ),
        ("show", 2, "error: no campaign selected; name one, or pick one with 'use NAME'"),
        (
            "campaigns --status bogus", 2,
            "error: unknown status 'bogus'; use on, stopping, off, complete, invalid, forced_off, forced_stopping, "
                + "draft, active, pausing, paused, archived; see 'help campaigns'"
        ),
        (
            "audit --verb bogus", 2,
            "error: unknown verb 'bogus'; use activate, pause, archive, restore, recycle, webhook; see 'help audit'"
        ),
        (
            "audit --since yesterday", 2,
            "error: --since takes an ISO-8601 time (2026-11-29, 2026-11-29T08:00:00Z) or an age (30m, 1h, 7d), "
                + "not 'yesterday'; see 'help audit'"
        ),
    ])
    func badInputIsOneLineAndANonZeroStatus(line: String, status: Int32, message: String) async throws {
        let result = try await ShellProcess.run(["--sandbox", "-c", line])
        #expect(result.status == status)
        #expect(result.stderr == message + "\n")
        #expect(result.stdout.isEmpty)
    }

    /// `use`, `campaigns --name` and bulk selections match names one way: a part of it or a glob, any case
    /// or accents.
    @Test func namesMatchOneWayEverywhere() async throws {
        let use = try await ShellProcess.run(["--sandbox", "-c", "use reac; show --format json"])
        #expect(use.status == 0, "stderr: \(use.stderr)")
        #expect(use.stdout.contains(#""name": "Réactivation_Clients""#), "\(use.stdout)")
        let listed = try await ShellProcess.run(["--sandbox", "-c", "campaigns --name 'q4_*east' --format csv"])
        #expect(
            listed.stdout.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",")[1] } == ["Q4_Promo_East"])
        let promo = try await ShellProcess.run(["--sandbox", "-c", "campaigns --name promo --format csv"])
        #expect(promo.stdout.split(separator: "\r\n").count == 3, "\(promo.stdout)")  // header, East, West
        let queue = try await ShellProcess.run([
            "--sandbox", "-c", "campaigns --queue 'Sales Outbound' --status on --format csv",
        ])
        #expect(queue.stdout.split(separator: "\r\n").count == 3, "\(queue.stdout)")
    }

    /// Every listing takes `--columns`, `--sort` and `--no-headers`, by the keys of its JSON.
    @Test func listingsAreCutToWhatWasAskedFor() async throws {
        let result = try await ShellProcess.run([
            "--sandbox", "-c", "campaigns --status on --columns name,percentage --sort -percentage --no-headers",
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let percentages = result.stdout.split(separator: "\n").compactMap { Int($0.split(separator: "\t")[1]) }
        #expect(percentages == percentages.sorted(by: >) && percentages.count == 3, "\(result.stdout)")
        let unknown = try await ShellProcess.run(["--sandbox", "-c", "campaigns --columns name,bogus"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.hasPrefix("error: no column 'bogus'; the columns are id, name, campaignStatus"))
    }

    @Test func expectAndWaitFailWithStatusThree() async throws {
        let expect = try await ShellProcess.run(["--sandbox", "-c", "use Q4_Promo_East; expect status == off"])
        #expect(expect.status == 3)
        #expect(expect.stderr.contains("expected status == off on Q4_Promo_East, but status is on"))
        let named = try await ShellProcess.run([
            "--sandbox", "-c",
            "expect status == on --campaign Q4_Promo_East; wait status == off --campaign Q4_Renewals --timeout 1s; show",
        ])
        #expect(named.status == 2)  // the campaigns were named: none became the current one
        #expect(named.stderr.contains("error: no campaign selected"), "\(named.stderr)")
        let wait = try await ShellProcess.run([
            "--sandbox", "-c", "use Q4_Renewals; wait progress '>' 10 --timeout 1s --every 200ms",
        ])
        #expect(wait.status == 3)
        #expect(wait.stderr.contains("timed out after 1s"))
        let holds = try await ShellProcess.run([
            "--sandbox", "-c",
            "use Q4_Promo_East; expect status == on; expect idleAgents ge 6; expect lifecycle == active",
        ])
        #expect(holds.status == 0)
    }

    @Test func theErrorPolicyDecidesWhetherTheRestRuns() async throws {
        let stop = try await ShellProcess.run(["--sandbox", "-c", "frobnicate; echo after"])
        #expect(stop.status == 2)
        #expect(stop.stdout.isEmpty)
        let go = try await ShellProcess.run(["--sandbox", "--on-error", "continue", "-c", "frobnicate; echo after"])
        #expect(go.status == 2)
        #expect(go.stdout == "after\n")
    }

    @Test func variablesFromFlagsAndSet() async throws {
        let result = try await ShellProcess.run(
            [
                "--sandbox", "--var", "camp=Q4_Renewals", "-c",
                "use ${camp}; set greeting hello world; echo \"${greeting}, ${camp}\"",
            ]
        )
        #expect(result.status == 0)
        #expect(result.stdout == "hello world, Q4_Renewals\n")
    }

    @Test func scriptErrorsNameTheFileAndLine() async throws {
        let home = try ShellProcess.Home()
        let script = home.url.appending(path: "steps.cmds")
        try "# a runbook\nuse Q4_Renewals\nexpect status == on\necho not reached\n".write(
            to: script, atomically: true, encoding: .utf8)
        let result = try await ShellProcess.run(["--sandbox", script.path], home: home)
        #expect(result.status == 3)
        #expect(result.stderr.contains("\(script.path):3: error: expected status == on"))
        #expect(!result.stdout.contains("not reached"))
    }

    @Test func helpIsGroupedByPluginAndPerCommand() async throws {
        let overview = try await ShellProcess.run(["--sandbox", "-c", "help"])
        for heading in ["Shell:", "Session:", "Campaigns:"] { #expect(overview.stdout.contains(heading)) }
        #expect(overview.stdout.contains("  use "))
        let use = try await ShellProcess.run(["--sandbox", "-c", "help use"])
        #expect(use.stdout.contains("USAGE: use <campaign>"))
        let flag = try await ShellProcess.run(["--sandbox", "-c", "use --help"])
        #expect(flag.stdout.trimmingCharacters(in: .newlines) == use.stdout.trimmingCharacters(in: .newlines))
        for (command, shown) in [("pause", "(default: 300s)"), ("wait", "(default: 2s)")] {
            let help = try await ShellProcess.run(["-c", "help \(command)"])
            #expect(help.stdout.contains(shown) && !help.stdout.contains("DurationArgument"), "\(help.stdout)")
            // The usage line is wrapped between options, never by the terminal inside one.
            #expect(help.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 }, "\(help.stdout)")
        }
        let usage = try await ShellProcess.run(["-c", "help pause"]).stdout.split(separator: "\n")
        #expect(usage.contains { $0.hasPrefix("       [--dry-run]") || $0.hasPrefix("       [") }, "\(usage)")
        let mistyped = try await ShellProcess.run(["-c", "help campains"])
        #expect(mistyped.stderr == "error: unknown command 'campains'; did you mean 'campaigns'?\n")
        let rootHelp = try await ShellProcess.run(["--yes", "--help"])
        #expect(rootHelp.status == 0)
        #expect(rootHelp.stdout.contains("USAGE: campaignsh [<options>] [<script>]"))
        let version = try await ShellProcess.run(["-c", "version"])
        #expect(version.stdout.hasPrefix("campaignsh "))
        #expect(version.status == 0)
    }

    @Test func withoutAnOrgCommandsSayHowToConfigureOne() async throws {
        let result = try await ShellProcess.run(["-c", "campaigns"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no Genesys Cloud org configured"))
        let flags = try await ShellProcess.run(["--format", "yaml"])
        #expect(flags.status == 2)
        #expect(
            flags.stderr
                == "campaignsh: error: unknown format 'yaml'; use table, plain, json, csv or jsonl; see 'campaignsh --help'\n"
        )
    }

    /// A half-configured environment stops the commands that need the org, with the reason, not the rest;
    /// an org named on the command line must be usable from the start.
    @Test func aHalfConfiguredOrgFailsOnlyTheCommandsThatNeedIt() async throws {
        let home = try ShellProcess.Home(environment: ["GENESYS_CLIENT_ID": "someone"])
        let result = try await ShellProcess.run(
            ["--on-error", "continue", "-c", "version; campaigns; audit verify"], home: home)
        #expect(result.status == 2)
        #expect(result.stdout.hasPrefix("campaignsh "))
        #expect(result.stdout.contains("audit chain intact: 0 rows"))
        #expect(
            result.stderr
                == "error: the environment has no client secret (GENESYS_CLIENT_SECRET, client_secret_env or client_secret)\n"
        )
        let named = try await ShellProcess.run(["--profile", "nope", "-c", "version"], home: home)
        #expect(named.status == 2 && named.stdout.isEmpty)
        #expect(named.stderr.hasPrefix("campaignsh: error: no profile 'nope'"))
    }

    @Test func anOrgFromTheEnvironmentOrADotEnvFile() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let result = try await ShellProcess.run(["-c", "whoami; campaigns --name Collections"], home: home)
            #expect(result.status == 0)
            #expect(result.stdout.contains("client id\tcampaignsh-sandbox"))
            #expect(result.stdout.contains("Collections_90day"))
            #expect(!result.stdout.contains("sandbox-secret"))
        }
    }

    @Test func profilesComeFromConfigToml() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home(environment: ["LAB_SECRET": "sandbox-secret"])
            let folder = home.url.appending(path: "config/campaignsh")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try """
            default_profile = "lab"

            [lab]
            api_base = "\(emulator.baseURL)"
            login_base = "\(emulator.baseURL)"
            client_id = "campaignsh-sandbox"
            client_secret_env = "LAB_SECRET"

            [prod]
            region = "eu-west-1"
            client_id = "prod-client"
            """.write(to: folder.appending(path: "config.toml"), atomically: true, encoding: .utf8)
            let result = try await ShellProcess.run(["-c", "profile list; login"], home: home)
            #expect(result.status == 0)
            #expect(result.stdout.contains("lab\t\(emulator.baseURL)\tcampaignsh-sandbox\ttrue"))
            #expect(result.stdout.contains("prod\teu-west-1\tprod-client\tfalse"))
            #expect(result.stdout.contains("logged in as client campaignsh-sandbox"))
            let missing = try await ShellProcess.run(["--profile", "staging", "-c", "campaigns"], home: home)
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("no profile 'staging'"))
        }
    }

    @Test func badCredentialsAreAnAuthenticationErrorWithStatusTwo() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL, secret: "wrong-one")
            let result = try await ShellProcess.run(["-c", "campaigns"], home: home)
            #expect(result.status == 2)
            #expect(result.stderr.contains("invalid_client"))
            #expect(!result.stderr.contains("wrong-one"))
        }
    }
}
