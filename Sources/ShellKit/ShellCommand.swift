import ArgumentParser

/// A command of the shell: parsed from one line's words with swift-argument-parser, run with a context.
///
/// ```swift
/// struct Show: ShellCommand {
///     static let configuration = CommandConfiguration(abstract: "Show the current campaign.")
///     @Argument var campaign: String?
///     func run(in context: CommandContext) async throws { … }
/// }
/// ```
public protocol ShellCommand: ParsableCommand, Sendable {
    func run(in context: CommandContext) async throws
    /// Whether it changes something in Genesys: `--resume` never runs a completed one again.
    static var isMutating: Bool { get }
    /// Whether `record` writes it down (not for commands about the shell itself: help, history, record).
    static var isRecorded: Bool { get }
    /// Whether it checks the org's state (`expect`, `wait`): `--resume` does not check again a state the
    /// runbook has since moved on from.
    static var isCheck: Bool { get }
}

extension ShellCommand {
    /// A group with a default subcommand never runs itself: the parser always picks a subcommand.
    public func run(in context: CommandContext) async throws {
        throw ShellError.usage("'\(Self._commandName)' needs a subcommand", hint: "see 'help \(Self._commandName)'")
    }

    public static var isMutating: Bool { false }
    public static var isRecorded: Bool { true }
    public static var isCheck: Bool { false }
}

/// A builtin that takes plain words and finishes at once (`set`, `echo`, `vars`, `unset`): the shell fills
/// it from the words itself and runs it without the Ctrl-C watch. ArgumentParser rebuilds a command's
/// arguments by reflection on every parse, which was most of a runbook line's time.
///
/// Words that look like options (`-…`) go to ArgumentParser, so help and errors read as for every command.
protocol WordsCommand: ShellCommand {
    /// The command for `words` (after its name), none of which starts with `-`; nil when they do not fit.
    init?(words: [String])
}

/// A group of commands contributed to the shell. The executable lists its plugins explicitly, in order.
public protocol ShellPlugin: Sendable {
    /// The heading of the plugin's section in `help`.
    static var name: String { get }
    static var commands: [any ShellCommand.Type] { get }
    /// Values to offer for the word being completed, from in-memory caches only (called on the input
    /// thread at every Tab: it must not block). `words` are the complete words before it.
    static func completions(words: [String], partial: String, components: ShellComponents) -> [String]
}

extension ShellPlugin {
    public static func completions(words: [String], partial: String, components: ShellComponents) -> [String] { [] }
}

/// Shared services the executable sets up and plugins look up by type (the Genesys connection, the audit
/// store, …), so plugins never import each other and ShellKit needs to know none of them.
public struct ShellComponents: Sendable {
    private var storage: [ObjectIdentifier: any Sendable] = [:]

    public init() {}

    public mutating func register<Component: Sendable>(_ component: Component) {
        storage[ObjectIdentifier(Component.self)] = component
    }

    public func get<Component: Sendable>(_ type: Component.Type) -> Component? {
        storage[ObjectIdentifier(type)] as? Component
    }

    /// The component, or an error naming what is missing.
    public func require<Component: Sendable>(_ type: Component.Type) throws -> Component {
        guard let component = get(type) else {
            throw ShellError.failure("\(type) is not available in this shell")
        }
        return component
    }
}
