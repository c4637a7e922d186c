import Foundation
import Testing

@testable import campaignsh

/// The shell's own command line, parsed by hand: every spelling a user may type, and one line for each
/// mistake.
struct CommandLineOptionsTests {
    private func parse(_ arguments: String) throws(CommandLineOptions.UsageError) -> CommandLineOptions.Request {
        try CommandLineOptions.parse(arguments.split(separator: " ").map(String.init))
    }

    private func message(_ arguments: String) -> String? {
        do {
            _ = try parse(arguments)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func optionsTakeTheirValueAttachedOrAsTheNextWord() throws {
        var expected = CommandLineOptions()
        expected.format = "json"
        expected.variables = ["a=1", "b=2"]
        expected.commands = "version"
        expected.dryRun = true
        #expect(try parse("--format=json --var a=1 --dry-run --var=b=2 -c version") == .run(expected))
        #expect(try parse("--format json --var a=1 --dry-run --var b=2 -c=version") == .run(expected))
        #expect(try parse("--format json --var a=1 --plan --var b=2 -c=version") == .run(expected))
    }

    @Test func aScriptIsTheOneWordThatIsNotAnOption() throws {
        var expected = CommandLineOptions()
        expected.script = "-weird-name.cmds"
        expected.echo = true
        #expect(try parse("--echo -- -weird-name.cmds") == .run(expected))
        expected.script = "morning.cmds"
        #expect(try parse("morning.cmds --echo") == .run(expected))
    }

    @Test func helpAndVersionWinOverTheRest() throws {
        #expect(try parse("--yes -h") == .help)
        #expect(try parse("--help --bogus") == .help)
        #expect(try parse("--version") == .version)
    }

    @Test func eachMistakeIsOneLine() {
        #expect(message("--bogus") == "unknown option '--bogus'")
        #expect(message("--format") == "--format needs a value: --format <format>")
        #expect(message("--yes=no") == "--yes takes no value")
        #expect(message("a.cmds b.cmds") == "unexpected argument 'b.cmds'")
        #expect(message("-c version a.cmds") == "give only one of -c, -f and a FILE")
        #expect(message("--format yaml") == "unknown format 'yaml'; use table, plain, json, csv or jsonl")
        #expect(message("--on-error retry") == "--on-error takes stop or continue")
        #expect(message("--var x") == "--var takes NAME=VALUE, not 'x'")
        #expect(message("--api-base http://x") == "give --api-base and --login-base together")
        #expect(message("--resume") == "--resume needs --checkpoint FILE")
    }

    /// The completion scripts come from the same table: bash's completes options and their choices.
    @Test func completionScriptsCompleteOptionsAndTheirValues() throws {
        for shell in ["bash", "zsh", "fish"] {
            guard case .completionScript(let script) = try parse("--generate-completion-script \(shell)") else {
                Issue.record("no \(shell) script")
                continue
            }
            #expect(script.contains("audit-db") && script.contains("jsonl"), "\(shell): \(script)")
        }
        guard case .completionScript(let bash) = try parse("--generate-completion-script=bash") else { return }
        let run = Process()
        run.executableURL = URL(fileURLWithPath: "/bin/bash")
        run.arguments = [
            "-c",
            bash + "\nCOMP_WORDS=(campaignsh --on-error ''); COMP_CWORD=2; _campaignsh; echo \"${COMPREPLY[*]}\"",
        ]
        let output = Pipe()
        run.standardOutput = output
        try run.run()
        run.waitUntilExit()
        #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "stop continue\n")
        #expect(message("--generate-completion-script tcsh") == "--generate-completion-script takes bash, zsh or fish")
    }

    /// The man page is made from the same options and commands as the help, and is valid roff.
    @Test func theManualListsEveryOptionAndCommandAndIsValidRoff() throws {
        #expect(try parse("--generate-manual") == .manual)
        let page = Manual.page(date: "2026-12-01")
        #expect(page.hasPrefix(".TH CAMPAIGNSH 1 \"2026-12-01\" \"campaignsh \(Campaignsh.version)\""))
        for option in ["\\-\\-audit\\-db", "\\-\\-dry\\-run", "\\-\\-generate\\-completion\\-script", "\\-c"] {
            #expect(page.contains(".B " + option), "\(option)")
        }
        for command in ["campaigns", "activate", "pause", "audit", "record", "whoami"] {
            #expect(page.contains(".B \(command)\n"), "\(command)")
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/groff") else { return }
        let folder = FileManager.default.temporaryDirectory.appending(path: "manual-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appending(path: "campaignsh.1")
        try page.write(to: file, atomically: true, encoding: .utf8)
        let groff = Process()
        groff.executableURL = URL(fileURLWithPath: "/usr/bin/groff")
        groff.arguments = ["-man", "-ww", "-z", file.path]
        let warnings = Pipe()
        groff.standardError = warnings
        try groff.run()
        groff.waitUntilExit()
        #expect(String(decoding: warnings.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "")
        #expect(groff.terminationStatus == 0)
    }

    @Test func helpListsEveryOptionWithinEightyColumns() {
        let help = CommandLineOptions.help(abstract: Campaignsh.abstract, discussion: Campaignsh.discussion)
        for option in ["--sandbox", "--audit-db <file>", "--var <name=value>", "-c <commands>", "-h, --help"] {
            #expect(help.contains("\n  \(option) "), "\(option)")
        }
        #expect(help.split(separator: "\n").allSatisfy { $0.count <= 80 })
        #expect(help.hasPrefix("OVERVIEW: \(Campaignsh.abstract)\n"))
    }
}
