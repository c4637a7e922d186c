import Foundation

/// Where campaignsh keeps its files, under the XDG base directories (`$XDG_CONFIG_HOME`, `$XDG_DATA_HOME`,
/// `$XDG_STATE_HOME`, each `~/…` by default when unset or empty).
public struct ShellPaths: Sendable, Equatable {
    /// The profiles: `$XDG_CONFIG_HOME/campaignsh/config.toml`.
    public let configFile: String
    /// The audit log before it was kept per org, `$XDG_DATA_HOME/campaignsh/audit.sqlite`: used when no org
    /// is configured, and left where it is (still readable with `--audit-db`).
    public let auditDatabase: String
    private let dataFolder: String
    /// The interactive history: `$XDG_STATE_HOME/campaignsh/history`.
    public let history: String

    public init(environment: [String: String]) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        func folder(_ variable: String, default relative: String) -> String {
            environment[variable].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/" + relative
        }
        configFile = folder("XDG_CONFIG_HOME", default: ".config") + "/campaignsh/config.toml"
        dataFolder = folder("XDG_DATA_HOME", default: ".local/share") + "/campaignsh"
        auditDatabase = dataFolder + "/audit.sqlite"
        history = folder("XDG_STATE_HOME", default: ".local/state") + "/campaignsh/history"
    }

    /// The audit log of one org: `$XDG_DATA_HOME/campaignsh/ORG/audit.sqlite`, so rehearsals on the sandbox
    /// and changes to a real org never share a trail. `org` is made a safe folder name.
    public func auditDatabase(org: String) -> String {
        let safe = org.lowercased().map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "-" }
        return dataFolder + "/" + String(safe).trimmingCharacters(in: CharacterSet(charactersIn: ".")) + "/audit.sqlite"
    }
}
