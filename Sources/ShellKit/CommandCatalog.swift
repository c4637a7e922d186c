import ArgumentParser
import Foundation

/// The commands of the installed plugins, in the executable's order: lookup by name, help, completion.
public struct CommandCatalog: Sendable {
    public struct Section: Sendable {
        public let name: String
        public let commands: [any ShellCommand.Type]
    }

    public let sections: [Section]
    private let byName: [String: any ShellCommand.Type]
    private let completers: [@Sendable ([String], String, ShellComponents) -> [String]]

    public init(plugins: [any ShellPlugin.Type]) {
        sections = plugins.map { Section(name: $0.name, commands: $0.commands) }
        var byName: [String: any ShellCommand.Type] = [:]
        for command in sections.flatMap(\.commands) {
            for name in [Self.name(of: command)] + command.configuration.aliases { byName[name] = command }
        }
        self.byName = byName
        completers = plugins.map { plugin in { plugin.completions(words: $0, partial: $1, components: $2) } }
    }

    /// The word that runs `command`: its `commandName`.
    public static func name(of command: any ShellCommand.Type) -> String {
        command.configuration.commandName ?? "\(command)".lowercased()
    }

    public var commandNames: [String] { sections.flatMap(\.commands).map(Self.name(of:)) }

    public func command(named name: String) -> (any ShellCommand.Type)? { byName[name] }

    /// The command a mistyped `name` most likely meant: the closest within two edits, or one it begins.
    public func nearest(to name: String) -> String? {
        let typed = Array(name.lowercased())
        let scored = commandNames.map { candidate in (candidate, Self.editDistance(typed, Array(candidate))) }
        if let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= min(2, max(1, typed.count / 3)) { return best.0 }
        return name.count >= 3 ? commandNames.first { $0.hasPrefix(name.lowercased()) } : nil
    }

    /// Levenshtein distance: insertions, deletions and substitutions.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// `help`: every command with its abstract, grouped by plugin.
    public func overview() -> String {
        let width = (commandNames.map(\.count).max() ?? 0) + 2
        var text = ""
        for section in sections where !section.commands.isEmpty {
            text += "\(section.name):\n"
            for command in section.commands {
                let name = Self.name(of: command)
                text +=
                    "  " + name + String(repeating: " ", count: max(1, width - name.count))
                    + command.configuration.abstract + "\n"
            }
            text += "\n"
        }
        return text
            + "Type 'help COMMAND' for its arguments. Every command takes --format \(OutputFormat.allCases.map(\.rawValue).joined(separator: "|"))\n"
            + "and may end with '> FILE', '>> FILE' or '| shell pipeline'; ';' separates commands.\n"
    }

    /// Candidates for what Tab was pressed on: a file name after `>`, otherwise as below.
    public func completions(for request: CompletionRequest, components: ShellComponents) -> [String] {
        if request.isFileName { return Self.fileNames(startingWith: request.partial) }
        return completions(words: request.words, partial: request.partial, components: components)
    }

    /// Candidates for the word being completed: command names first, then subcommands and options
    /// from the command's definition, then values the plugins offer.
    public func completions(words: [String], partial: String, components: ShellComponents) -> [String] {
        guard let first = words.first else { return commandNames.filter { $0.hasPrefix(partial) }.sorted() }
        if first == "help", words.count == 1 { return commandNames.filter { $0.hasPrefix(partial) }.sorted() }
        guard let command = byName[first] else { return [] }
        if words.last == "--format" { return OutputFormat.allCases.map(\.rawValue).filter { $0.hasPrefix(partial) } }
        if words == [SourceCommand.configuration.commandName!] || words == ["record", "start"] {
            return Self.fileNames(startingWith: partial)
        }
        var leaf: any ParsableCommand.Type = command
        var descended = false
        for word in words.dropFirst() {
            guard let sub = leaf.configuration.subcommands.first(where: { $0.configuration.commandName == word }) else {
                break
            }
            leaf = sub
            descended = true
        }
        var candidates: [String] = []
        if partial.hasPrefix("-") {
            candidates = Self.optionNames(of: leaf)
        } else {
            if words.count == 1 || descended {
                candidates += leaf.configuration.subcommands.compactMap { $0.configuration.commandName }
            }
            for completer in completers { candidates += completer(words, partial, components) }
        }
        return Array(Set(candidates.filter { $0.hasPrefix(partial) })).sorted()
    }

    /// A command's help (what `help NAME` and `NAME --help` print) for a screen `width` wide (100 when not a
    /// terminal), its usage line wrapped between options rather than by the terminal inside one.
    static func help(_ command: any ParsableCommand.Type, for request: any Error, width: Int?) -> String {
        let columns = width ?? 100
        let text = command.fullMessage(for: request, columns: columns)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            guard line.hasPrefix("USAGE: "), line.count > columns else { return String(line) }
            // Words are broken only outside brackets: `[--name <name>]` stays whole.
            var groups: [String] = []
            var depth = 0
            for character in line {
                if character == " ", depth == 0 {
                    groups.append("")
                    continue
                }
                if groups.isEmpty { groups.append("") }
                if "[<(".contains(character) { depth += 1 }
                if "]>)".contains(character) { depth -= 1 }
                groups[groups.count - 1].append(character)
            }
            var lines: [String] = []
            var current = ""
            for group in groups where !group.isEmpty {
                if !current.isEmpty, current.count + 1 + group.count > columns {
                    lines.append(current)
                    current = "      " + " " + group
                } else {
                    current += (current.isEmpty ? "" : " ") + group
                }
            }
            return (lines + [current]).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// The files and folders (with a `/`) whose path starts with `partial`, for `source` and `record start`.
    static func fileNames(startingWith partial: String) -> [String] {
        let folder = partial.contains("/") ? String(partial[...partial.lastIndex(of: "/")!]) : ""
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        return entries.filter { !$0.hasPrefix(".") || partial.hasSuffix(".") }.map { name in
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder + name, isDirectory: &isFolder)
            return folder + name + (isFolder.boolValue ? "/" : "")
        }.filter { $0.hasPrefix(partial) }.sorted()
    }

    /// `--long` names declared by a command, read from its help (the one definition of its options).
    static func optionNames(of command: any ParsableCommand.Type) -> [String] {
        var names: Set<String> = ["--help", "--format"]
        for line in command.helpMessage(columns: 1_000).split(separator: "\n") {
            for word in line.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "/" }) where word.hasPrefix("--") {
                let name = word.prefix { $0 != "=" && $0 != "<" }
                if name.count > 2 { names.insert(String(name)) }
            }
        }
        return names.sorted()
    }
}
