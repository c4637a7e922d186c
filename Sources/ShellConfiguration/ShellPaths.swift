import Foundation

/// Where campaignsh keeps its files, under the XDG base directories (`$XDG_CONFIG_HOME`, `$XDG_DATA_HOME`,
/// `$XDG_STATE_HOME`, each `~/…` by default when unset or empty).
public struct ShellPaths: Sendable, Equatable {
    /// The profiles: `$XDG_CONFIG_HOME/campaignsh/config.toml`.
    public let configFile: String
    /// The audit log: `$XDG_DATA_HOME/campaignsh/audit.sqlite`.
    public let auditDatabase: String
    /// The interactive history: `$XDG_STATE_HOME/campaignsh/history`.
    public let history: String

    public init(environment: [String: String]) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        func folder(_ variable: String, default relative: String) -> String {
            environment[variable].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/" + relative
        }
        configFile = folder("XDG_CONFIG_HOME", default: ".config") + "/campaignsh/config.toml"
        auditDatabase = folder("XDG_DATA_HOME", default: ".local/share") + "/campaignsh/audit.sqlite"
        history = folder("XDG_STATE_HOME", default: ".local/state") + "/campaignsh/history"
    }
}
