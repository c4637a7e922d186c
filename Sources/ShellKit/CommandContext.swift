import Foundation
import Synchronization

/// What a running command can use: the session, the shared components, and where its output goes.
public struct CommandContext: Sendable {
    public let session: ShellSession
    public let components: ShellComponents
    public let catalog: CommandCatalog
    /// This command's output: standard output, or the file or pipeline of its redirection.
    public let output: OutputDestination
    /// Renders results in the format chosen for this command.
    public let renderer: OutputRenderer
    /// Whether an operator sits at a terminal (stdin and stdout are TTYs): confirmations and progress lines.
    public let isInteractive: Bool
    /// The command as typed (before `${…}` expansion), for the audit.
    public let commandText: String
    /// The runbook line it comes from, if any.
    public let location: ScriptLocation?
    /// The shell running it (for `source`, `record`).
    public let shell: ShellRunner
    /// What `record` should write around this command.
    public let recording: RecordingNotes
    /// `--columns`, `--sort`: applied to every table the command emits.
    let shape: TableShape
    /// A shape that did not fit a table (an unknown column): the command fails with it once it returns.
    let shapeProblem = FirstProblem()

    /// Writes a result in the chosen format; at an interactive terminal, a result longer than the screen
    /// goes through the pager.
    public func emit(_ result: CommandResult) {
        var shaped = result
        if case .table(let table) = result {
            do {
                shaped = .table(try shape.apply(to: table))
            } catch {
                return shapeProblem.note(error)
            }
        }
        let text = renderer.render(shaped)
        guard isInteractive, output === OutputDestination.standardOutput else { return output.write(text) }
        let pager = ProcessInfo.processInfo.environment["PAGER"].flatMap { $0.isEmpty ? nil : $0 } ?? "less -FRX"
        output.writePaged(text, pager: pager)
    }

    /// A result as ``emit(_:)`` would write it (`--columns` and `--sort` applied), for a command that
    /// draws it itself, such as a live table redrawn in place.
    public func rendered(_ result: CommandResult) throws(ShellError) -> String {
        guard case .table(let table) = result else { return renderer.render(result) }
        return renderer.render(.table(try shape.apply(to: table)))
    }

    /// A line for the operator, not for the output: progress, notes, warnings (standard error).
    public func note(_ text: String) {
        guard Rehearsal.current == nil else { return }  // a plan's commands say nothing: apply will
        OutputDestination.standardError.write(TerminalText.escaped(text, keepingLineBreaks: true) + "\n")
    }

    /// One `warning: …` line on standard error: something was left out, the rest still works.
    public func warn(_ text: String) {
        note("warning: " + text)
    }
}

/// The first of the problems noted, kept for later.
final class FirstProblem: Sendable {
    private let first = Mutex<ShellError?>(nil)

    func note(_ problem: ShellError) { first.withLock { $0 = $0 ?? problem } }
    var problem: ShellError? { first.withLock { $0 } }
}
