import CampaignControl
import Foundation
import GenesysCloud
import Testing

@testable import ShellConfiguration

/// Which org the shell connects to, from flags, the environment, `.env` and config.toml.
struct OrgConfigurationTests {
    /// A working directory and an XDG config home of its own, removed afterwards.
    final class Folder {
        let url = FileManager.default.temporaryDirectory.appending(path: "campaignsh-config-\(UUID().uuidString)")
        var configFile: URL { url.appending(path: "config/campaignsh/config.toml") }
        var environment: [String: String] { ["HOME": url.path, "XDG_CONFIG_HOME": url.appending(path: "config").path] }

        init(config: String? = nil, permissions: Int = 0o600, dotEnv: String? = nil) throws {
            try FileManager.default.createDirectory(
                at: configFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            if let config {
                try Data(config.utf8).write(to: configFile)
                try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: configFile.path)
            }
            if let dotEnv { try Data(dotEnv.utf8).write(to: url.appending(path: ".env")) }
        }

        func load(_ extra: [String: String] = [:]) throws(ConfigurationError) -> OrgConfiguration {
            try OrgConfiguration(environment: environment.merging(extra) { $1 }, workingDirectory: url)
        }

        deinit { try? FileManager.default.removeItem(at: url) }
    }

    private static let twoProfiles = """
        default_profile = "lab"

        [lab]
        api_base = "http://127.0.0.1:9000"
        login_base = "http://127.0.0.1:9001"
        client_id = "lab-client"
        client_secret_env = "LAB_SECRET"

        [profiles.prod]
        region = "eu-west-1"
        client_id = "prod-client"
        client_secret_env = "PROD_SECRET"
        min_agents = 5
        """

    /// The message a configuration error gives, or `nil` when `body` succeeds.
    private static func failure(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return (error as? ConfigurationError)?.description ?? "not a ConfigurationError: \(error)"
        }
    }

    @Test func theDefaultProfileWhenNothingElseNamesAnOrg() throws {
        let folder = try Folder(config: Self.twoProfiles)
        let settings = try #require(try folder.load(["LAB_SECRET": "lab-secret"]).settings(.init()))
        #expect(settings.profile == "lab")
        #expect(settings.credentials.clientID == "lab-client")
        #expect(settings.credentials.secretAppears(in: "lab-secret"))
        #expect(settings.environment.apiBase.absoluteString == "http://127.0.0.1:9000")
        #expect(settings.environment.loginBase.absoluteString == "http://127.0.0.1:9001")
        #expect(settings.region == nil)
        #expect(settings.minAgents == 1)
    }

    @Test func theEnvironmentWinsOverTheDefaultProfileButNotOverAnExplicitOne() throws {
        let folder = try Folder(config: Self.twoProfiles)
        let environment = [
            "GENESYS_CLIENT_ID": "env-client", "GENESYS_CLIENT_SECRET": "env-secret", "GENESYS_REGION": "us-east-1",
            "PROD_SECRET": "prod-secret", "GENESYS_MIN_AGENTS": "2",
        ]
        let configuration = try folder.load(environment)
        let fromEnvironment = try #require(try configuration.settings(.init()))
        #expect(fromEnvironment.profile == nil)
        #expect(fromEnvironment.credentials.clientID == "env-client")
        #expect(fromEnvironment.region == "us-east-1")
        #expect(fromEnvironment.minAgents == 2)

        let flagged = try #require(try configuration.settings(.init(profile: "prod")))
        #expect(flagged.profile == "prod")
        #expect(flagged.credentials.secretAppears(in: "prod-secret"))
        #expect(flagged.environment.apiBase.absoluteString == "https://api.mypurecloud.ie")
        #expect(flagged.minAgents == 5)

        let byVariable = try #require(
            try folder.load(environment.merging(["GENESYS_PROFILE": "prod"]) { $1 })
                .settings(.init()))
        #expect(byVariable.profile == "prod")
    }

    @Test func flagsOverrideTheRegionAndTheBases() throws {
        let folder = try Folder(config: Self.twoProfiles)
        let configuration = try folder.load(["PROD_SECRET": "p"])
        let region = try #require(try configuration.settings(.init(profile: "prod", region: "ap-southeast-2")))
        #expect(region.region == "ap-southeast-2")
        #expect(region.environment.apiBase.absoluteString == "https://api.mypurecloud.com.au")
        let bases = try #require(
            try configuration.settings(
                .init(profile: "prod", apiBase: "http://localhost:1", loginBase: "http://localhost:2")))
        #expect(bases.region == nil)
        #expect(bases.environment.loginBase.absoluteString == "http://localhost:2")
    }

    @Test func nothingConfiguredIsNoOrgAndNoError() throws {
        let folder = try Folder()
        let configuration = try folder.load()
        #expect(configuration.profiles.isEmpty)
        #expect(try configuration.settings(.init()) == nil)
    }

    @Test func aDefaultProfileThatIsNotThereNamesNoOrg() throws {
        let folder = try Folder(config: "default_profile = \"gone\"\n[lab]\nregion = \"eu-west-1\"")
        #expect(try folder.load().settings(.init()) == nil)
    }

    @Test func whatIsMissingIsSaidInOneLine() throws {
        let folder = try Folder(config: Self.twoProfiles)
        let configuration = try folder.load()
        let path = folder.configFile.path
        #expect(
            Self.failure { _ = try configuration.settings(.init(profile: "staging")) }
                == "no profile 'staging' in \(path) (profiles: lab, prod)")
        #expect(
            Self.failure { _ = try Folder().load().settings(.init(profile: "staging")) }?.hasSuffix(
                "campaignsh/config.toml") == true)
        #expect(
            Self.failure { _ = try configuration.settings(.init(profile: "prod")) }
                == "profile 'prod' has no client secret (GENESYS_CLIENT_SECRET, client_secret_env or client_secret)")
        #expect(
            Self.failure { _ = try folder.load(["GENESYS_CLIENT_ID": ""]).settings(.init()) }
                == "the environment has no client id (GENESYS_CLIENT_ID or client_id)")
        #expect(
            Self.failure {
                _ = try folder.load(["GENESYS_CLIENT_ID": "c", "GENESYS_CLIENT_SECRET": "s"]).settings(.init())
            } == "the environment names no region (GENESYS_REGION or region)")
        #expect(
            Self.failure {
                _ = try folder.load(["GENESYS_CLIENT_ID": "c", "GENESYS_CLIENT_SECRET": "s", "GENESYS_API_BASE": "x"])
                    .settings(.init())
            } == "give both an API base and a login base, or a region")
        let badRegion = Self.failure {
            _ = try folder.load(["GENESYS_CLIENT_ID": "c", "GENESYS_CLIENT_SECRET": "s", "GENESYS_REGION": "mars-1"])
                .settings(.init())
        }
        #expect(badRegion?.contains("mars-1") == true)
        #expect(badRegion?.contains("\"s\"") == false)
    }

    @Test func aSecretInAFileOthersCanReadIsRefused() throws {
        let config = "[prod]\nregion = \"eu-west-1\"\nclient_id = \"c\"\nclient_secret = \"hunter2\"\n"
        for permissions in [0o640, 0o604, 0o660, 0o610] {
            let folder = try Folder(config: config, permissions: permissions)
            let message = Self.failure { _ = try folder.load() }
            #expect(
                message == "\(folder.configFile.path) holds a client secret but others can read it; run chmod 600 on it"
            )
        }
        let settings = try #require(
            try Folder(config: config, permissions: 0o600).load().settings(.init(profile: "prod")))
        #expect(settings.credentials.secretAppears(in: "hunter2"))
        #expect(try Folder(config: Self.twoProfiles, permissions: 0o644).load().profiles.count == 2)
    }

    @Test func anInvalidFileNamesItselfAndTheLine() throws {
        let folder = try Folder(config: "[prod]\nregion = \"eu-west-1\"\nclient_secret = hunter2\n", permissions: 0o644)
        let message = try #require(Self.failure { _ = try folder.load() })
        #expect(message == "\(folder.configFile.path):3:17: invalid value: could not determine value type")
    }

    @Test func anUnreadableConfigIsAnErrorNotAnEmptyOne() throws {
        let folder = try Folder()
        try FileManager.default.createDirectory(at: folder.configFile, withIntermediateDirectories: true)
        let message = try #require(Self.failure { _ = try folder.load() })
        #expect(message.hasPrefix("\(folder.configFile.path): "))
    }

    @Test func dotEnvFillsWhatTheEnvironmentLacks() throws {
        let folder = try Folder(
            config: Self.twoProfiles,
            dotEnv: """
                # written by hand
                export GENESYS_CLIENT_ID=dotenv-client
                GENESYS_CLIENT_SECRET="quoted secret"
                GENESYS_REGION = eu-west-1  # Ireland
                GENESYS_MIN_AGENTS='7'
                not a line
                """)
        let configuration = try folder.load(["GENESYS_REGION": "us-east-1"])
        #expect(configuration.environment["GENESYS_CLIENT_ID"] == "dotenv-client")
        #expect(configuration.environment["GENESYS_REGION"] == "us-east-1")
        let settings = try #require(try configuration.settings(.init()))
        #expect(settings.credentials.clientID == "dotenv-client")
        #expect(settings.credentials.secretAppears(in: "quoted secret"))
        #expect(settings.region == "us-east-1")
        #expect(settings.minAgents == 7)
    }

    @Test func theXDGFoldersComeFromTheEnvironmentOrHome() throws {
        let paths = ShellPaths(environment: [
            "HOME": "/home/op", "XDG_CONFIG_HOME": "/etc/op", "XDG_DATA_HOME": "", "XDG_STATE_HOME": "/var/op",
        ])
        #expect(paths.configFile == "/etc/op/campaignsh/config.toml")
        #expect(paths.auditDatabase == "/home/op/.local/share/campaignsh/audit.sqlite")
        #expect(paths.history == "/var/op/campaignsh/history")
        #expect(ShellPaths(environment: ["HOME": "/home/op"]).configFile == "/home/op/.config/campaignsh/config.toml")
    }

    @Test func dotEnvCanMoveTheConfigFolder() throws {
        let folder = try Folder()
        let elsewhere = folder.url.appending(path: "elsewhere")
        try FileManager.default.createDirectory(
            at: elsewhere.appending(path: "campaignsh"), withIntermediateDirectories: true)
        try Data("[moved]\nregion = \"eu-west-1\"".utf8).write(
            to: elsewhere.appending(path: "campaignsh/config.toml"))
        try Data("XDG_CONFIG_HOME=\(elsewhere.path)\n".utf8).write(to: folder.url.appending(path: ".env"))
        let configuration = try OrgConfiguration(environment: ["HOME": folder.url.path], workingDirectory: folder.url)
        #expect(configuration.configPath == elsewhere.path + "/campaignsh/config.toml")
        #expect(configuration.profiles.map(\.name) == ["moved"])
    }

    @Test func theWebhookComesFromTheEnvironment() throws {
        let folder = try Folder()
        #expect(try folder.load().webhook() == nil)
        let webhook = try folder.load([
            "CAMPAIGNSH_WEBHOOK_URL": "https://wfm.example.com/hook", "CAMPAIGNSH_WEBHOOK_SECRET_ENV": "HOOK_SECRET",
        ]).webhook()
        #expect(
            webhook == (try WebhookConfiguration(url: "https://wfm.example.com/hook", secretVariable: "HOOK_SECRET")))
        #expect(
            Self.failure { _ = try folder.load(["CAMPAIGNSH_WEBHOOK_URL": "http://wfm.example.com"]).webhook() }
                == "'http://wfm.example.com' must use https (plain http is for loopback addresses only)")
        #expect(
            Self.failure { _ = try folder.load(["CAMPAIGNSH_WEBHOOK_URL": "http://127.0.0.1.nip.io/hook"]).webhook() }
                == "'http://127.0.0.1.nip.io/hook' must use https (plain http is for loopback addresses only)")
        #expect(try folder.load(["CAMPAIGNSH_WEBHOOK_URL": "http://127.0.0.1:9/hook"]).webhook() != nil)
    }

    @Test func requestLimitsComeFromTheEnvironmentInRange() throws {
        let folder = try Folder()
        let defaults = try folder.load().requestLimits()
        #expect(defaults.timeout == .seconds(30) && defaults.maxResponseBytes == 8 << 20)
        let set = try folder.load(["CAMPAIGNSH_REQUEST_TIMEOUT": "5", "CAMPAIGNSH_MAX_RESPONSE_MB": "64"])
            .requestLimits()
        #expect(set.timeout == .seconds(5) && set.maxResponseBytes == 64 << 20)
        #expect(
            Self.failure { _ = try folder.load(["CAMPAIGNSH_REQUEST_TIMEOUT": "inf"]).requestLimits() }
                == "CAMPAIGNSH_REQUEST_TIMEOUT takes a whole number from 1 to 600")
    }

    @Test func aProfileNeverPrintsItsSecret() throws {
        let profile = OrgConfiguration.Profile(name: "prod", clientSecret: "hunter2")
        #expect(!"\(profile)".contains("hunter2"))
        #expect(!String(reflecting: profile).contains("hunter2"))
    }
}
