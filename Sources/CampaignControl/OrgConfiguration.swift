import Foundation
import GenesysCloud

/// Where the connection settings come from: flags, the environment, a `.env` file in the working
/// directory, and named profiles in `$XDG_CONFIG_HOME/campaignsh/config.toml`.
///
/// A profile chosen explicitly (`--profile`, `profile use`) is used as written. Otherwise the environment
/// (then `.env`) names the org, and without it the file's `default_profile`. Flags override either.
///
/// ```toml
/// default_profile = "prod"
///
/// [prod]
/// region = "eu-west-1"
/// client_id = "…"
/// client_secret_env = "PROD_GENESYS_SECRET"   # or client_secret = "…" in a file only you can read
/// ```
public struct OrgConfiguration: Sendable {
    public struct Profile: Sendable, Equatable {
        public var name: String
        public var values: [String: String]
    }

    /// The values a flag gives, overriding every other source.
    public struct Overrides: Sendable {
        public var profile: String?
        public var region: String?
        public var apiBase: String?
        public var loginBase: String?

        public init(profile: String? = nil, region: String? = nil, apiBase: String? = nil, loginBase: String? = nil) {
            self.profile = profile
            self.region = region
            self.apiBase = apiBase
            self.loginBase = loginBase
        }
    }

    public let profiles: [Profile]
    public let defaultProfile: String?
    /// The environment with `.env` filling what it lacks.
    public let environment: [String: String]
    public let configPath: String

    public init(environment processEnvironment: [String: String], workingDirectory: URL) throws(ConfigurationError) {
        var environment = processEnvironment
        let dotEnv = workingDirectory.appending(path: ".env").path
        if let text = try? String(contentsOfFile: dotEnv, encoding: .utf8) {
            for (key, value) in Self.parseDotEnv(text) where environment[key] == nil { environment[key] = value }
        }
        self.environment = environment
        let configHome =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        configPath = configHome + "/campaignsh/config.toml"
        guard let text = try? String(contentsOfFile: configPath, encoding: .utf8) else {
            profiles = []
            defaultProfile = nil
            return
        }
        let parsed = try Self.parseProfiles(text, path: configPath)
        profiles = parsed.profiles
        defaultProfile = parsed.defaultProfile
        if profiles.contains(where: { $0.values["client_secret"] != nil }) {
            var info = stat()
            if stat(configPath, &info) == 0, info.st_mode & 0o077 != 0 {
                throw ConfigurationError(
                    "\(configPath) holds a client secret but others can read it; run chmod 600 on it")
            }
        }
    }

    /// The settings to connect with, or `nil` when nothing names an org.
    public func settings(_ overrides: Overrides) throws(ConfigurationError) -> ConnectionSettings? {
        let explicitProfile = overrides.profile ?? environment["GENESYS_PROFILE"]
        var values: [String: String] = [:]
        var profileName: String?
        if let name = explicitProfile {
            guard let profile = profiles.first(where: { $0.name == name }) else {
                throw ConfigurationError(
                    "no profile '\(name)' in \(configPath)"
                        + (profiles.isEmpty ? "" : " (profiles: \(profiles.map(\.name).joined(separator: ", ")))")
                )
            }
            values = profile.values
            profileName = name
        } else if environment["GENESYS_CLIENT_ID"] != nil {
            values["client_id"] = environment["GENESYS_CLIENT_ID"]
            values["client_secret"] = environment["GENESYS_CLIENT_SECRET"]
            values["region"] = environment["GENESYS_REGION"]
            values["api_base"] = environment["GENESYS_API_BASE"]
            values["login_base"] = environment["GENESYS_LOGIN_BASE"]
        } else if let name = defaultProfile, let profile = profiles.first(where: { $0.name == name }) {
            values = profile.values
            profileName = name
        } else {
            return nil
        }
        if let region = overrides.region { values["region"] = region }
        if let apiBase = overrides.apiBase { values["api_base"] = apiBase }
        if let loginBase = overrides.loginBase { values["login_base"] = loginBase }
        if values["client_secret"] == nil, let variable = values["client_secret_env"] {
            values["client_secret"] = environment[variable]
        }
        let source = profileName.map { "profile '\($0)'" } ?? "the environment"
        guard let clientID = values["client_id"], !clientID.isEmpty else {
            throw ConfigurationError("\(source) has no client id (GENESYS_CLIENT_ID or client_id)")
        }
        guard let secret = values["client_secret"], !secret.isEmpty else {
            throw ConfigurationError(
                "\(source) has no client secret (GENESYS_CLIENT_SECRET, client_secret_env or client_secret)")
        }
        let environment: GenesysEnvironment
        do {
            switch (values["api_base"], values["login_base"], values["region"]) {
            case (let api?, let login?, _): environment = try GenesysEnvironment(apiBase: api, loginBase: login)
            case (nil, nil, let region?): environment = try GenesysEnvironment(region: region)
            case (nil, nil, nil): throw ConfigurationError("\(source) names no region (GENESYS_REGION or region)")
            default: throw ConfigurationError("give both an API base and a login base, or a region")
            }
        } catch let error as EnvironmentError {
            throw ConfigurationError(error.description)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError("\(error)")
        }
        return ConnectionSettings(
            profile: profileName, environment: environment,
            credentials: ClientCredentials(clientID: clientID, clientSecret: secret),
            region: values["api_base"] == nil ? values["region"] : nil,
            minAgents: values["min_agents"].flatMap(Int.init) ?? self.environment["GENESYS_MIN_AGENTS"].flatMap(
                Int.init) ?? 1
        )
    }

    /// `KEY=VALUE` lines; `export `, quotes and `#` comments as shells write them.
    static func parseDotEnv(_ text: String) -> [(String, String)] {
        text.split(whereSeparator: \.isNewline).compactMap { raw in
            var line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else { return nil }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if let quote = value.first, quote == "\"" || quote == "'", value.count >= 2, value.last == quote {
                value = String(value.dropFirst().dropLast())
            } else if let comment = value.range(of: " #") {
                value = value[..<comment.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            return (key, value)
        }
    }

    /// The TOML this file needs: `key = "string"` (or a bare number/boolean) pairs, `[section]` headers
    /// (also `[profiles.name]`), `#` comments.
    static func parseProfiles(_ text: String, path: String) throws(ConfigurationError) -> (
        profiles: [Profile], defaultProfile: String?
    ) {
        var profiles: [Profile] = []
        var topLevel: [String: String] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw ConfigurationError("\(path):\(number + 1): bad section header")
                }
                var name = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                if name.hasPrefix("profiles.") { name = String(name.dropFirst("profiles.".count)) }
                name = name.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                profiles.append(Profile(name: name, values: [:]))
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError("\(path):\(number + 1): expected key = \"value\"")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\"") {
                guard let close = value.dropFirst().firstIndex(of: "\"") else {
                    throw ConfigurationError("\(path):\(number + 1): unclosed string")
                }
                value = String(value[value.index(after: value.startIndex)..<close])
            } else if let comment = value.firstIndex(of: "#") {
                value = value[..<comment].trimmingCharacters(in: .whitespaces)
            }
            if profiles.isEmpty { topLevel[key] = value } else { profiles[profiles.count - 1].values[key] = value }
        }
        return (profiles, topLevel["default_profile"])
    }
}

public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
