import Foundation
import ShellKit

/// The shell's own command line: what `campaignsh --help` lists, parsed from one table.
///
/// Parsed by hand rather than by ArgumentParser (which the shell's commands use): its reflection of a root
/// command costs about 4 ms at every start of a binary this size, some 35 first-time protocol-conformance
/// lookups that each scan the binary's ~10,000 conformance records, a quarter of `campaignsh -c version`.
struct CommandLineOptions: Equatable {
    var sandbox = false
    var profile: String?
    var region: String?
    var apiBase: String?
    var loginBase: String?
    var format: String?
    var variables: [String] = []
    var dryRun = false
    var yes = false
    var onError: String?
    var echo = false
    var auditDB: String?
    var historyFile: String?
    var noColor = false
    var checkpoint: String?
    var resume = false
    var commands: String?
    var file: String?
    var script: String?

    /// What a command line asks for.
    enum Request: Equatable {
        case run(CommandLineOptions)
        case help
        case version
        /// `--generate-completion-script bash|zsh|fish`.
        case completionScript(String)
        /// `--generate-manual`: the man page.
        case manual
    }

    /// A command line that cannot be run: the reason, for one line on stderr and exit status 2.
    struct UsageError: Error, Equatable {
        let message: String
    }

    /// One option: its name, the name of its value (nil for a flag), its help and where it goes.
    /// The help is made when asked for: the choices it lists are not needed to run.
    private struct Option: Sendable {
        let name: String
        let value: String?
        let help: @Sendable () -> String
        let set: @Sendable (inout CommandLineOptions, String) -> Void

        static func flag(
            _ name: String, _ help: @autoclosure @escaping @Sendable () -> String,
            _ set: @escaping @Sendable (inout CommandLineOptions) -> Void
        ) -> Option {
            Option(name: name, value: nil, help: help) { options, _ in set(&options) }
        }

        static func value(
            _ name: String, _ value: String, _ help: @autoclosure @escaping @Sendable () -> String,
            _ set: @escaping @Sendable (inout CommandLineOptions, String) -> Void
        ) -> Option {
            Option(name: name, value: value, help: help, set: set)
        }
    }

    private static let options: [Option] = [
        .flag("--sandbox", "Start an emulator of Genesys Cloud with a demo org, and log in to it.") {
            $0.sandbox = true
        },
        .value("--profile", "profile", "A profile of config.toml.") { $0.profile = $1 },
        .value("--region", "region", "A region key (eu-west-1) or domain (mypurecloud.ie).") { $0.region = $1 },
        .value("--api-base", "url", "The API's base URL, e.g. https://api.mypurecloud.ie.") { $0.apiBase = $1 },
        .value("--login-base", "url", "The login host's base URL, e.g. https://login.mypurecloud.ie.") {
            $0.loginBase = $1
        },
        .value(
            "--format", "format",
            "Output format: \(OutputFormat.choices) (default: table on a terminal, plain otherwise)."
        ) { $0.format = $1 },
        .value("--var", "name=value", "Set a variable (repeatable).") { $0.variables.append($1) },
        .flag("--dry-run", "Print the plan of what the commands would change, and change nothing.") {
            $0.dryRun = true
        },
        .flag("--plan", "The same as --dry-run.") { $0.dryRun = true },
        .flag("--yes", "Do not ask before destructive commands.") { $0.yes = true },
        .value("--on-error", "policy", "After a failed command: stop (default) or continue.") { $0.onError = $1 },
        .flag("--echo", "Print each command before running it.") { $0.echo = true },
        .value("--audit-db", "file", "The audit database (default $XDG_DATA_HOME/campaignsh/audit.sqlite).") {
            $0.auditDB = $1
        },
        .value("--history-file", "file", "The history file (default $XDG_STATE_HOME/campaignsh/history).") {
            $0.historyFile = $1
        },
        .flag("--no-color", "No colors, even on a terminal.") { $0.noColor = true },
        .value("--checkpoint", "file", "Log each completed command of the runbook to this file.") {
            $0.checkpoint = $1
        },
        .flag("--resume", "With --checkpoint: skip the changes and checks that already completed.") {
            $0.resume = true
        },
        .value("-c", "commands", "Run these commands and exit.") { $0.commands = $1 },
        .value("-f", "file", "Run the commands of this file and exit.") { $0.file = $1 },
    ]

    /// Reads the arguments after the program's name. `--name=value` and `--name value` are both accepted;
    /// after `--` every word is the script.
    static func parse(_ arguments: [String]) throws(UsageError) -> Request {
        var parsed = CommandLineOptions()
        var words = arguments[...]
        var onlyScript = false
        while let word = words.popFirst() {
            if !onlyScript, word == "--" {
                onlyScript = true
                continue
            }
            guard !onlyScript, word.hasPrefix("-"), word != "-" else {
                guard parsed.script == nil else { throw UsageError(message: "unexpected argument '\(word)'") }
                parsed.script = word
                continue
            }
            if word == "-h" || word == "--help" { return .help }
            if word == "--version" { return .version }
            if word == "--generate-manual" { return .manual }
            let (name, attached) = word.splitOnce("=")
            if name == "--generate-completion-script" {
                guard let shell = attached ?? words.popFirst(), let script = completionScript(for: shell) else {
                    throw UsageError(message: "--generate-completion-script takes bash, zsh or fish")
                }
                return .completionScript(script)
            }
            guard let option = options.first(where: { $0.name == name }) else {
                throw UsageError(message: "unknown option '\(name)'")
            }
            guard let valueName = option.value else {
                guard attached == nil else { throw UsageError(message: "\(name) takes no value") }
                option.set(&parsed, "")
                continue
            }
            guard let value = attached ?? words.popFirst() else {
                throw UsageError(message: "\(name) needs a value: \(name) <\(valueName)>")
            }
            option.set(&parsed, value)
        }
        try parsed.validate()
        return .run(parsed)
    }

    private func validate() throws(UsageError) {
        if [commands != nil, file != nil, script != nil].filter({ $0 }).count > 1 {
            throw UsageError(message: "give only one of -c, -f and a FILE")
        }
        if let format, OutputFormat(rawValue: format) == nil {
            throw UsageError(message: "unknown format '\(format)'; use \(OutputFormat.choices)")
        }
        if let onError, ShellSession.ErrorPolicy(rawValue: onError) == nil {
            throw UsageError(message: "--on-error takes stop or continue")
        }
        for variable in variables where !variable.contains("=") {
            throw UsageError(message: "--var takes NAME=VALUE, not '\(variable)'")
        }
        if (apiBase == nil) != (loginBase == nil) {
            throw UsageError(message: "give --api-base and --login-base together")
        }
        if resume, checkpoint == nil { throw UsageError(message: "--resume needs --checkpoint FILE") }
        // Lines from -c or a pipe have no file:line that a later run could find again.
        if checkpoint != nil, file == nil, script == nil {
            throw UsageError(
                message: "--checkpoint works with a runbook (-f FILE or FILE), not with -c or standard input")
        }
    }

    /// `campaignsh --help`, laid out as ArgumentParser lays out the shell's commands.
    static func help(abstract: String, discussion: String) -> String {
        var lines = ["OVERVIEW: \(abstract)", ""]
        lines += wrap(discussion, width: 80, indent: 0)
        lines += ["", "USAGE: campaignsh [<options>] [<script>]", "", "ARGUMENTS:"]
        lines += entry("<script>", "A file of commands to run (same as -f).")
        lines += ["", "OPTIONS:"]
        for (names, value, help) in described {
            let name = names.joined(separator: ", ")
            lines += entry(value.map { "\(name) <\($0)>" } ?? name, help)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every option as help, the manual and the completion scripts list it: its names, the name of its
    /// value, its help.
    static var described: [(names: [String], value: String?, help: String)] {
        options.map { ([$0.name], $0.value, $0.help()) } + [
            (["--generate-completion-script"], "shell", "Print a completion script for bash, zsh or fish."),
            (["--generate-manual"], nil, "Print this manual page (roff)."),
            (["--version"], nil, "Show the version."), (["-h", "--help"], nil, "Show help information."),
        ]
    }

    /// A script that completes the options for `shell` (their values where they are files or choices).
    static func completionScript(for shell: String) -> String? {
        let files = ["--audit-db", "--history-file", "--checkpoint", "-f"]
        func choices(_ name: String) -> [String]? {
            switch name {
            case "--format": OutputFormat.allCases.map(\.rawValue)
            case "--on-error": ShellSession.ErrorPolicy.allCases.map(\.rawValue)
            case "--generate-completion-script": ["bash", "zsh", "fish"]
            default: nil
            }
        }
        let entries = described.flatMap { entry in entry.names.map { (name: $0, value: entry.value, help: entry.help) }
        }
        switch shell {
        case "bash":
            var cases = entries.compactMap { entry in
                choices(entry.name).map {
                    "        \(entry.name)) COMPREPLY=($(compgen -W '\($0.joined(separator: " "))' -- \"$cur\")); return;;"
                }
            }
            cases.append("        \(files.joined(separator: "|"))) COMPREPLY=($(compgen -f -- \"$cur\")); return;;")
            return """
                _campaignsh() {
                    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
                    case $prev in
                \(cases.joined(separator: "\n"))
                    esac
                    if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W '\(entries.map(\.name).joined(separator: " "))' -- "$cur"))
                    else COMPREPLY=($(compgen -f -- "$cur")); fi
                }
                complete -o filenames -F _campaignsh campaignsh

                """
        case "zsh":
            let specs = entries.map { entry -> String in
                let help = entry.help.replacingOccurrences(of: "'", with: "'\\''")
                    .replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
                guard let value = entry.value else { return "'\(entry.name)[\(help)]'" }
                let action =
                    files.contains(entry.name)
                    ? "_files" : choices(entry.name).map { "(\($0.joined(separator: " ")))" } ?? " "
                return "'\(entry.name)[\(help)]:\(value):\(action)'"
            }
            return "#compdef campaignsh\n_arguments \\\n  "
                + (specs + ["'*:script:_files'"]).joined(separator: " \\\n  ")
                + "\n"
        case "fish":
            return entries.map { entry -> String in
                let flag = entry.name.hasPrefix("--") ? "-l \(entry.name.dropFirst(2))" : "-s \(entry.name.dropFirst())"
                let help = entry.help.replacingOccurrences(of: "'", with: "\\'")
                var line = "complete -c campaignsh \(flag) -d '\(help)'"
                if let choices = choices(entry.name) {
                    line += " -x -a '\(choices.joined(separator: " "))'"
                } else if files.contains(entry.name) {
                    line += " -r -F"
                } else if entry.value != nil {
                    line += " -x"
                }
                return line
            }.joined(separator: "\n") + "\n"
        default:
            return nil
        }
    }

    /// A name column of 24 and the help beside it, or under it when the name is longer.
    private static func entry(_ name: String, _ help: String) -> [String] {
        let helpLines = wrap(help, width: 80, indent: 26)
        let label = "  " + name
        guard label.count < 26 else { return [label] + helpLines }
        let padding = String(repeating: " ", count: 26 - label.count)
        return [label + padding + helpLines[0].dropFirst(26)] + helpLines.dropFirst()
    }

    /// `text` in lines of at most `width` columns, each paragraph's lines indented by `indent`.
    private static func wrap(_ text: String, width: Int, indent: Int) -> [String] {
        let margin = String(repeating: " ", count: indent)
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = margin
            for word in paragraph.split(separator: " ") {
                if line.count > indent, line.count + 1 + word.count > width {
                    lines.append(line)
                    line = margin
                }
                line += (line.count > indent ? " " : "") + word
            }
            lines.append(line)
        }
        return lines
    }
}

extension String {
    /// The text before the first `separator` and, if there is one, the text after it.
    fileprivate func splitOnce(_ separator: Character) -> (String, String?) {
        guard let index = firstIndex(of: separator) else { return (self, nil) }
        return (String(self[..<index]), String(self[index...].dropFirst()))
    }
}
