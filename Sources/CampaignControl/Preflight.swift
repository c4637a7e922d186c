import GenesysCloud

/// One pre-flight check of `activate` (and `capacity`), with the figure behind it.
public struct PreflightCheck: Sendable, Equatable {
    public enum Name: String, Sendable, CaseIterable {
        case errors, agents, lines, capacity
    }

    public enum State: String, Sendable {
        case pass, fail
        /// Its data could not be read: refuses activation unless `--override` names it.
        case unknown
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

    public init() {}

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

    static func reading(_ read: () async throws -> Int) async -> Result<Int, PreflightReadError> {
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

    public func idleAgents(queueID: String) async throws -> Int {
        try await client.queueMembers(queueID: queueID, joined: true, routingStatuses: [.idle]).count
    }

    /// Campaigns taking one of the org's active slots.
    public func activeCount() async throws -> Int {
        try await client.campaigns().filter { $0.campaignStatus?.occupiesActiveSlot == true }.count
    }
}
