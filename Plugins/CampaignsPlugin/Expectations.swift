import ArgumentParser
import CampaignControl
import Foundation
import GenesysCloud
import ShellKit

/// The fields `expect` and `wait` can test on the current campaign.
enum CampaignField: String, CaseIterable, ExpressibleByArgument {
    case status, lifecycle, version, progress, idleAgents

    var isNumeric: Bool { self == .version || self == .progress || self == .idleAgents }
    /// Whether only the shell's commands change it (progress and idle agents move by themselves).
    var isChangedByCommands: Bool { self == .status || self == .lifecycle || self == .version }
}

/// `==`, `!=`, `<`, `<=`, `>`, `>=`, or their words `eq ne lt le gt ge` (`>` must be quoted, as in a POSIX shell).
enum Comparison: String, CaseIterable, ExpressibleByArgument {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

    init?(argument: String) {
        let words = ["eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "=": "=="]
        self.init(rawValue: words[argument] ?? argument)
    }

    func holds(_ actual: String, _ expected: String, numeric: Bool) -> Bool? {
        if numeric {
            guard let a = Double(actual), let e = Double(expected) else { return nil }
            switch self {
            case .equal: return a == e
            case .notEqual: return a != e
            case .less: return a < e
            case .lessOrEqual: return a <= e
            case .greater: return a > e
            case .greaterOrEqual: return a >= e
            }
        }
        switch self {
        case .equal: return actual == expected
        case .notEqual: return actual != expected
        default: return nil
        }
    }
}

/// A condition on the current campaign, read fresh from Genesys each time it is checked.
struct CampaignCondition {
    var field: CampaignField
    var comparison: Comparison
    var value: String

    func validate() throws {
        if !field.isNumeric, comparison != .equal, comparison != .notEqual {
            throw ValidationError("\(field.rawValue) can only be compared with == or !=")
        }
        if field.isNumeric, !(Double(value)?.isFinite ?? false) {
            throw ValidationError("\(field.rawValue) is a number; '\(value)' is not")
        }
    }

    /// The field's current value and whether the condition holds.
    func check(_ campaign: Campaign, client: GenesysClient) async throws -> (actual: String, holds: Bool) {
        let id = campaign.id ?? ""
        let actual: String
        switch field {
        case .status: actual = campaign.campaignStatus?.rawValue ?? ""
        case .version: actual = campaign.version.map(String.init) ?? ""
        case .progress: actual = try await client.progress(ofCampaign: id).percentage.map(String.init) ?? ""
        case .idleAgents: actual = try await client.stats(ofCampaign: id).idleAgents.map(String.init) ?? ""
        case .lifecycle:
            let needsProgress = campaign.campaignStatus == .off || campaign.campaignStatus == .forcedOff
            let called = needsProgress ? try await client.progress(ofCampaign: id).numberOfContactsCalled : nil
            actual = Lifecycle(campaign, contactsCalled: called).rawValue
        }
        return (actual, comparison.holds(actual, value, numeric: field.isNumeric) ?? false)
    }

    var description: String { "\(field.rawValue) \(comparison.rawValue) \(value)" }
}

/// `FIELD OP VALUE`, shared by `expect` and `wait`.
struct ConditionArguments: ParsableArguments {
    @Argument(help: "status, lifecycle, version, progress or idleAgents.") var field: CampaignField
    @Argument(help: "==, !=, <, <=, '>', '>=' (or eq ne lt le gt ge).") var comparison: Comparison
    @Argument(help: "The value to compare with.") var value: String

    var condition: CampaignCondition { CampaignCondition(field: field, comparison: comparison, value: value) }

    func validate() throws { try condition.validate() }
}

struct Expect: ShellCommand {
    static let isCheck = true
    static let configuration = CommandConfiguration(
        commandName: "expect",
        abstract: "Check a field of a campaign; fails with exit status 3 when it does not hold.",
        discussion:
            "FIELD is status, lifecycle, version, progress or idleAgents. Examples: expect status == on; "
            + "expect lifecycle == paused --campaign Q4_Renewals")
    @OptionGroup var arguments: ConditionArguments
    @Option(help: "The campaign (id or name); by default the current one.") var campaign: String?

    func run(in context: CommandContext) async throws {
        let condition = arguments.condition
        let campaign = try await context.campaign(self.campaign)
        let result = try await condition.check(campaign, client: context.client())
        guard result.holds else {
            throw ShellError.expectation(
                "expected \(condition.description) on \(campaign.name ?? "?"), but \(condition.field.rawValue) is \(result.actual)"
            )
        }
    }
}

struct Wait: ShellCommand {
    static let isCheck = true
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait until a field of a campaign holds (the current one unless --campaign); exit 3 on timeout.",
        discussion: "Example: wait status == off --timeout 5m --every 2s")
    @OptionGroup var arguments: ConditionArguments
    @Option(help: "Give up after this long (e.g. 90s, 5m; at most 30 days).") var timeout: DurationArgument
    @Option(help: "Check this often (e.g. 500ms, 2s).") var every = DurationArgument(.seconds(2))
    @Option(name: .customLong("campaign"), help: "The campaign (id or name); by default the current one.")
    var wanted: String?

    func run(in context: CommandContext) async throws {
        let condition = arguments.condition
        let client = try await context.client()
        let started = ContinuousClock.now
        var campaign = try await context.campaign(wanted)
        if client.plan != nil {
            // The plan's org changes only by the plan's lines: a wait on what they change holds now or
            // never; progress and agents change by themselves, so only apply can wait for them.
            guard condition.field.isChangedByCommands else {
                Rehearsal.current?.checkLive("wait \(condition.description)")
                return
            }
            let result = try await condition.check(campaign, client: client)
            guard result.holds else {
                throw ShellError.expectation(
                    "\(condition.description) will not hold on \(campaign.name ?? "?") after the lines before: "
                        + "\(condition.field.rawValue) is \(result.actual)")
            }
            return
        }
        let live = OutputDestination.standardError.isTerminal
        defer { if live { OutputDestination.standardError.clearLive() } }
        while true {
            let result = try await condition.check(campaign, client: client)
            if result.holds { return }
            if live {
                let seconds = (ContinuousClock.now - started).components.seconds
                OutputDestination.standardError.showLive(
                    "waiting for \(condition.description) on \(campaign.name ?? "?"): "
                        + "\(condition.field.rawValue) is \(result.actual), \(seconds) s of \(timeout.text)")
            }
            if ContinuousClock.now - started >= timeout.duration {
                throw ShellError.expectation(
                    "timed out after \(timeout.text) waiting for \(condition.description) on \(campaign.name ?? "?"); "
                        + "\(condition.field.rawValue) is \(result.actual)")
            }
            try await Task.sleep(for: min(every.duration, timeout.duration - (ContinuousClock.now - started)))
            campaign = try await client.campaign(id: campaign.id ?? "")
        }
    }
}
