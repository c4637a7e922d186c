import Dispatch
import Foundation

extension ShellRunner {
    /// Runs lines from a file or `-c`: errors name `source:line`; the error policy decides whether to go
    /// on after a failure; the worst status is returned (130 at once on Ctrl-C).
    public func runScript(lines: [String], source: String?) async -> ExitStatus {
        var worst = ExitStatus.success
        for (index, line) in lines.enumerated() {
            let status = await execute(line: line, location: source.map { "\($0):\(index + 1)" })
            worst = max(worst, status)
            if let exit = await session.exitRequest { return exit }
            if await stops(after: status) { return status }
        }
        return worst
    }

    /// Runs lines read from a pipe or file on standard input, as a script.
    public func runScript(input: some LineInput) async -> ExitStatus {
        var worst = ExitStatus.success
        while case .line(let line) = input.readLine(prompt: "") {
            let status = await execute(line: line)
            worst = max(worst, status)
            if let exit = await session.exitRequest { return exit }
            if await stops(after: status) { return status }
        }
        return worst
    }

    /// The interactive loop: prompt, read (on a thread of its own, since libedit blocks), keep the line in
    /// the history file before running it, run. Ctrl-C cancels the line or the command; Ctrl-D leaves with 0.
    public func runInteractive(
        input: EditLineInput, history: HistoryFile, prompt: @Sendable () async -> String
    ) async -> ExitStatus {
        let reader = LineReaderThread(input)
        while true {
            let event = await reader.read(prompt: await prompt())
            switch event {
            case .endOfInput:
                return .success
            case .interrupted:
                continue
            case .line(let line):
                if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                if history.append(line) { reader.addToHistory(line) }
                _ = await execute(line: line)
                if let exit = await session.exitRequest { return exit }
            }
        }
    }
}

/// Owns the line input and calls it on one serial queue, never on the cooperative thread pool
/// (a blocked `readline` would take one of its few threads).
final class LineReaderThread: Sendable {
    private let queue = DispatchQueue(label: "campaignsh.line-input")
    // Only ever touched on `queue`, one call at a time.
    private nonisolated(unsafe) let input: EditLineInput

    init(_ input: EditLineInput) {
        self.input = input
    }

    func read(prompt: String) async -> LineInputEvent {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.input.readLine(prompt: prompt)) }
        }
    }

    func addToHistory(_ line: String) {
        queue.async { self.input.addToHistory(line) }
    }
}
