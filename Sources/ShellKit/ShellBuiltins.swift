import ArgumentParser
import Foundation

/// The commands every shell has: help, version, exit, variables, echo, history.
enum ShellBuiltins: ShellPlugin {
    static let name = "Shell"
    static let commands: [any ShellCommand.Type] = [
        HelpCommand.self, VersionCommand.self, ExitCommand.self, SetCommand.self, UnsetCommand.self, VarsCommand.self,
        EchoCommand.self, HistoryCommand.self, ParamCommand.self, SourceCommand.self, OnErrorCommand.self,
        RecordCommand.self,
    ]
}

/// The application's name and version, registered by the executable.
public struct AppInfo: Sendable {
    public let name: String
    public let version: String

    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}

struct HelpCommand: ShellCommand {
    static let isRecorded = false
    static let configuration = CommandConfiguration(
        commandName: "help", abstract: "List the commands, or explain one.", discussion: "Example: help pause")
    @Argument(help: "A command, and its subcommand if it has some.") var command: [String] = []

    func run(in context: CommandContext) async throws {
        guard let name = command.first else { return context.emit(.text(context.catalog.overview())) }
        guard let type = context.catalog.command(named: name) else {
            let hint = context.catalog.nearest(to: name).map { "did you mean '\($0)'?" }
            throw ShellError.usage("unknown command '\(name)'", hint: hint ?? "type 'help' for the list of commands")
        }
        do {
            var help = try type.parseAsRoot(Array(command.dropFirst()) + ["--help"])
            try help.run()  // ArgumentParser's help command: throws the help request
        } catch {
            context.emit(.text(CommandCatalog.help(type, for: error, width: context.output.columns)))
        }
    }
}

struct VersionCommand: ShellCommand {
    static let isRecorded = false
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Show the version.", discussion: "Example: version")

    func run(in context: CommandContext) async throws {
        let app = context.components.get(AppInfo.self) ?? AppInfo(name: "shell", version: "unknown")
        context.emit(.text("\(app.name) \(app.version)"))
    }
}

struct ExitCommand: ShellCommand {
    static let isRecorded = false
    static let configuration = CommandConfiguration(
        commandName: "exit", abstract: "Leave the shell.", discussion: "Example: exit 3", aliases: ["quit"])
    @Argument(help: "The exit status, 0 to 255.") var status: Int32 = 0

    func validate() throws {
        // A process's status is one byte: 256 would read as 0, a success.
        if !(0...255).contains(status) { throw ValidationError("exit takes a status from 0 to 255") }
    }

    func run(in context: CommandContext) async throws {
        await context.session.requestExit(ExitStatus(rawValue: status))
    }
}

struct SetCommand: WordsCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Set a variable, used as ${NAME}; 'set' alone lists them.",
        discussion: "Example: set queue 'Sales Outbound'; pause --all --queue ${queue} --yes")
    @Argument(help: "The variable's name.") var name: String?
    @Argument(help: "Its value (the rest of the line, joined by spaces).") var value: [String] = []

    init() {}

    init?(words: [String]) {
        name = words.first
        value = Array(words.dropFirst())
    }

    func run(in context: CommandContext) async throws {
        guard let name else { return try await VarsCommand().run(in: context) }
        guard CommandLineParser.isValidVariableName(name) else {
            throw ShellError.usage("'\(name)' is not a variable name (a letter or _, then letters, digits, _ . -)")
        }
        await context.session.setVariable(name, value.joined(separator: " "))
    }
}

struct UnsetCommand: WordsCommand {
    static let configuration = CommandConfiguration(
        commandName: "unset", abstract: "Remove a variable.", discussion: "Example: unset queue")
    @Argument(help: "The variable's name.") var name: String

    init() {}

    init?(words: [String]) {
        guard words.count == 1 else { return nil }
        name = words[0]
    }

    func run(in context: CommandContext) async throws {
        guard await context.session.variables[name] != nil else { throw ShellError.failure("no variable '\(name)'") }
        await context.session.removeVariable(name)
    }
}

struct VarsCommand: WordsCommand {
    static let isRecorded = false
    static let configuration = CommandConfiguration(
        commandName: "vars", abstract: "List the variables.", discussion: "Example: vars")

    init() {}

    init?(words: [String]) {
        guard words.isEmpty else { return nil }
    }

    func run(in context: CommandContext) async throws {
        let variables = await context.session.variables.sorted { $0.key < $1.key }
        context.emit(
            .table(Table(columns: ["name", "value"], rows: variables.map { [.text($0.key), .text($0.value)] })))
    }
}

struct EchoCommand: WordsCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo", abstract: "Print the words, after ${NAME} expansion.",
        discussion: "Example: echo launching ${campaign}")
    @Argument(parsing: .allUnrecognized, help: "The words.") var words: [String] = []

    init() {}

    init?(words: [String]) {
        self.words = words
    }

    func run(in context: CommandContext) async throws {
        context.emit(.text(words.joined(separator: " ")))
    }
}

struct HistoryCommand: ShellCommand {
    static let isRecorded = false
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show the lines typed so far.", discussion: "Example: history")
    @Option(help: "Show only the last N lines.") var last: Int?

    func validate() throws {
        if let last, last < 1 { throw ValidationError("--last takes a count of at least 1") }
    }

    func run(in context: CommandContext) async throws {
        let lines = context.components.get(HistoryFile.self)?.lines ?? []
        let shown = last.map { Array(lines.suffix(max(0, $0))) } ?? lines
        let first = lines.count - shown.count + 1
        context.emit(
            .table(
                Table(
                    columns: [Column("number", title: "#"), "line"],
                    rows: shown.enumerated().map { [.integer(first + $0.offset), .text($0.element)] })))
    }
}

struct ParamCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "param",
        abstract: "Declare a runbook parameter: its value comes from --var NAME=VALUE, the environment, or DEFAULT.",
        discussion: "Example: param campaign Q4_Renewals")
    @Argument(help: "The parameter's name.") var name: String
    @Argument(help: "Its value when neither --var nor the environment gives one.") var defaultValue: String?

    func run(in context: CommandContext) async throws {
        try await Self.bind(name, default: defaultValue, session: context.session)
    }

    /// Sets the variable unless `--var` already did; a parameter nobody gives stops the run.
    static func bind(_ name: String, default defaultValue: String?, session: ShellSession) async throws(ShellError) {
        if await session.variables[name] != nil { return }
        guard let value = ProcessInfo.processInfo.environment[name] ?? defaultValue else {
            throw .usage("parameter '\(name)' has no value", hint: "pass --var \(name)=VALUE")
        }
        await session.setVariable(name, value)
    }
}

struct SourceCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "source", abstract: "Run the commands of a runbook (relative to the runbook that sources it).",
        discussion: "Example: source morning-launch.cmds")
    @Argument(help: "The runbook file.") var file: String

    func run(in context: CommandContext) async throws {
        let status = await context.shell.runFile(file, from: context.location)
        // The sourced runbook reported its own errors; this line only passes the status on.
        if status != .success {
            throw ShellError(status == .interrupted ? "interrupted" : "\(file) failed", status: status, reported: true)
        }
    }
}

struct OnErrorCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "on-error", abstract: "After a failed command: stop (the default) or continue.",
        discussion: "Example: on-error continue")
    @Argument(help: "stop or continue.") var policy: String

    func validate() throws {
        guard ShellSession.ErrorPolicy(rawValue: policy) != nil else {
            throw ValidationError("on-error takes stop or continue")
        }
    }

    func run(in context: CommandContext) async throws {
        await context.session.setErrorPolicy(ShellSession.ErrorPolicy(rawValue: policy)!)
    }
}

struct RecordCommand: ShellCommand {
    static let isRecorded = false
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record the commands that succeed into a runbook: record start FILE, record stop.",
        discussion: "Example: record start morning.cmds; …; record stop",
        subcommands: [Start.self, Stop.self, Status.self], defaultSubcommand: Status.self)

    struct Start: ShellCommand {
        static let isRecorded = false
        static let configuration = CommandConfiguration(
            commandName: "start", abstract: "Start recording into FILE.",
            discussion: "Example: record start morning.cmds")
        @Argument(help: "The runbook to write.") var file: String
        @Flag(help: "Overwrite FILE if it exists.") var force = false

        func run(in context: CommandContext) async throws {
            let path = URL(fileURLWithPath: file, relativeTo: context.shell.workingDirectory).path
            // A plan writes no file: it checks that apply could.
            guard Rehearsal.current == nil else { return try Recorder.check(path, force: force) }
            try await context.shell.recorder.start(path, force: force)
            context.note("recording to \(path)")
        }
    }

    struct Stop: ShellCommand {
        static let isRecorded = false
        static let configuration = CommandConfiguration(
            commandName: "stop", abstract: "Stop recording.", discussion: "Example: record stop")

        func run(in context: CommandContext) async throws {
            guard Rehearsal.current == nil else { return }  // a plan started no recording
            let (path, count) = try await context.shell.recorder.stop()
            context.note("recorded \(count) command\(count == 1 ? "" : "s") in \(path)")
        }
    }

    struct Status: ShellCommand {
        static let isRecorded = false
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Say whether a recording is under way.",
            discussion: "Example: record status")

        func run(in context: CommandContext) async throws {
            if let path = await context.shell.recorder.path {
                context.emit(.text("recording to \(path) (\(await context.shell.recorder.written) commands so far)"))
            } else {
                context.emit(.text("not recording"))
            }
        }
    }
}
