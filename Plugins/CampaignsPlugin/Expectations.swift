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

    /// The field's value in what a watch knows; nil while that is not known yet.
    func actual(in watched: WatchedCampaign) -> String? {
        switch field {
        case .status: watched.campaign.campaignStatus?.rawValue
        case .version: watched.campaign.version.map(String.init)
        case .progress: watched.progress?.percentage.map(String.init)
        case .idleAgents: watched.idleAgents.map(String.init)
        case .lifecycle:
            watched.progress == nil && [.off, .forcedOff].contains(watched.campaign.campaignStatus)
                ? nil : watched.lifecycle.rawValue
        }
    }

    func holds(in watched: WatchedCampaign) -> Bool {
        actual(in: watched).map { comparison.holds($0, value, numeric: field.isNumeric) ?? false } ?? false
    }

    /// What a watch must follow to test it.
    var figures: CampaignWatch.Figures {
        switch field {
        case .progress, .lifecycle: .progress
        case .idleAgents: .idleAgents
        case .status, .version: []
        }
    }

    var description: String { "\(field.rawValue) \(comparison.rawValue) \(value)" }

    /// A wait while a plan is made: the plan's org changes only by the plan's lines, so a wait on what
    /// they change holds now or never; progress and agents change by themselves, so only apply can wait
    /// for them.
    func rehearse(on campaigns: [Campaign], client: GenesysClient) async throws {
        guard field.isChangedByCommands else {
            Rehearsal.current?.checkLive("wait \(description)")
            return
        }
        for campaign in campaigns {
            let result = try await check(campaign, client: client)
            guard result.holds else {
                throw ShellError.expectation(
                    "\(description) will not hold on \(campaign.name ?? "?") after the lines before: "
                        + "\(field.rawValue) is \(result.actual)")
            }
        }
    }
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
    @Option(help: "Without the notification channel, check this often (e.g. 500ms, 2s).") var every = DurationArgument(
        .seconds(2))
    @Option(name: .customLong("campaign"), help: "The campaign (id or name); by default the current one.")
    var wanted: String?

    func run(in context: CommandContext) async throws {
        let condition = arguments.condition
        let client = try await context.client()
        let campaign = try await context.campaign(wanted)
        if client.plan != nil { return try await condition.rehearse(on: [campaign], client: client) }
        try await CampaignWaiting(
            condition: condition, timeout: timeout, pollInterval: every.duration
        ).wait(for: [campaign], in: context)
    }
}

/// Waits until a condition holds on every campaign given, on what a ``CampaignWatch`` hears: at once on
/// the channel's events, by reading every `pollInterval` without it. Shared by `wait` and `watch`
/// (whose condition may be nil: it then lasts until the timeout, or Ctrl-C).
struct CampaignWaiting {
    var condition: CampaignCondition?
    var timeout: DurationArgument
    var pollInterval: Duration
    /// Told of each signal, for `watch`'s table or lines (false: nobody reads them any more, stop);
    /// without it, a wait shows a live line.
    var onSignal: (@Sendable (CampaignWatch.Signal, CampaignWatch) async -> Bool)? = nil

    func wait(for campaigns: [Campaign], in context: CommandContext, figures: CampaignWatch.Figures = []) async throws {
        let watch = CampaignWatch(
            client: try await context.client(), campaigns: campaigns,
            figures: figures.union(condition?.figures ?? []), channel: try await context.org.notificationChannel(),
            pollInterval: pollInterval, warn: { context.warn($0) })
        let condition = condition
        let live = onSignal == nil && OutputDestination.standardError.isTerminal
        defer { if live { OutputDestination.standardError.clearLive() } }
        let started = ContinuousClock.now
        let unmet: @Sendable ([String: WatchedCampaign]) -> [Campaign] = { known in
            guard let condition else { return campaigns }
            return campaigns.filter { !(known[$0.id ?? ""].map(condition.holds(in:)) ?? false) }
        }
        let met: Bool
        do {
            met = try await untilMet(watch, unmet: unmet, live: live, started: started)
        } catch {
            await watch.finish()  // Ctrl-C: its read in flight is answered first
            throw error
        }
        await watch.finish()
        guard !met, let condition else { return }
        let known = await watch.campaigns
        let left = unmet(known)
        let described = left.prefix(3).map { campaign in
            "on \(campaign.name ?? "?") \(condition.field.rawValue) is "
                + (known[campaign.id ?? ""].flatMap(condition.actual(in:)) ?? "not known")
        }.joined(separator: ", ")
        throw ShellError.expectation(
            "timed out after \(timeout.text) waiting for \(condition.description); "
                + described + (left.count > 3 ? " and on \(left.count - 3) more" : ""))
    }

    /// True once the condition holds on all (never without one) or nobody reads the signals any more;
    /// false when the timeout ran out first.
    private func untilMet(
        _ watch: CampaignWatch, unmet: @escaping @Sendable ([String: WatchedCampaign]) -> [Campaign], live: Bool,
        started: ContinuousClock.Instant
    ) async throws -> Bool {
        let (condition, onSignal, timeout) = (condition, onSignal, timeout)
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                // Judged on what the signals told so far, not on the watch's state, which may be ahead of
                // them: the signal that makes it hold is shown before the wait ends.
                var told: [String: WatchedCampaign] = [:]
                for try await signal in await watch.signals() {
                    if await onSignal?(signal, watch) == false { return true }
                    if case .update(let update) = signal { told[update.campaign.id] = update.campaign }
                    let left = unmet(told)
                    if left.isEmpty { return true }
                    if live, let condition, let first = left.first {
                        let seconds = (ContinuousClock.now - started).components.seconds
                        let actual = told[first.id ?? ""].flatMap(condition.actual(in:))
                        OutputDestination.standardError.showLive(
                            "waiting for \(condition.description) on \(first.name ?? "?"): "
                                + "\(condition.field.rawValue) is \(actual ?? "not known yet"), \(seconds) s of \(timeout.text)"
                        )
                    }
                }
                return false
            }
            group.addTask {
                // The timeout counts from the start, but what holds at the first read holds, however
                // long getting there took.
                try await Task.sleep(until: started + timeout.duration, clock: .continuous)
                await watch.firstRead()
                return unmet(await watch.campaigns).isEmpty
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
    }
}
