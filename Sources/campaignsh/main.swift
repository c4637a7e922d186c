import Foundation
import ShellKit

// A pipeline that stops reading (`campaigns | head`) must not kill the shell.
signal(SIGPIPE, SIG_IGN)

/// Runs the command line and turns every failure into one line on stderr and the contract's exit status.
func runMain() async -> Int32 {
    func fail(_ line: String, _ status: ExitStatus) -> Int32 {
        FileHandle.standardError.write(Data("campaignsh: error: \(TerminalText.escaped(line))\n".utf8))
        return status.rawValue
    }
    let options: CommandLineOptions
    do {
        switch try CommandLineOptions.parse(Array(CommandLine.arguments.dropFirst())) {
        case .run(let parsed): options = parsed
        case .help:
            print(
                CommandLineOptions.help(abstract: Campaignsh.abstract, discussion: Campaignsh.discussion),
                terminator: "")
            return 0
        case .version:
            print(Campaignsh.version)
            return 0
        case .completionScript(let script):
            print(script, terminator: "")
            return 0
        case .manual:
            print(Manual.page(date: Date().formatted(.iso8601.year().month().day())), terminator: "")
            return 0
        }
    } catch {
        return fail("\(error.message); see 'campaignsh --help'", .usage)
    }
    do {
        return try await Campaignsh(options: options).run().rawValue
    } catch {
        let shellError = ErrorDescriptions.shellError(for: error) ?? (error as? ShellError) ?? .failure("\(error)")
        return fail(shellError.message + (shellError.hint.map { "; " + $0 } ?? ""), shellError.status)
    }
}

exit(await runMain())
