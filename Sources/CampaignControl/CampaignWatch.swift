import Foundation
import GenesysCloud
import JSONDocument

/// What a watch knows of one campaign: the last read or event of each kind.
public struct WatchedCampaign: Sendable, Equatable {
    public var campaign: Campaign
    public var progress: CampaignProgress?
    public var idleAgents: Int?
    /// When its status or version last changed while watched, and how ("on → stopping").
    public var changedAt: Date?
    public var change: String?

    public var id: String { campaign.id ?? "" }
    public var lifecycle: Lifecycle { Lifecycle(campaign, contactsCalled: progress?.numberOfContactsCalled) }
}

/// Keeps what is known of some campaigns up to date: from the notification channel's events when it
/// serves (a read only after a new socket, or ``quietReadAfter`` without news, to heal a missed event),
/// else by reading them every ``pollInterval``. Used by `watch` and `wait`.
public actor CampaignWatch {
    /// What the figures are for: progress (and lifecycle, which needs it for `off`) and idle agents cost
    /// reads and topics of their own, so a watch asks only for those it shows or tests.
    public struct Figures: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let progress = Figures(rawValue: 1)
        public static let idleAgents = Figures(rawValue: 2)
    }

    public enum Source: String, Sendable { case event, read }

    /// One campaign's news: which topic told it (`campaign`, `progress`, `stats`) and how, and the
    /// change of status or version it brought, if any ("on → stopping").
    public struct Update: Sendable {
        public var campaign: WatchedCampaign
        public var topic: String
        public var source: Source
        public var change: String?
    }

    public enum Signal: Sendable {
        case update(Update)
        /// A second passed with no news: for a live clock, and a check of the channel's health.
        case tick
    }

    private let client: GenesysClient
    private let figures: Figures
    private let pollInterval: Duration
    private let quietReadAfter: Duration
    private var channel: NotificationChannel?
    private let warn: @Sendable (String) -> Void
    public private(set) var campaigns: [String: WatchedCampaign] = [:]
    /// The ids in the order they were given.
    public let order: [String]
    private var lastNews = ContinuousClock.now
    /// The figures whose topics the channel carries (all asked, unless they would pass its 1,000 topics).
    private var figuresHeard: Figures = []

    public init(
        client: GenesysClient, campaigns: [Campaign], figures: Figures, channel: NotificationChannel?,
        pollInterval: Duration = .seconds(2), quietReadAfter: Duration = .seconds(15),
        warn: @escaping @Sendable (String) -> Void
    ) {
        self.client = client
        self.figures = figures
        self.channel = client.plan == nil ? channel : nil
        self.pollInterval = pollInterval
        self.quietReadAfter = quietReadAfter
        self.warn = warn
        order = campaigns.compactMap(\.id)
        for campaign in campaigns where campaign.id != nil {
            self.campaigns[campaign.id!] = WatchedCampaign(campaign: campaign)
        }
    }

    /// Whether news comes from the channel (false once it proved unavailable: the watch polls).
    public var listening: Bool { channel != nil }

    public func channelHealth() async -> NotificationChannel.Health? { await channel?.health() }

    /// The signals from now until the stream is dropped: first an update of every campaign (the first
    /// read), then news as it comes, and a tick each second.
    public func signals() -> AsyncThrowingStream<Signal, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Signal.self)
        let running = Task {
            do {
                try await self.run(continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        self.running = running
        continuation.onTermination = { _ in running.cancel() }
        return stream
    }

    private var running: Task<Void, Never>?

    /// Ends the watch once its read in flight, if any, has been answered: a request cancelled mid-answer,
    /// or left in flight when the process exits, aborts it (NIOAsyncWriter).
    public func finish() async {
        running?.cancel()
        await running?.value
    }

    private func run(_ out: AsyncThrowingStream<Signal, any Error>.Continuation) async throws {
        // Subscribed before the first read: a change between the two is heard, not lost.
        let events = await subscribe()
        try await read(out, everything: true)
        let ticks = AsyncStream<Void> { continuation in
            let ticking = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    continuation.yield()
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in ticking.cancel() }
        }
        let inbox = AsyncStream<NotificationChannel.Event?> { continuation in
            let forwarding = Task {
                await withTaskGroup(of: Void.self) { group in
                    if let events {
                        group.addTask { for await event in events { continuation.yield(event) } }
                    }
                    group.addTask { for await _ in ticks { continuation.yield(nil) } }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in forwarding.cancel() }
        }
        var lastRead = ContinuousClock.now
        for await event in inbox {
            try Task.checkCancellation()
            switch event {
            case .campaign(let id, let document)?: heard(id, "campaign", document, out)
            case .progress(let id, let document)?: heard(id, "progress", document, out)
            case .stats(let id, let document)?: heard(id, "stats", document, out)
            case .connected(let again)?:
                // Events sent while no socket was connected are lost: read what they would have told.
                if again {
                    try await read(out, everything: true)
                    lastRead = .now
                }
            case nil:
                let quiet = channel == nil ? pollInterval : quietReadAfter
                if ContinuousClock.now - max(lastRead, lastNews) >= quiet {
                    // Polling reads the figures too, as does a channel without their topics; a quiet
                    // channel with them only heals the campaigns themselves.
                    try await read(out, everything: channel == nil || figuresHeard != figures)
                    lastRead = .now
                }
                out.yield(.tick)
            }
        }
    }

    /// The channel's topics for every campaign, in one request; nil (and one warning a session) when the
    /// channel cannot be had.
    private func subscribe() async -> AsyncStream<NotificationChannel.Event>? {
        guard let channel else { return nil }
        // "Each WebSocket connection is limited to 1,000 topics": the figures' topics go first (the
        // figures are then read with the campaigns), and beyond 1,000 campaigns polling serves them all.
        var heard = figures
        func topics() -> [String] {
            order.flatMap { id in
                ["v2.outbound.campaigns.\(id)"]
                    + (heard.contains(.progress) ? ["v2.outbound.campaigns.\(id).progress"] : [])
                    + (heard.contains(.idleAgents) ? ["v2.outbound.campaigns.\(id).stats"] : [])
            }
        }
        if topics().count > NotificationChannel.topicLimit { heard.remove(.idleAgents) }
        if topics().count > NotificationChannel.topicLimit { heard.remove(.progress) }
        guard topics().count <= NotificationChannel.topicLimit else {
            warn("notifications: \(order.count) campaigns are more than a channel's 1,000 topics; watching by polling")
            self.channel = nil
            return nil
        }
        figuresHeard = heard
        let events = await channel.events()
        do {
            try await channel.subscribe(topics())
            return events
        } catch {
            if await channel.isFirstFailureNotice() { warn("notifications: \(error); watching by polling") }
            self.channel = nil
            return nil
        }
    }

    private func heard(
        _ id: String, _ topic: String, _ document: JSONValue, _ out: AsyncThrowingStream<Signal, any Error>.Continuation
    ) {
        guard var watched = campaigns[id] else { return }
        var changed = false
        switch topic {
        case "campaign":
            guard let object = document.objectValue else { return }
            // The event carries the campaign as the topic's model has it: members it leaves out are kept.
            var updated = watched.campaign
            for (key, value) in object { updated.document[key] = value }
            changed = note(&watched, becoming: updated)
        case "progress": watched.progress = CampaignProgress(json: document)
        default: watched.idleAgents = CampaignStats(json: document).idleAgents
        }
        campaigns[id] = watched
        lastNews = .now
        let update = Update(campaign: watched, topic: topic, source: .event, change: changed ? watched.change : nil)
        out.yield(.update(update))
    }

    /// Takes `updated` in; whether its status or version changed.
    private func note(_ watched: inout WatchedCampaign, becoming updated: Campaign) -> Bool {
        let before = watched.campaign
        watched.campaign = updated
        guard before.campaignStatus != updated.campaignStatus || before.version != updated.version else { return false }
        watched.changedAt = Date()
        let from = before.campaignStatus?.rawValue ?? "?"
        let to = updated.campaignStatus?.rawValue ?? "?"
        watched.change = from == to ? "edited (v\(updated.version.map(String.init) ?? "?"))" : "\(from) → \(to)"
        return true
    }

    /// ``readAll(_:everything:)``, not cancelled once started (see ``finish()``).
    private func read(_ out: AsyncThrowingStream<Signal, any Error>.Continuation, everything: Bool) async throws {
        try Task.checkCancellation()
        try await Task { try await self.readAll(out, everything: everything) }.value
    }

    /// One listing of the campaigns and, when `everything`, their figures: the progress of all in one
    /// request and the stats of those dialing.
    private func readAll(_ out: AsyncThrowingStream<Signal, any Error>.Continuation, everything: Bool) async throws {
        var changed: Set<String> = []
        var statusChanged: Set<String> = []
        for campaign in try await client.campaigns(CampaignQuery(ids: order)) {
            guard let id = campaign.id, var watched = campaigns[id], watched.campaign != campaign else { continue }
            if note(&watched, becoming: campaign) { statusChanged.insert(id) }
            campaigns[id] = watched
            changed.insert(id)
        }
        if everything, figures.contains(.progress) {
            for progress in try await client.progress(ofCampaigns: order) {
                guard let id = progress.campaign?.id, var watched = campaigns[id], watched.progress != progress
                else { continue }
                watched.progress = progress
                campaigns[id] = watched
                changed.insert(id)
            }
        }
        // Idle agents only of those dialing: one request each; the others' come with their stats events.
        if everything, figures.contains(.idleAgents) {
            for id in order where campaigns[id]?.campaign.campaignStatus == .on {
                let idle = try await client.stats(ofCampaign: id).idleAgents
                guard var watched = campaigns[id], watched.idleAgents != idle else { continue }
                watched.idleAgents = idle
                campaigns[id] = watched
                changed.insert(id)
            }
        }
        // The first read tells of every campaign; later ones only of what changed.
        let first = !didFirstRead
        didFirstRead = true
        for waiter in firstReadWaiters { waiter.resume() }
        firstReadWaiters = []
        for id in order where first || changed.contains(id) {
            if let watched = campaigns[id] {
                let change = statusChanged.contains(id) ? watched.change : nil
                out.yield(.update(Update(campaign: watched, topic: "campaign", source: .read, change: change)))
            }
        }
    }

    private var didFirstRead = false
    private var firstReadWaiters: [CheckedContinuation<Void, Never>] = []

    /// Returns once the campaigns have been read (or at once): until then nothing is known of them.
    public func firstRead() async {
        guard !didFirstRead else { return }
        await withCheckedContinuation { firstReadWaiters.append($0) }
    }
}
