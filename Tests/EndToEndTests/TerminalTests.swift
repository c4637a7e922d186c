import Foundation
import GenesysEmulator
import Testing

/// The interactive shell on a real pseudo-terminal: libedit, history, completion, Ctrl-C, Ctrl-D.
@Suite(.serialized) struct TerminalTests {
    @Test func historyIsKeptAcrossRunsAndUpRecallsIt() async throws {
        let home = try ShellProcess.Home()
        let first = try TerminalSession(["--sandbox"], home: home)
        #expect(await first.waitFor("sandbox> "), "screen: \(first.text)")
        first.type("echo remembered\r")
        #expect(await first.waitForPrompt(after: "remembered\r\n"), "screen: \(first.text)")
        // Never kept: a known secret, words that suggest one, a line starting with a space.
        for line in ["echo sandbox-secret", "echo my password is x", " echo private"] {
            let before = first.shownLength
            first.type(line + "\r")
            #expect(await first.waitForPrompt(after: "\r\n", from: before), "screen: \(first.text)")
        }
        await first.typeCtrlD()
        let firstStatus = await first.exitStatus()
        #expect(firstStatus == 0, "screen: \(first.text)")

        let attributes = try FileManager.default.attributesOfItem(atPath: home.historyFile.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOf: home.historyFile, encoding: .utf8) == "echo remembered\n")

        let second = try TerminalSession(["--sandbox"], home: home)
        #expect(await second.waitFor("sandbox> "), "screen: \(second.text)")
        let before = second.shownLength
        second.type("\u{1B}[A\r")  // Up, Enter
        #expect(await second.waitForPrompt(after: "remembered\r\n", from: before), "screen: \(second.text)")
        await second.typeCtrlD()
        let secondStatus = await second.exitStatus()
        #expect(secondStatus == 0, "screen: \(second.text)")
    }

    /// A sandbox shell whose campaign names are cached: `campaigns` fills the cache now rather than in the
    /// background.
    static func shellWithCampaignNames() async throws -> TerminalSession {
        let shell = try TerminalSession(["--sandbox"], home: try ShellProcess.Home())
        #expect(await shell.waitFor("sandbox> "), "screen: \(shell.text)")
        let beforeList = shell.shownLength
        shell.type("campaigns > /dev/null\r")
        #expect(await shell.waitFor("\nsandbox> ", after: beforeList), "screen: \(shell.text)")
        return shell
    }

    @Test func tabCompletesACampaignName() async throws {
        let shell = try await Self.shellWithCampaignNames()
        shell.type("use Réact\t")
        // libedit redraws the completed word with cursor moves, so only its tail shows up contiguously.
        #expect(await shell.waitFor("ivation_Clients"), "screen: \(shell.text)")
        shell.type("\r")
        #expect(await shell.waitFor("sandbox:Réactivation_Clients> "), "screen: \(shell.text)")
        shell.type("exit\r")
        let shellStatus = await shell.exitStatus()
        #expect(shellStatus == 0, "screen: \(shell.text)")
    }

    /// After `>` Tab completes a file name (here in the shell's working directory, the test's home).
    @Test func tabCompletesTheFileAfterARedirect() async throws {
        let home = try ShellProcess.Home()
        try Data().write(to: home.url.appending(path: "yesterday-export.csv"))
        let shell = try TerminalSession(["--sandbox"], home: home)
        #expect(await shell.waitFor("sandbox> "), "screen: \(shell.text)")
        shell.type("campaigns --format csv > yester\t")
        #expect(await shell.waitFor("day-export.csv"), "screen: \(shell.text)")
        let before = shell.shownLength
        shell.type("\r")
        #expect(await shell.waitFor("\nsandbox> ", after: before), "screen: \(shell.text)")
        let written = try String(contentsOf: home.url.appending(path: "yesterday-export.csv"), encoding: .utf8)
        #expect(written.contains(",Q4_Renewals,off,draft,"), "\(written)")
        shell.type("exit\r")
        let shellStatus = await shell.exitStatus()
        #expect(shellStatus == 0, "screen: \(shell.text)")
    }

    @Test func tabCompletesANameWithSpacesToAWordThatRuns() async throws {
        let shell = try await Self.shellWithCampaignNames()
        shell.type("use 'Holi\t")
        #expect(await shell.waitFor("2026' "), "screen: \(shell.text)")
        shell.type("\r")
        #expect(await shell.waitFor("sandbox:Holiday Preview 2026> "), "screen: \(shell.text)")
        let beforeSecond = shell.shownLength
        shell.type("show Holi\t\r")  // unquoted: completed with backslashes
        #expect(await shell.waitForPrompt(after: "Holiday Preview 2026", from: beforeSecond), "screen: \(shell.text)")
        #expect(!shell.text.contains("error"), "screen: \(shell.text)")
        shell.type("exit\r")
        let shellStatus = await shell.exitStatus()
        #expect(shellStatus == 0, "screen: \(shell.text)")
    }

    @Test func ctrlCCancelsAHalfTypedLine() async throws {
        let home = try ShellProcess.Home()
        let shell = try TerminalSession(["--sandbox"], home: home)
        #expect(await shell.waitFor("sandbox> "), "screen: \(shell.text)")
        shell.type("use Q4_Promo_Ea")
        #expect(await shell.waitFor("Q4_Promo_Ea"), "screen: \(shell.text)")
        let beforeInterrupt = shell.shownLength
        shell.type("\u{3}")
        #expect(await shell.waitFor("sandbox> ", after: beforeInterrupt), "screen: \(shell.text)")
        shell.type("echo still here\r")
        #expect(await shell.waitForPrompt(after: "still here\r\n", from: beforeInterrupt), "screen: \(shell.text)")
        #expect(!shell.text.contains("using Q4_Promo_East"))
        await shell.typeCtrlD()
        let shellStatus = await shell.exitStatus()
        #expect(shellStatus == 0, "screen: \(shell.text)")
        #expect(!(try String(contentsOf: home.historyFile, encoding: .utf8)).contains("Q4_Promo_Ea"))
    }

    @Test func ctrlCStopsARunningCommandNotTheShell() async throws {
        let home = try ShellProcess.Home()
        let shell = try TerminalSession(["--sandbox"], home: home)
        #expect(await shell.waitFor("sandbox> "), "screen: \(shell.text)")
        shell.type("use Q4_Renewals; wait status == on --timeout 60s\r")
        #expect(await shell.waitFor("using Q4_Renewals"), "screen: \(shell.text)")
        try await Task.sleep(for: .milliseconds(300))
        let beforeInterrupt = shell.shownLength
        shell.type("\u{3}")
        #expect(await shell.waitFor("interrupted", after: beforeInterrupt), "screen: \(shell.text)")
        #expect(await shell.waitFor("sandbox:Q4_Renewals> ", after: beforeInterrupt), "screen: \(shell.text)")
        shell.type("exit 4\r")
        let shellStatus = await shell.exitStatus()
        #expect(shellStatus == 4, "screen: \(shell.text)")
    }

    /// A bulk change asks with what it will touch; what the operator confirmed is recorded with `--yes`,
    /// so that its replay neither asks nor fails for want of it.
    @Test func aConfirmedBulkChangeListsItsCampaignsAndIsRecordedWithYes() async throws {
        let home = try ShellProcess.Home()
        let runbook = home.url.appending(path: "confirmed.cmds").path
        let shell = try TerminalSession(["--sandbox"], home: home)
        #expect(await shell.waitFor("sandbox> "), "screen: \(shell.text)")
        shell.type("record start \(runbook)\r")
        #expect(await shell.waitFor("sandbox [rec]> "), "screen: \(shell.text)")
        let beforeAsking = shell.shownLength
        shell.type("pause --all --status on > /dev/null\r")
        #expect(await shell.waitFor("Type 'yes' to confirm: ", after: beforeAsking), "screen: \(shell.text)")
        let question = String(shell.text.dropFirst(beforeAsking))
        for listed in ["Q4_Promo_East (on)", "Q4_Promo_West (on)", "Collections_30day (on)", "pause these"] {
            #expect(question.contains(listed), "screen: \(shell.text)")
        }
        let beforeAnswer = shell.shownLength
        shell.type("yes\r")
        #expect(await shell.waitForPrompt(after: "\r\n", from: beforeAnswer), "screen: \(shell.text)")
        shell.type("record stop\r")
        #expect(await shell.waitFor("confirmed.cmds"), "screen: \(shell.text)")
        shell.type("exit\r")
        let shellStatus = await shell.exitStatus()
        #expect(shellStatus == 0, "screen: \(shell.text)")

        let recorded = try String(contentsOfFile: runbook, encoding: .utf8)
        #expect(
            recorded.contains(
                "\npause --yes Q4_Promo_East Q4_Promo_West Collections_30day > /dev/null  # ids c0ffee01-"),
            "\(recorded)")
        let replay = try await ShellProcess.run(["--sandbox", "-f", runbook], home: home)
        #expect(replay.status == 0, "\(replay.stderr)")
    }

    /// A wait of more than a second shows a live line on a terminal, erased when it is done.
    @Test func aWaitShowsALiveLine() async throws {
        let shell = try TerminalSession(["--sandbox"], home: try ShellProcess.Home())  // stopping lasts 3 s
        #expect(await shell.waitFor("sandbox> "), "screen: \(shell.text)")
        let before = shell.shownLength
        shell.type("pause Q4_Promo_East > /dev/null\r")
        #expect(await shell.waitFor("waiting for 1 to stop: 1 stopping, ", after: before), "screen: \(shell.text)")
        #expect(await shell.waitFor(" s; still stopping: Q4_Promo_East", after: before), "screen: \(shell.text)")
        #expect(await shell.waitFor("\r\u{1B}[Ksandbox> ", after: before), "screen: \(shell.text)")
        shell.type("exit\r")
        let shellStatus = await shell.exitStatus()
        #expect(shellStatus == 0, "screen: \(shell.text)")
    }

    /// At a terminal, what is longer than the screen goes through `$PAGER`; what fits is printed.
    @Test func aLongResultGoesThroughThePager() async throws {
        let home = try ShellProcess.Home(environment: ["PAGER": "cat > paged.txt"])
        let shell = try TerminalSession(["--sandbox"], home: home, rows: 10)
        #expect(await shell.waitFor("sandbox> "), "screen: \(shell.text)")
        let before = shell.shownLength
        shell.type("help\r")
        #expect(await shell.waitFor("sandbox> ", after: before), "screen: \(shell.text)")
        shell.type("version\r")
        #expect(await shell.waitForPrompt(after: "campaignsh 0.2.0\r\n", from: before), "screen: \(shell.text)")
        shell.type("exit\r")
        let shellStatus = await shell.exitStatus()
        #expect(shellStatus == 0, "screen: \(shell.text)")
        let paged = try String(contentsOf: home.url.appending(path: "paged.txt"), encoding: .utf8)
        #expect(paged.contains("Campaigns:") && paged.contains("  use "), "\(paged)")
        #expect(!shell.text.contains("Campaigns:"), "screen: \(shell.text)")
    }

    /// The prompt names the org of an environment setup (region or API host, and the client) and a dry run.
    @Test func thePromptNamesTheOrgAndTheMode() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let shell = try TerminalSession(["--dry-run"], home: home)
            #expect(await shell.waitFor("127.0.0.1/campaign [dry-run]> "), "screen: \(shell.text)")
            #expect(shell.text.contains("campaignsh 0.2.0 on 127.0.0.1/campaign (\(emulator.baseURL)"), "\(shell.text)")
            #expect(shell.text.contains("type 'help' for the commands"), "\(shell.text)")
            shell.type("exit\r")
            let shellStatus = await shell.exitStatus()
            #expect(shellStatus == 0, "screen: \(shell.text)")
        }
    }

    @Test func ctrlDExitsWithZero() async throws {
        let shell = try TerminalSession(["--sandbox"], home: try ShellProcess.Home())
        #expect(await shell.waitFor("sandbox> "), "screen: \(shell.text)")
        await shell.typeCtrlD()
        let shellStatus = await shell.exitStatus()
        #expect(shellStatus == 0, "screen: \(shell.text)")
    }
}
