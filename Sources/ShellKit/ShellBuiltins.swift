import ArgumentParser

/// The commands every shell has: help, version, exit, variables, echo, history.
enum ShellBuiltins: ShellPlugin {
    static let name = "Shell"
    static let commands: [any ShellCommand.Type] = [HelpCommand.self, VersionCommand.self, ExitCommand.self, SetCommand.self, UnsetCommand.self, VarsCommand.self, EchoCommand.self, HistoryCommand.self]
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
    static let configuration = CommandConfiguration(commandName: "help", abstract: "List the commands, or explain one.")
    @Argument(help: "A command, and its subcommand if it has some.") var command: [String] = []

    func run(in context: CommandContext) async throws {
        guard let name = command.first else { return context.emit(.text(context.catalog.overview())) }
        guard let type = context.catalog.command(named: name) else {
            throw ShellError.usage("unknown command '\(name)'", hint: "type 'help' for the list of commands")
        }
        do {
            var help = try type.parseAsRoot(Array(command.dropFirst()) + ["--help"])
            try help.run()  // ArgumentParser's help command: throws the help request
        } catch {
            context.emit(.text(type.fullMessage(for: error, columns: 100)))
        }
    }
}

struct VersionCommand: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Show the version.")

    func run(in context: CommandContext) async throws {
        let app = context.components.get(AppInfo.self) ?? AppInfo(name: "shell", version: "unknown")
        context.emit(.text("\(app.name) \(app.version)"))
    }
}

struct ExitCommand: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "exit", abstract: "Leave the shell.", aliases: ["quit"])
    @Argument(help: "The exit status.") var status: Int32 = 0

    func run(in context: CommandContext) async throws {
        await context.session.requestExit(ExitStatus(rawValue: status))
    }
}

struct SetCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Set a variable, used as ${NAME}; 'set' alone lists them.")
    @Argument(help: "The variable's name.") var name: String?
    @Argument(help: "Its value (the rest of the line, joined by spaces).") var value: [String] = []

    func run(in context: CommandContext) async throws {
        guard let name else { return try await VarsCommand().run(in: context) }
        guard CommandLineParser.isValidVariableName(name) else {
            throw ShellError.usage("'\(name)' is not a variable name (a letter or _, then letters, digits, _ . -)")
        }
        await context.session.setVariable(name, value.joined(separator: " "))
    }
}

struct UnsetCommand: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "unset", abstract: "Remove a variable.")
    @Argument(help: "The variable's name.") var name: String

    func run(in context: CommandContext) async throws {
        guard await context.session.variables[name] != nil else { throw ShellError.failure("no variable '\(name)'") }
        await context.session.removeVariable(name)
    }
}

struct VarsCommand: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "vars", abstract: "List the variables.")

    func run(in context: CommandContext) async throws {
        let variables = await context.session.variables.sorted { $0.key < $1.key }
        context.emit(.table(Table(columns: ["name", "value"], rows: variables.map { [.text($0.key), .text($0.value)] })))
    }
}

struct EchoCommand: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "echo", abstract: "Print the words, after ${NAME} expansion.")
    @Argument(parsing: .allUnrecognized, help: "The words.") var words: [String] = []

    func run(in context: CommandContext) async throws {
        context.emit(.text(words.joined(separator: " ")))
    }
}

struct HistoryCommand: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Show the lines typed so far.")
    @Option(help: "Show only the last N lines.") var last: Int?

    func run(in context: CommandContext) async throws {
        let lines = context.components.get(HistoryFile.self)?.lines ?? []
        let shown = last.map { Array(lines.suffix(max(0, $0))) } ?? lines
        let first = lines.count - shown.count + 1
        context.emit(.table(Table(columns: ["#", "line"], rows: shown.enumerated().map { [.integer(first + $0.offset), .text($0.element)] })))
    }
}
