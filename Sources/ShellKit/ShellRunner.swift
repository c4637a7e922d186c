import ArgumentParser
import CoreMetrics
import Foundation
import Synchronization

/// The swift-metrics labels the shell records under.
public enum ShellMetrics {
    public static let commandDuration = "shell_command_duration_seconds"
    public static let commandFailures = "shell_command_failures_total"
}

extension Duration {
    /// The whole duration in nanoseconds.
    public var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}

/// Runs lines of the command language: tokenizes, looks up each command, parses its arguments without
/// ever exiting the process, runs it with its output redirected, and reports errors as one line.
///
/// Every way in (the interactive loop, `-c`, files, pipes) goes through ``execute(line:)``.
public struct ShellRunner: Sendable {
    public let catalog: CommandCatalog
    public let session: ShellSession
    public let components: ShellComponents
    public let workingDirectory: URL
    /// Whether an operator sits at a terminal.
    public let isInteractive: Bool
    /// Cancels the running command on Ctrl-C.
    let interrupts: InterruptWatch
    /// Turns errors of other modules (e.g. the Genesys client's) into the operator's one line and exit status.
    let describe: @Sendable (any Error) -> ShellError?
    let errors: OutputDestination
    /// `record start`'s recorder.
    public let recorder = Recorder()
    /// `--checkpoint`: completed runbook lines.
    let checkpoint: Checkpoint?

    public init(
        plugins: [any ShellPlugin.Type], session: ShellSession, components: ShellComponents,
        workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        isInteractive: Bool = false, takeInterrupt: @escaping @Sendable () -> Bool = { false },
        describe: @escaping @Sendable (any Error) -> ShellError? = { _ in nil },
        errors: OutputDestination = .standardError, checkpoint: Checkpoint? = nil
    ) {
        self.catalog = CommandCatalog(plugins: [ShellBuiltins.self] + plugins)
        self.session = session
        self.components = components
        self.workingDirectory = workingDirectory
        self.isInteractive = isInteractive
        self.interrupts = InterruptWatch(takeInterrupt: takeInterrupt)
        self.describe = describe
        self.errors = errors
        self.checkpoint = checkpoint
    }

    /// Runs every command of `line`. With the `stop` policy a failure skips the rest of the line.
    /// - Parameters:
    ///   - location: `file:line` to name in error messages, for runbooks.
    ///   - checkpointed: a runbook's line: with a checkpoint, each command that completes is noted, and a
    ///     change or check that completed in an earlier run is skipped (the others run again: `use` and
    ///     `set` rebuild the session the later commands need).
    public func execute(line: String, location: ScriptLocation? = nil, checkpointed: Bool = false) async
        -> ExitStatus
    {
        // Split first, expand each command just before it runs: `set x 1; echo ${x}` sees the new x.
        let commands: [ParsedCommand]
        do {
            commands = try CommandLineParser.parse(line, variable: { _ in "" })
        } catch {
            report(ShellError.usage(error.message), location: location)
            return .usage
        }
        var worst = ExitStatus.success
        let checkpoint = checkpointed ? location.flatMap { location in self.checkpoint.map { ($0, location) } } : nil
        for (index, command) in commands.enumerated() {
            if let (checkpoint, location) = checkpoint, checkpoint.isDone(location, command: index),
                let type = command.words.first.flatMap(catalog.command(named:)), type.isMutating || type.isCheck
            {
                if Rehearsal.current == nil {
                    errors.write(TerminalText.escaped("\(location): done before, skipped: \(command.text)") + "\n")
                }
                continue
            }
            if Rehearsal.current == nil, await session.echo {
                errors.write("+ " + TerminalText.escaped(command.text) + "\n")
            }
            let status: ExitStatus
            do {
                let variables = await session.variables
                let expanded = try CommandLineParser.parse(command.text, variable: { variables[$0] })
                status = await execute(expanded.first ?? command, location: location)
            } catch {
                report(ShellError.usage(error.message), location: location)
                status = .usage
            }
            worst = max(worst, status)
            if status == .success, Rehearsal.current == nil, let (checkpoint, location) = checkpoint {
                // Crash tests kill the shell here (CrashPoint, in CampaignControl, holds the other points): the
                // command's rows are durable, its checkpoint is not.
                if ProcessInfo.processInfo.environment["CAMPAIGNSH_CRASH_AT"] == "after-rows",
                    catalog.command(named: command.words.first ?? "")?.isMutating == true
                {
                    kill(getpid(), SIGKILL)
                }
                checkpoint.markDone(location, command: index)
            }
            if await stops(after: status) { return status }
            if await session.exitRequest != nil { break }
        }
        return worst
    }

    /// Whether a line or script ends after a command that ended with `status`.
    func stops(after status: ExitStatus) async -> Bool {
        if status == .interrupted { return true }
        guard status != .success else { return false }
        return await session.errorPolicy == .stop
    }

    /// Runs one parsed command, recording its latency and failures (`shell_command_*` metrics).
    public func execute(_ parsed: ParsedCommand, location: ScriptLocation? = nil) async -> ExitStatus {
        let started = ContinuousClock.now
        let status = await runReporting(parsed, location: location)
        if let name = parsed.words.first, catalog.command(named: name) != nil {
            let dimensions = [("command", name)]
            Timer(label: ShellMetrics.commandDuration, dimensions: dimensions).recordNanoseconds(
                (ContinuousClock.now - started).nanoseconds)
            if status != .success { Counter(label: ShellMetrics.commandFailures, dimensions: dimensions).increment() }
        }
        return status
    }

    private func runReporting(_ parsed: ParsedCommand, location: ScriptLocation?) async -> ExitStatus {
        do {
            try await run(parsed, location: location)
            return .success
        } catch let error as ShellError {
            if !error.reported { report(error, location: location) }
            return error.status
        } catch is CancellationError {
            errors.write("interrupted\n")
            return .interrupted
        } catch {
            let shellError = describe(error) ?? .failure(String(describing: error))
            report(shellError, location: location)
            return shellError.status
        }
    }

    private func run(_ parsed: ParsedCommand, location: ScriptLocation?) async throws {
        var words = parsed.words
        guard let name = words.first else { return }
        guard let type = catalog.command(named: name) else {
            let hint =
                catalog.nearest(to: name).map { "did you mean '\($0)'?" } ?? "type 'help' for the list of commands"
            throw ShellError.usage("unknown command '\(name)'", hint: hint)
        }
        let format = try Self.takeFormat(from: &words)
        let shape = try TableShape.take(from: &words)
        let arguments = Array(words.dropFirst())
        if let words = type as? any WordsCommand.Type, !arguments.contains(where: { $0.hasPrefix("-") }),
            let command = words.init(words: arguments)
        {
            return try await run(command, parsed, format: format, shape: shape, location: location, watched: false)
        }
        // ArgumentParser's parse grows with the square of the word count (16,000 words took minutes).
        guard arguments.count <= Self.maxArguments else {
            throw ShellError.usage(
                "'\(name)' takes at most \(Self.maxArguments) words; this one has \(arguments.count)",
                hint: "select many campaigns with --all and --name, --status or --queue")
        }
        let command: any ParsableCommand
        do {
            command = try Self.parse(type, arguments)
            // `--help` parses into ArgumentParser's help command, whose run() throws the help request.
            if !(command is any ShellCommand) {
                var help = command
                try help.run()
            }
        } catch {
            if type.exitCode(for: error) == .success {
                guard Rehearsal.current == nil else { return }
                let destination = try OutputDestination.open(parsed.redirection, workingDirectory: workingDirectory)
                destination.write(CommandCatalog.help(type, for: error, width: destination.columns) + "\n")
                destination.close()
                return
            }
            if let index = words.firstIndex(of: "--format"), index + 1 < words.count,
                OutputFormat(rawValue: words[index + 1]) == nil,
                type.message(for: error).contains("--format")
            {
                throw ShellError.usage("unknown format '\(words[index + 1])'; use \(OutputFormat.choices)")
            }
            var message = type.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
            if message.count > 300 { message = message.prefix(300) + "…" }  // it may quote every word
            throw ShellError.usage(message, hint: Self.optionHelp(type, quotedIn: message) ?? "see 'help \(name)'")
        }
        guard let shellCommand = command as? any ShellCommand else {
            throw ShellError.usage("'\(name)' needs a subcommand", hint: "see 'help \(name)'")
        }
        try await run(shellCommand, parsed, format: format, shape: shape, location: location, watched: true)
    }

    /// The most words after a command's name that ArgumentParser is given (`echo` and `set` take any number).
    public static let maxArguments = 1_000

    /// For a value ArgumentParser could not read (`The value 'inf' is invalid for '--timeout <timeout>'`):
    /// that option's line of help, which says what it takes.
    static func optionHelp(_ type: any ParsableCommand.Type, quotedIn message: String) -> String? {
        guard message.hasPrefix("The value "), let end = message.lastIndex(of: "'"),
            let start = message[..<end].lastIndex(of: "'")
        else { return nil }
        let option = message[message.index(after: start)..<end]
        let line = type.helpMessage(columns: 10_000).split(separator: "\n").first {
            $0.trimmingPrefix(while: { $0 == " " }).hasPrefix(option + " ")
        }
        return line.map {
            "\(option): "
                + $0.dropFirst($0.prefix(while: { $0 == " " }).count + option.count)
                .trimmingPrefix(while: { $0 == " " })
        }
    }

    /// Runs a parsed command with its output where the line sends it; `watched`: Ctrl-C cancels it.
    private func run(
        _ shellCommand: any ShellCommand, _ parsed: ParsedCommand, format: OutputFormat?, shape: TableShape,
        location: ScriptLocation?, watched: Bool
    ) async throws {
        let rehearsing = Rehearsal.current != nil
        let output =
            rehearsing ? .discarded : try OutputDestination.open(parsed.redirection, workingDirectory: workingDirectory)
        var finished = false
        defer { if !finished { output.close() } }
        let sessionFormat = await session.format
        let sessionColor = await session.color
        let chosen = format ?? sessionFormat ?? (output.isTerminal ? .table : .plain)
        let context = CommandContext(
            session: session, components: components, catalog: catalog, output: output,
            renderer: OutputRenderer(
                format: chosen, color: output.isTerminal && chosen == .table && sessionColor,
                noHeaders: shape.noHeaders, width: output.isTerminal && !shape.wide ? output.columns : nil),
            isInteractive: isInteractive, commandText: parsed.text, location: location, shell: self,
            recording: RecordingNotes(), shape: shape
        )
        if watched {
            try await runCancellable { try await shellCommand.run(in: context) }
        } else {
            try await shellCommand.run(in: context)
        }
        if let problem = context.shapeProblem.problem { throw problem }
        finished = true
        try output.finish()
        if !rehearsing, type(of: shellCommand).isRecorded, SecretPolicy.mayKeep(parsed.text) {
            await recorder.record(context.recording.lines(for: parsed.text))
        }
    }

    /// `type.parseAsRoot(arguments)`, minus the check for `--generate-completion-script` that ArgumentParser
    /// makes on every root parse (a third of a runbook line's time; no shell command takes it). It skips
    /// that check under a root with a super-command name, so a parse into a shell command goes through
    /// such a root; anything else (an error, `--help`) is parsed again the usual way, for the usual text.
    static func parse(_ type: any ParsableCommand.Type, _ arguments: [String]) throws -> any ParsableCommand {
        func underRoot<Command: ParsableCommand>(_: Command.Type) -> (any ParsableCommand)? {
            guard let name = Command.configuration.commandName,
                let parsed = try? ParsingRoot<Command>.parseAsRoot([name] + arguments), parsed is any ShellCommand
            else { return nil }
            return parsed
        }
        return try underRoot(type) ?? type.parseAsRoot(arguments)
    }

    /// Runs `body`, cancelling it when Ctrl-C arrives.
    private func runCancellable(_ body: @escaping @Sendable () async throws -> Void) async throws {
        try await interrupts.run(body)
    }

    /// Removes `--format X` / `--format=X` from the words: every command takes it.
    static func takeFormat(from words: inout [String]) throws(ShellError) -> OutputFormat? {
        guard let index = words.firstIndex(where: { $0 == "--format" || $0.hasPrefix("--format=") }),
            !words[..<index].contains("--")
        else { return nil }
        let value: String
        if words[index] == "--format" {
            guard index + 1 < words.count else { throw .usage("--format needs a value: \(OutputFormat.choices)") }
            value = words[index + 1]
            words.removeSubrange(index...index + 1)
        } else {
            value = String(words[index].dropFirst("--format=".count))
            words.remove(at: index)
        }
        guard let format = OutputFormat(rawValue: value) else {
            // Not a shell format: left for a command that declares --format of its own (metrics export).
            words.insert(contentsOf: ["--format", value], at: index)
            return nil
        }
        return format
    }

    /// One line on standard error: `error: message; hint`, prefixed with `file:line:` in runbooks.
    func report(_ error: ShellError, location: ScriptLocation?) {
        var line = (location.map { "\($0): " } ?? "") + "error: " + error.message
        if let hint = error.hint { line += "; " + hint }
        // One line, whatever the server put in its message.
        errors.write(TerminalText.escaped(line) + "\n")
    }
}

/// The root `ShellRunner.parse` puts a command under: its only subcommand.
private struct ParsingRoot<Command: ParsableCommand>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "shell", _superCommandName: "campaignsh", subcommands: [Command.self])
    }
}

/// Ctrl-C while a command runs: polls the interrupt flag and cancels the command.
///
/// One poller serves command after command and stops when none has run for a poll interval: a runbook of
/// short commands does not pay a task and a timer for each (they were a fifth of its time). It polls only
/// while a command is registered, so a Ctrl-C at the prompt stays the line editor's.
final class InterruptWatch: Sendable {
    private struct State {
        var command: Task<Void, any Error>?
        var interrupted = false
        var polling = false
        var ranSinceLastPoll = false
    }

    private let takeInterrupt: @Sendable () -> Bool
    private let state = Mutex(State())
    private static let pollInterval = Duration.milliseconds(50)

    init(takeInterrupt: @escaping @Sendable () -> Bool) {
        self.takeInterrupt = takeInterrupt
    }

    /// Runs `body`; throws `CancellationError` if Ctrl-C interrupted it. A command run by a command
    /// (`source`) is the one Ctrl-C cancels while it runs; the outer one is watched again after it.
    func run(_ body: @escaping @Sendable () async throws -> Void) async throws {
        // Started on this thread: a short command finishes without waking another one.
        let command = Task.immediate { try await body() }
        let (outer, startPoller) = state.withLock { state in
            let outer = state.command
            state.command = command
            state.interrupted = false
            state.ranSinceLastPoll = true
            defer { state.polling = true }
            return (outer, !state.polling)
        }
        if startPoller { Task.detached { await self.poll() } }
        let outcome = await withTaskCancellationHandler {
            await command.result
        } onCancel: {
            command.cancel()
        }
        // An interrupt stays noted, so the commands around this one end as interrupted too.
        let interrupted = state.withLock { state in
            state.command = outer
            return state.interrupted
        }
        if interrupted { throw CancellationError() }
        try outcome.get()
    }

    private func poll() async {
        while true {
            try? await Task.sleep(for: Self.pollInterval)
            let keepPolling = state.withLock { state in
                if let command = state.command, takeInterrupt() {
                    state.interrupted = true
                    command.cancel()
                }
                defer { state.ranSinceLastPoll = state.command != nil }
                state.polling = state.ranSinceLastPoll
                return state.polling
            }
            if !keepPolling { return }
        }
    }
}
