import CampaignControl
import Foundation
import GenesysCloud

/// Where the connection settings come from: flags, the environment, a `.env` file in the working
/// directory, and named profiles in `$XDG_CONFIG_HOME/campaignsh/config.toml` (`ProfileFile`).
///
/// A profile chosen explicitly (`--profile`, `GENESYS_PROFILE`, `profile use`) is used as written. Otherwise
/// the environment (then `.env`) names the org, and without it the file's `default_profile`. Flags override
/// either.
public struct OrgConfiguration: Sendable {
    /// One org as a profile of `config.toml` describes it; every setting is optional until `settings` needs it.
    public struct Profile: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
        public var name: String
        public var region: String?
        public var apiBase: String?
        public var loginBase: String?
        public var clientID: String?
        /// Written in the file itself; it leaves this module only inside `ClientCredentials`, which hides it.
        var clientSecret: String?
        /// The environment variable holding the secret (`client_secret_env`).
        public var clientSecretVariable: String?
        public var minAgents: Int?

        init(
            name: String, region: String? = nil, apiBase: String? = nil, loginBase: String? = nil,
            clientID: String? = nil, clientSecret: String? = nil, clientSecretVariable: String? = nil,
            minAgents: Int? = nil
        ) {
            self.name = name
            self.region = region
            self.apiBase = apiBase
            self.loginBase = loginBase
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.clientSecretVariable = clientSecretVariable
            self.minAgents = minAgents
        }

        public var description: String { "profile '\(name)'" }
        public var debugDescription: String { description }
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
    /// Found through `environment`, so `.env` may move them too.
    public let paths: ShellPaths
    public var configPath: String { paths.configFile }
    /// What the operator should fix but that does not stop the shell (a `.env` with a secret others can read).
    public private(set) var warnings: [String] = []

    /// Reads `.env` and `config.toml`; a missing file is no error, an invalid one is.
    /// - Throws: one line naming the file (and the line of a TOML error), or a config file that holds a
    ///   client secret but that others may read.
    public init(environment processEnvironment: [String: String], workingDirectory: URL) throws(ConfigurationError) {
        environment = DotEnv.merged(into: processEnvironment, from: workingDirectory)
        paths = ShellPaths(environment: environment)
        if let problem = DotEnv.exposedSecret(in: workingDirectory) { warnings.append(problem) }
        guard let (data, mode) = try Self.read(paths.configFile) else {
            profiles = []
            defaultProfile = nil
            return
        }
        let file = try ProfileFile(parsing: data, path: paths.configFile)
        if file.holdsSecret, mode & 0o077 != 0 {
            throw ConfigurationError(
                "\(paths.configFile) holds a client secret but others can read it; run chmod 600 on it")
        }
        profiles = file.profiles
        defaultProfile = file.defaultProfile
    }

    /// The file's bytes and permission bits, both from one open file, or `nil` when there is no file.
    private static func read(_ path: String) throws(ConfigurationError) -> (Data, mode_t)? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw ConfigurationError("\(path): \(String(cString: strerror(code)))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw ConfigurationError("\(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT != S_IFDIR else { throw ConfigurationError("\(path): is a directory, not a file") }
        do {
            return (try handle.readToEnd() ?? Data(), info.st_mode)
        } catch {
            throw ConfigurationError("\(path): \((error as NSError).localizedDescription)")
        }
    }

    /// The settings to connect with, or `nil` when nothing names an org.
    public func settings(_ overrides: Overrides) throws(ConfigurationError) -> ConnectionSettings? {
        var chosen: Profile
        var profileName: String?
        if let name = overrides.profile ?? environment["GENESYS_PROFILE"] {
            guard let profile = profiles.first(where: { $0.name == name }) else {
                throw ConfigurationError(
                    "no profile '\(name)' in \(configPath)"
                        + (profiles.isEmpty ? "" : " (profiles: \(profiles.map(\.name).joined(separator: ", ")))")
                )
            }
            chosen = profile
            profileName = name
        } else if let clientID = environment["GENESYS_CLIENT_ID"] {
            chosen = Profile(
                name: "", region: environment["GENESYS_REGION"], apiBase: environment["GENESYS_API_BASE"],
                loginBase: environment["GENESYS_LOGIN_BASE"], clientID: clientID,
                clientSecret: environment["GENESYS_CLIENT_SECRET"]
            )
        } else if let name = defaultProfile, let profile = profiles.first(where: { $0.name == name }) {
            chosen = profile
            profileName = name
        } else {
            return nil
        }
        if let region = overrides.region { chosen.region = region }
        if let apiBase = overrides.apiBase { chosen.apiBase = apiBase }
        if let loginBase = overrides.loginBase { chosen.loginBase = loginBase }
        let source = profileName.map { "profile '\($0)'" } ?? "the environment"
        guard let clientID = chosen.clientID, !clientID.isEmpty else {
            throw ConfigurationError("\(source) has no client id (GENESYS_CLIENT_ID or client_id)")
        }
        let secret = chosen.clientSecret ?? chosen.clientSecretVariable.flatMap { environment[$0] }
        guard let secret, !secret.isEmpty else {
            throw ConfigurationError(
                "\(source) has no client secret (GENESYS_CLIENT_SECRET, client_secret_env or client_secret)")
        }
        let endpoints: GenesysEnvironment
        switch (chosen.apiBase, chosen.loginBase, chosen.region) {
        case (let api?, let login?, _):
            endpoints = try Self.validated { () throws(EnvironmentError) in
                try GenesysEnvironment(apiBase: api, loginBase: login)
            }
        case (nil, nil, let region?):
            endpoints = try Self.validated { () throws(EnvironmentError) in try GenesysEnvironment(region: region) }
        case (nil, nil, nil):
            throw ConfigurationError("\(source) names no region (GENESYS_REGION or region)")
        default:
            throw ConfigurationError("give both an API base and a login base, or a region")
        }
        return ConnectionSettings(
            profile: profileName, environment: endpoints,
            credentials: ClientCredentials(clientID: clientID, clientSecret: secret),
            region: chosen.apiBase == nil ? chosen.region : nil,
            minAgents: chosen.minAgents ?? environment["GENESYS_MIN_AGENTS"].flatMap { Int($0) } ?? 1
        )
    }

    private static func validated(
        _ make: () throws(EnvironmentError) -> GenesysEnvironment
    ) throws(ConfigurationError) -> GenesysEnvironment {
        do { return try make() } catch { throw ConfigurationError(error.description) }
    }

    /// How long one exchange with the API may take, whole, and the largest response read:
    /// `CAMPAIGNSH_REQUEST_TIMEOUT` (seconds, 1 to 600, default 30) and `CAMPAIGNSH_MAX_RESPONSE_MB`
    /// (1 to 1024, default 8).
    public func requestLimits() throws(ConfigurationError) -> (timeout: Duration, maxResponseBytes: Int) {
        func number(_ name: String, in range: ClosedRange<Int>, default value: Int) throws(ConfigurationError) -> Int {
            guard let text = environment[name], !text.isEmpty else { return value }
            guard let number = Int(text), range.contains(number) else {
                throw ConfigurationError("\(name) takes a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }
        let seconds = try number("CAMPAIGNSH_REQUEST_TIMEOUT", in: 1...600, default: 30)
        let megabytes = try number("CAMPAIGNSH_MAX_RESPONSE_MB", in: 1...1024, default: 8)
        return (.seconds(seconds), megabytes << 20)
    }

    /// The WFM webhook `CAMPAIGNSH_WEBHOOK_URL` names, signed with the secret in the variable
    /// `CAMPAIGNSH_WEBHOOK_SECRET_ENV` names; `nil` without a URL.
    public func webhook() throws(ConfigurationError) -> WebhookConfiguration? {
        guard let url = environment["CAMPAIGNSH_WEBHOOK_URL"] else { return nil }
        return try WebhookConfiguration(url: url, secretVariable: environment["CAMPAIGNSH_WEBHOOK_SECRET_ENV"])
    }
}
