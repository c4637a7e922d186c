import Foundation
import GenesysCloud

/// One pre-flight check of `activate` (and `capacity`), with the figure behind it.
public struct PreflightCheck: Sendable, Equatable {
    public enum Name: String, Sendable, CaseIterable {
        case errors, list, dnc, sequence, agents, lines, capacity
        /// Outside callable hours now: shown, never refusing (it turns on, and dials when they open).
        case callableHours = "callable-hours"

        /// What `--override` may name: every check that can refuse.
        public static let overridable = allCases.filter { $0 != .callableHours }
    }

    public enum State: String, Sendable {
        case pass, fail
        /// Its data could not be read: refuses activation unless `--override` names it.
        case unknown
        /// Worth knowing, never refusing.
        case warn
    }

    public var name: Name
    public var state: State
    public var figure: String

    public init(name: Name, state: State, figure: String) {
        self.name = name
        self.state = state
        self.figure = figure
    }

    /// Campaign errors are never bypassed; an `errors` member that cannot be read may be.
    public var canBeOverridden: Bool { name != .errors || state == .unknown }

    public func bypassed(by overrides: Set<Name>) -> Bool { canBeOverridden && overrides.contains(name) }
}

/// Counts the pre-flight needs, read once per run and shared by its campaigns: the org's active slots and
/// each queue's idle agents. Campaigns asking at once share the one read in flight. A count that could
/// not be read stays unknown, with why.
public actor PreflightCounts {
    private var active: Task<Result<Int, PreflightReadError>, Never>?
    /// Campaigns this run turned on since the count was read.
    private var taken = 0
    private var idle: [String: Task<Result<Int, PreflightReadError>, Never>] = [:]
    private var lists: [String: Task<Result<ContactList, PreflightReadError>, Never>] = [:]
    private var dncImports: [String: Task<Result<ImportStatus?, PreflightReadError>, Never>] = [:]
    private var sequences: Task<Result<[CampaignSequence], PreflightReadError>, Never>?
    private var callableTimeSets: [String: Task<Result<CallableTimeSet, PreflightReadError>, Never>] = [:]

    public init() {}

    /// Reads the contact lists of a run's campaigns in one listing (100 a request); a list the listing
    /// does not hold, or all of them if it fails, is read on its own when asked for.
    public func prefetchContactLists(_ ids: [String], _ client: GenesysClient) {
        let wanted = Array(Set(ids).subtracting(lists.keys))
        guard !wanted.isEmpty else { return }
        let batch = Task { try? await client.contactLists(ids: wanted) }
        for id in wanted {
            lists[id] = Task {
                if let list = await batch.value?.first(where: { $0.id == id }) { return .success(list) }
                return await PreflightReadError.reading { try await client.contactList(id: id) }
            }
        }
    }

    func contactList(_ id: String, _ client: GenesysClient) async -> Result<ContactList, PreflightReadError> {
        let read = lists[id] ?? Task { await PreflightReadError.reading { try await client.contactList(id: id) } }
        lists[id] = read
        return await read.value
    }

    func dncImportStatus(_ id: String, _ client: GenesysClient) async -> Result<ImportStatus?, PreflightReadError> {
        let read =
            dncImports[id]
            ?? Task { await PreflightReadError.reading { try await client.dncList(id: id).importStatus } }
        dncImports[id] = read
        return await read.value
    }

    func callableTimeSet(_ id: String, _ client: GenesysClient) async -> Result<CallableTimeSet, PreflightReadError> {
        let read =
            callableTimeSets[id]
            ?? Task { await PreflightReadError.reading { try await client.callableTimeSet(id: id) } }
        callableTimeSets[id] = read
        return await read.value
    }

    func sequences(_ client: GenesysClient) async -> Result<[CampaignSequence], PreflightReadError> {
        let read = sequences ?? Task { await PreflightReadError.reading { try await client.sequences() } }
        sequences = read
        return await read.value
    }

    func activeCount(_ preflight: Preflight) async -> Result<Int, PreflightReadError> {
        let read = active ?? Task { await PreflightReadError.reading { try await preflight.activeCount() } }
        active = read
        return await read.value.map { $0 + taken }
    }

    /// A campaign of this run was turned on: it takes a slot the next ones must count.
    func takeSlot() { taken += 1 }

    func idleAgents(_ queueID: String, _ preflight: Preflight) async -> Result<Int, PreflightReadError> {
        let read =
            idle[queueID]
            ?? Task { await PreflightReadError.reading { try await preflight.idleAgents(queueID: queueID) } }
        idle[queueID] = read
        return await read.value
    }
}

/// Why a figure of the pre-flight could not be read, in one line.
public struct PreflightReadError: Error, Sendable {
    public var message: String

    static func reading<Value>(_ read: () async throws -> Value) async -> Result<Value, PreflightReadError> {
        do {
            return .success(try await read())
        } catch let error as GenesysError {
            return .failure(PreflightReadError(message: error.shortDescription))
        } catch {
            return .failure(PreflightReadError(message: "\(error)"))
        }
    }
}

/// The checks before turning a campaign on (docs/ARCHITECTURE.md, "Transition pipeline").
///
/// Idle agents are counted from the queue's members with `joined=true&routingStatus=IDLE`: the
/// documented roster of who is on this queue and free (docs/genesys-api.md, "Idle agents"); the observation
/// query needs an analytics permission and its qualifier reading is community knowledge.
public struct Preflight: Sendable {
    public let client: GenesysClient
    /// Largest number of campaigns on, stopping or forced_stopping at once.
    public var activeLimit = 50

    public init(client: GenesysClient) {
        self.client = client
    }

    /// The checks, each `pass`, `fail` or `unknown`; a read that fails makes its check unknown, never the
    /// whole pre-flight fail.
    /// - Parameter dialerLines: also read what the dialer reports of its lines (`/stats`). It is shown
    ///   only: what the dialer reports for a campaign that is not running is not documented.
    public func checks(
        for campaign: Campaign, minAgents: Int, counts: PreflightCounts = PreflightCounts(), dialerLines: Bool = false
    ) async -> [PreflightCheck] {
        var checks: [PreflightCheck] = []
        if campaign.errorsAreUnreadable {
            checks.append(
                PreflightCheck(name: .errors, state: .unknown, figure: "the campaign's errors cannot be read"))
        } else {
            let errors = campaign.errors ?? []
            let invalid = campaign.campaignStatus == .invalid
            checks.append(
                PreflightCheck(
                    name: .errors, state: errors.isEmpty && !invalid ? .pass : .fail,
                    figure: errors.isEmpty
                        ? (invalid ? "status invalid" : "none") : errors.map(\.summary).joined(separator: "; ")
                )
            )
        }
        checks += await listChecks(for: campaign, counts: counts)
        if campaign.dialingMode != .agentless {
            if let queueID = campaign.queue?.id {
                switch await counts.idleAgents(queueID, self) {
                case .success(let idle):
                    checks.append(
                        PreflightCheck(
                            name: .agents, state: idle >= minAgents ? .pass : .fail,
                            figure: "\(idle) idle on-queue agents, \(minAgents) needed"
                        )
                    )
                case .failure(let error):
                    checks.append(
                        PreflightCheck(
                            name: .agents, state: .unknown, figure: "cannot count idle agents: \(error.message)"))
                }
            } else {
                checks.append(PreflightCheck(name: .agents, state: .fail, figure: "the campaign has no queue"))
            }
        }
        if campaign.dialingMode != .preview {
            // Genesys requires a line count only of agentless campaigns; others may leave it to the edge.
            let lines = campaign.outboundLineCount
            let passed = lines.map { $0 >= 1 } ?? (campaign.dialingMode != .agentless)
            var figure = lines.map { "\($0) outbound lines" } ?? "no outbound line count set"
            if dialerLines, let id = campaign.id {
                do {
                    let available = try await client.stats(ofCampaign: id).linesUtilization?.totalAvailableOutboundLines
                    if let available { figure += "; the dialer reports \(available) available" }
                } catch let error as GenesysError {
                    figure += "; the dialer's figure cannot be read: \(error.shortDescription)"
                } catch {}
            }
            checks.append(PreflightCheck(name: .lines, state: passed ? .pass : .fail, figure: figure))
        }
        switch await counts.activeCount(self) {
        case .success(let active):
            checks.append(
                PreflightCheck(
                    name: .capacity, state: active < activeLimit ? .pass : .fail,
                    figure: "\(active) of \(activeLimit) campaigns on, stopping or forced_stopping"
                )
            )
        case .failure(let error):
            checks.append(
                PreflightCheck(
                    name: .capacity, state: .unknown, figure: "cannot count active campaigns: \(error.message)"))
        }
        return checks
    }

    /// Its contact list (importing, failed, empty, expired), its DNC lists' imports, a running sequence
    /// that owns it, and its callable hours now (a warning only). Each list and the sequences are read
    /// once per run (`counts`).
    func listChecks(for campaign: Campaign, counts: PreflightCounts, now: Date = Date()) async -> [PreflightCheck] {
        var checks: [PreflightCheck] = []
        if let listID = campaign.contactList?.id {
            switch await counts.contactList(listID, client) {
            case .success(let list):
                let name = "'\(list.name ?? campaign.contactList?.name ?? listID)'"
                var problems: [String] = []
                if let status = list.importStatus, status.isInProgress {
                    problems.append("\(name) is still importing (\(status.percentComplete ?? 0) %)")
                }
                if let status = list.importStatus, status.hasFailed {
                    problems.append("\(name) failed to import: \(status.failureReason ?? "no reason given")")
                }
                if list.size == 0 { problems.append("\(name) is empty") }
                if let expired = list.dateExpiration, expired <= now {
                    problems.append("\(name) expired on \(OrgDrivers.time(expired))")
                }
                let figure =
                    problems.isEmpty
                    ? "\(name), \(list.size.map { "\($0) contacts" } ?? "size unknown")"
                    : problems.joined(separator: "; ")
                checks.append(PreflightCheck(name: .list, state: problems.isEmpty ? .pass : .fail, figure: figure))
            case .failure(let error):
                checks.append(
                    PreflightCheck(
                        name: .list, state: .unknown, figure: "cannot read the contact list: \(error.message)"))
            }
        }
        var failed: [String] = []
        var unreadable: [String] = []
        for dnc in campaign.dncLists {
            guard let id = dnc.id else { continue }
            switch await counts.dncImportStatus(id, client) {
            case .success(let status) where status?.hasFailed == true:
                failed.append("'\(dnc.name ?? id)' failed to import: \(status?.failureReason ?? "no reason given")")
            case .success: break
            case .failure(let error): unreadable.append("'\(dnc.name ?? id)': \(error.message)")
            }
        }
        if !campaign.dncLists.isEmpty {
            checks.append(
                PreflightCheck(
                    name: .dnc, state: !failed.isEmpty ? .fail : unreadable.isEmpty ? .pass : .unknown,
                    figure: !failed.isEmpty
                        ? failed.joined(separator: "; ")
                        : unreadable.isEmpty
                            ? "\(campaign.dncLists.count) DNC list\(campaign.dncLists.count == 1 ? "" : "s"), no failed import"
                            : "cannot read an import status: " + unreadable.joined(separator: "; ")))
        }
        switch await counts.sequences(client) {
        case .success(let sequences):
            let owners = OrgDrivers(sequences: sequences).runningSequences(holding: campaign.id ?? "")
            checks.append(
                PreflightCheck(
                    name: .sequence, state: owners.isEmpty ? .pass : .fail,
                    figure: owners.isEmpty
                        ? "no running sequence holds it"
                        : "owned by the running sequence "
                            + owners.map { "'\($0.name ?? $0.id ?? "?")'" }.joined(separator: ", ")
                            + ": stop the sequence instead"))
        case .failure(let error):
            checks.append(
                PreflightCheck(name: .sequence, state: .unknown, figure: "cannot read the sequences: \(error.message)"))
        }
        if let setID = campaign.callableTimeSet?.id,
            case .success(let set) = await counts.callableTimeSet(setID, client)
        {
            let (callable, next) = set.callable(at: now)
            if !callable {
                let until =
                    next.map { next in
                        " until " + OrgDrivers.time(next.start, zone: TimeZone(identifier: next.slot.timeZone) ?? .gmt)
                    } ?? " (it has no callable window)"
                checks.append(
                    PreflightCheck(
                        name: .callableHours, state: .warn,
                        figure: "outside its callable hours now: it will turn on but not dial\(until)"))
            }
        }
        return checks
    }

    public func idleAgents(queueID: String) async throws -> Int {
        try await client.queueMembers(queueID: queueID, joined: true, routingStatuses: [.idle]).count
    }

    /// Campaigns taking one of the org's active slots.
    public func activeCount() async throws -> Int {
        try await client.campaigns().filter { $0.campaignStatus?.occupiesActiveSlot == true }.count
    }
}
