import ArgumentParser
import AuditStore
import CampaignControl
import Foundation
import GenesysCloud
import ShellConfiguration
import ShellKit

/// login, logout, whoami, profile: the connection to Genesys Cloud.
public enum SessionPlugin: ShellPlugin {
    public static let name = "Session"
    public static let commands: [any ShellCommand.Type] = [Login.self, Logout.self, WhoAmI.self, Profile.self]

    public static func completions(words: [String], partial: String, components: ShellComponents) -> [String] {
        guard words == ["profile", "use"], let configuration = components.get(OrgConfiguration.self) else { return [] }
        return configuration.profiles.map(\.name)
    }
}

struct Login: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Get a token with the configured OAuth client (checks the credentials).",
        discussion: "Example: login")

    func run(in context: CommandContext) async throws {
        let org = try context.components.require(OrgSession.self)
        let token = try await org.login()
        if context.isInteractive { await org.refreshNames() }
        let settings = await org.settings
        context.emit(
            .text(
                "logged in as client \(settings?.credentials.clientID ?? "?"); token valid until \(WhoAmI.format(token.expiresAt))"
            ))
    }
}

struct Logout: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout", abstract: "Forget the token.", discussion: "Example: logout")

    func run(in context: CommandContext) async throws {
        try await context.components.require(OrgSession.self).logout()
        context.emit(.text("logged out"))
    }
}

struct WhoAmI: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami", abstract: "Show the org connection: profile, region, client, token expiry, API base.",
        discussion: "Example: whoami --format json")

    func run(in context: CommandContext) async throws {
        let org = try context.components.require(OrgSession.self)
        guard let settings = await org.settings else { throw OrgSessionError.notConfigured }
        let token: AccessToken? =
            if let client = try? await org.connectedClient() { await client.tokens.current } else { nil }
        let current = await org.current
        context.emit(
            .record([
                ("profile", Cell(settings.profile)),
                ("region", Cell(settings.region)),
                ("client id", .text(settings.credentials.clientID)),
                ("token expires", token.map { .text(Self.format($0.expiresAt)) } ?? .text("no token yet")),
                ("api base", .text(settings.environment.apiBase.absoluteString)),
                ("login base", .text(settings.environment.loginBase.absoluteString)),
                ("campaign", Cell(current.map { "\($0.name) (\($0.id))" })),
                ("audit file", Cell(context.components.get(AuditLog.self)?.path)),
            ])
        )
    }

    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .current))
    }
}

struct Profile: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile", abstract: "List the profiles of config.toml, or switch to one.",
        discussion: "Example: profile list; profile use prod",
        subcommands: [List.self, Use.self])

    func run(in context: CommandContext) async throws {
        try await List().run(in: context)
    }

    struct List: ShellCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the profiles.", discussion: "Example: profile list")

        func run(in context: CommandContext) async throws {
            let configuration = try context.components.require(OrgConfiguration.self)
            let active = try await context.components.require(OrgSession.self).settings?.profile
            context.emit(
                .table(
                    Table(
                        columns: ["profile", "region", Column("clientId", title: "client id"), "active"],
                        rows: configuration.profiles.map { profile in
                            [
                                .text(profile.name), Cell(profile.region ?? profile.apiBase), Cell(profile.clientID),
                                .bool(profile.name == active),
                            ]
                        }
                    )
                )
            )
        }
    }

    struct Use: ShellCommand {
        static let configuration = CommandConfiguration(
            commandName: "use", abstract: "Switch to a profile.", discussion: "Example: profile use prod")
        @Argument(help: "The profile's name.") var name: String

        func run(in context: CommandContext) async throws {
            let configuration = try context.components.require(OrgConfiguration.self)
            guard let settings = try configuration.settings(.init(profile: name)) else {
                throw OrgSessionError.notConfigured
            }
            let org = try context.components.require(OrgSession.self)
            await org.switchTo(settings)
            if context.isInteractive { await org.refreshNames() }
            context.emit(.text("using profile \(name)"))
        }
    }
}
