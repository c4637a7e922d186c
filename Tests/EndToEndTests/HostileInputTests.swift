import Foundation
import Testing

/// Input a person or a script may send by mistake or on purpose: each gets one error line and its status.
@Suite struct HostileInputTests {
    /// Numbers and durations out of range are usage errors, never a trap on conversion.
    @Test(arguments: [
        "use Q4_Renewals; wait status == on --timeout inf",
        "use Q4_Renewals; wait status == on --timeout 1e17",
        "use Q4_Renewals; wait status == on --timeout 1s --every 1e300s",
        "use Q4_Renewals; wait status == on --timeout nan",
        "use Q4_Renewals; wait status == on --timeout=-1s",
        "pause Q4_Promo_East --timeout 9e18ms",
        "archive Collections_60day --yes --timeout inf",
        "pause --all --yes --parallel 0",
        "pause --all --yes --parallel 1000000",
        "pause --all --yes --max-conflicts=-1",
        "audit --since infd",
        "audit --since 1e300s",
        "audit export --until 1e20w",
        "audit --since=-5d",
        "audit --limit 0",
        "use Q4_Renewals; expect progress '>' nan",
        "use Q4_Renewals; expect progress '>' inf",
        "exit 256",
        "exit 99999999999",
        "history --last 0",
    ])
    func anOutOfRangeNumberIsAUsageError(line: String) async throws {
        let result = try await ShellProcess.run(["--sandbox", "-c", line])
        #expect(result.status == 2, "stderr: \(result.stderr)")
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1, "stderr: \(result.stderr)")
        #expect(!result.stderr.contains("Fatal") && !result.stderr.contains("Backtrac"), "stderr: \(result.stderr)")
    }

    /// A failed write fails the command; the pipeline's status is the line's; a reader that stops early is
    /// a normal end.
    @Test func failuresOfTheOutputAreReported() async throws {
        let full = try await ShellProcess.run(["--sandbox", "-c", "campaigns > /dev/full"])
        #expect(
            full.status == 1 && full.stderr == "error: cannot write /dev/full: No space left on device\n",
            "\(full.stderr)")
        let export = try await ShellProcess.run(["--sandbox", "-c", "audit export >> /dev/full"])
        #expect(export.status == 1 && export.stderr.contains("cannot write /dev/full"), "\(export.stderr)")
        let missing = try await ShellProcess.run(["--sandbox", "-c", "campaigns | nosuchcmd"])
        #expect(
            missing.status == 127 && missing.stderr.contains("'| nosuchcmd' exited with status 127"),
            "\(missing.stderr)")
        let failing = try await ShellProcess.run(["--sandbox", "-c", "campaigns | exit 4"])
        #expect(failing.status == 4, "\(failing.stderr)")
        let head = try await ShellProcess.run(["--sandbox", "-c", "audit export --format jsonl | head -c 1; echo done"])
        #expect(head.status == 0 && head.stderr.isEmpty && head.stdout.hasSuffix("done\n"), "\(head.stderr)")
    }

    /// A 1 MB line is read whole; a command of more words than ArgumentParser should be given is refused
    /// at once (its parse grows with the square of the count).
    @Test func longLinesAreHandledOrRefusedByTheirLimit() async throws {
        let words = Array(repeating: "w", count: 500_000).joined(separator: " ")
        let echoed = try await ShellProcess.run(["--sandbox"], input: "echo \(words)\n")
        #expect(echoed.status == 0 && echoed.stdout == words + "\n", "\(echoed.stderr)")
        let names = Array(repeating: "Q4_Renewals", count: 16_000).joined(separator: " ")
        let refused = try await ShellProcess.run(["--sandbox"], input: "pause \(names)\n")
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(
            refused.stderr
                == "error: 'pause' takes at most 1000 words; this one has 16000; select many campaigns with --all and --name, --status or --queue\n"
        )
    }

    /// A runbook that is not UTF-8 names its line; a `.env` with a secret others can read is warned about;
    /// a new audit file is its owner's only.
    @Test func filesThatPutTheRunOrASecretAtRiskAreNamed() async throws {
        let home = try ShellProcess.Home()
        try Data("echo ok\necho \u{1}".utf8 + [0xFF, 0xFE, 0x0A]).write(to: home.url.appending(path: "bad.cmds"))
        let bad = try await ShellProcess.run(["--sandbox", "-f", "bad.cmds"], home: home)
        #expect(bad.status == 2 && bad.stderr.hasSuffix("bad.cmds:2: not UTF-8 text\n"), "\(bad.stderr)")

        let dotEnv = home.url.appending(path: ".env")
        try "GENESYS_CLIENT_SECRET=x\n".write(to: dotEnv, atomically: true, encoding: .utf8)
        chmod(dotEnv.path, 0o644)
        let warned = try await ShellProcess.run(["--sandbox", "--audit-db", "a.sqlite", "-c", "audit"], home: home)
        #expect(
            warned.stderr.contains("sets GENESYS_CLIENT_SECRET but others can read it (mode 644)"), "\(warned.stderr)")
        #expect(!warned.stderr.contains("=x"))
        let mode = try FileManager.default.attributesOfItem(atPath: home.url.appending(path: "a.sqlite").path)[
            .posixPermissions]
        #expect(mode as? Int == 0o600)
        chmod(dotEnv.path, 0o600)
        let quiet = try await ShellProcess.run(["--sandbox", "-c", "version"], home: home)
        #expect(!quiet.stderr.contains("warning"), "\(quiet.stderr)")
    }
}
