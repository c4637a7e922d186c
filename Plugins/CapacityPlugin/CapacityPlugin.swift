import ArgumentParser
import CampaignControl
import GenesysCloud
import ShellKit

/// capacity: the pre-flight checks of `activate`, on their own.
public enum CapacityPlugin: ShellPlugin {
    public static let name = "Capacity"
    public static let commands: [any ShellCommand.Type] = [Capacity.self]

    public static func completions(words: [String], partial: String, components: ShellComponents) -> [String] {
        guard words == ["capacity"], let org = components.get(OrgSession.self) else { return [] }
        return org.names.all.map(\.name)
    }
}

struct Capacity: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "capacity",
        abstract:
            "Check whether a campaign could be turned on: errors, idle agents, lines, the org's limit of 50 active.",
        discussion: "Example: capacity Q4_Renewals --min-agents 5")
    @Argument(help: "The campaign's id or name (default: the current campaign).") var campaign: String?
    @Option(
        name: .customLong("min-agents"),
        help: "Idle on-queue agents required (default: the profile's min_agents, else 1).")
    var minAgents: Int?

    func run(in context: CommandContext) async throws {
        let org = try context.components.require(OrgSession.self)
        let client = try await org.connectedClient()
        let found: Campaign
        if let campaign {
            found = try await CampaignResolver(client: client).resolve(campaign)
        } else if let current = await org.current {
            found = try await client.campaign(id: current.id)
        } else {
            throw ShellError.usage("no campaign selected", hint: "name one, or pick one with 'use NAME'")
        }
        let profileMinimum = await org.settings?.minAgents
        let required = minAgents ?? profileMinimum ?? 1
        let checks = await Preflight(client: client).checks(for: found, minAgents: required, dialerLines: true)
        context.emit(
            .table(
                Table(
                    columns: ["check", "result", "figure"],
                    rows: checks.map { [.text($0.name.rawValue), .text($0.state.rawValue), .text($0.figure)] }
                )))
        let open = checks.filter { $0.state != .pass }.map { "\($0.name.rawValue) (\($0.state.rawValue))" }
        if !open.isEmpty {
            throw ShellError.failure("\(found.name ?? "the campaign") would not pass: \(open.joined(separator: ", "))")
        }
    }
}
