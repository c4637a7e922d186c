import ArgumentParser
import Foundation
import ShellKit

// A pipeline that stops reading (`campaigns | head`) must not kill the shell.
signal(SIGPIPE, SIG_IGN)

/// Runs the command and turns every failure into one line on stderr and the contract's exit status.
func runMain() async -> Int32 {
    do {
        var command = try Campaignsh.parseAsRoot()
        if let shell = command as? Campaignsh {
            try await shell.run()
        } else {
            try command.run()
        }
        return 0
    } catch let error as ExitCode {
        return error.rawValue
    } catch {
        if Campaignsh.exitCode(for: error) == .success {
            print(Campaignsh.fullMessage(for: error))
            return 0
        }
        let line: String
        if let shellError = ErrorDescriptions.shellError(for: error) ?? (error as? ShellError) {
            line = shellError.message + (shellError.hint.map { "; " + $0 } ?? "")
            FileHandle.standardError.write(Data("campaignsh: error: \(line)\n".utf8))
            return shellError.status.rawValue
        }
        line = Campaignsh.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        FileHandle.standardError.write(Data("campaignsh: error: \(line); see 'campaignsh --help'\n".utf8))
        return ExitStatus.usage.rawValue
    }
}

exit(await runMain())
