import ArgumentParser
import Dispatch
import Foundation

extension ShellRunner {
    /// Runs `-c` lines, planned first like a runbook: the error policy decides whether to go on after a
    /// failure; the worst status is returned (130 at once on Ctrl-C).
    public func runScript(lines: [String]) async -> ExitStatus {
        let locations = lines.indices.map { ScriptLocation(file: "-c", line: $0 + 1, stack: []) }
        return await planned(lines) { await runLines(lines, at: locations, inRunbook: false) }
    }

    /// Runs lines one after the other: the error policy decides whether to go on after a failure; the worst
    /// status is returned (130 at once on Ctrl-C). While a plan is made, each line's changes are noted;
    /// while one is applied, a line whose campaigns changed since stops the run. A runbook's lines name
    /// their `file:line` in errors and keep the checkpoint (`-c` lines do neither).
    private func runLines(_ lines: [String], at locations: [ScriptLocation], inRunbook: Bool) async -> ExitStatus {
        var worst = ExitStatus.success
        let rehearsal = Rehearsal.current
        for (line, location) in zip(lines, locations) {
            if let status = await changedSincePlan(location) { return status }
            let status = await execute(line: line, location: inRunbook ? location : nil, checkpointed: inRunbook)
            await rehearsal?.finishLine(at: location)
            worst = max(worst, status)
            if let exit = await session.exitRequest { return exit }
            if await stops(after: status) { return status }
        }
        return worst
    }

    /// Whether the current task applies a plan already made (a runbook that a planned one sources).
    @TaskLocal static var applyingPlan = false

    /// Runs `body` (a runbook's lines) twice when it can change something: first as a plan, against the
    /// simulated world, and then, if every line of the plan held and this is no dry run, for real. A
    /// runbook that fails its plan changes nothing.
    ///
    /// A single command is not planned: the engine checks each campaign before it changes it, so its plan
    /// could refuse nothing that running it would not, and would double its reads.
    func planned(_ lines: [String], _ body: @escaping @Sendable () async -> ExitStatus) async -> ExitStatus {
        let commands = lines.flatMap { (try? CommandLineParser.parse($0, variable: { _ in "" })) ?? [] }
        guard let planner = components.get(RunbookPlanner.self), Rehearsal.current == nil, !Self.applyingPlan,
            commands.count > 1, commands.contains(where: mayChange)
        else { return await body() }
        let rehearsal = Rehearsal(planner: planner)
        let before = await session.saved()
        await planner.begin()
        let status = await Rehearsal.$current.withValue(rehearsal) { await body() }
        await planner.end()
        let dryRun = await session.dryRun
        await session.restore(before)
        guard status == .success else {
            errors.write("nothing was changed: the plan failed at the line above\n")
            return status == .usage || status == .interrupted ? status : .expectationFailed
        }
        if dryRun {
            OutputDestination.standardOutput.write(rehearsal.render())
            return .success
        }
        return await Self.$applyingPlan.withValue(true) {
            await Rehearsal.$applied.withValue(rehearsal) { await body() }
        }
    }

    /// While a plan is applied: stops before a line whose campaigns are no longer as the plan found them.
    private func changedSincePlan(_ location: ScriptLocation) async -> ExitStatus? {
        guard let plan = Rehearsal.applied, let drift = await plan.drift(at: location) else { return nil }
        let error = ShellError(
            "the org changed since the plan: \(drift)", hint: "nothing more was changed; run it again to plan anew",
            status: .expectationFailed)
        report(error, location: location)
        return error.status
    }

    /// The deepest `source` nesting allowed.
    static let maxSourceDepth = 16

    /// Runs a runbook: its `param`s are checked before anything runs; `source` inside it is relative to it;
    /// errors name `file:line`; with a checkpoint, completed mutations are skipped on `--resume`.
    /// - Parameter parent: the line that sourced it, if any.
    public func runFile(_ path: String, from parent: ScriptLocation? = nil) async -> ExitStatus {
        let base = parent.map { URL(fileURLWithPath: $0.file).deletingLastPathComponent() } ?? workingDirectory
        let url = URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL
        let stack = (parent?.stack ?? []) + [url.path]
        if parent?.stack.contains(url.path) == true {
            report(
                .usage("source cycle: " + stack.map { ($0 as NSString).lastPathComponent }.joined(separator: " → ")),
                location: parent)
            return .usage
        }
        if stack.count > Self.maxSourceDepth {
            report(.usage("runbooks nested deeper than \(Self.maxSourceDepth)"), location: parent)
            return .usage
        }
        guard let data = try? Data(contentsOf: url) else {
            report(.usage("cannot read \(url.path)"), location: parent)
            return .usage
        }
        let rawLines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if let bad = rawLines.firstIndex(where: { String(validating: $0, as: UTF8.self) == nil }) {
            report(.usage("\(url.path):\(bad + 1): not UTF-8 text"), location: parent)
            return .usage
        }
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.components(separatedBy: "\n")
        let locations = lines.indices.map { ScriptLocation(file: url.path, line: $0 + 1, stack: stack) }
        if let status = await bindParameters(lines, locations) { return status }
        return await planned(lines) { await runLines(lines, at: locations, inRunbook: true) }
    }

    /// Gives every `param NAME [DEFAULT]` of the runbook its value (from `--var`, the environment, or the
    /// default) before the first line runs; a missing one stops the run with status 2.
    private func bindParameters(_ lines: [String], _ locations: [ScriptLocation]) async -> ExitStatus? {
        for (line, location) in zip(lines, locations) {
            guard let words = try? CommandLineParser.parse(line, variable: { _ in nil }).first?.words,
                words.first == "param"
            else { continue }
            guard words.count >= 2, CommandLineParser.isValidVariableName(words[1]) else {
                report(.usage("param takes NAME [DEFAULT]"), location: location)
                return .usage
            }
            do {
                try await ParamCommand.bind(words[1], default: words.count > 2 ? words[2] : nil, session: session)
            } catch {
                report(error, location: location)
                return .usage
            }
        }
        return nil
    }

    /// Whether the command changes something in Genesys, or runs a runbook that may.
    private func mayChange(_ command: ParsedCommand) -> Bool {
        guard let name = command.words.first else { return false }
        return name == SourceCommand.configuration.commandName || catalog.command(named: name)?.isMutating == true
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
