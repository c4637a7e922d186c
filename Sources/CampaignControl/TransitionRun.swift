import GenesysCloud
import JSONDocument
import Synchronization

/// Time as the engine sees it: real time, or a test's clock that never sleeps.
public struct EngineClock: Sendable {
    public var now: @Sendable () -> ContinuousClock.Instant
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(
        now: @escaping @Sendable () -> ContinuousClock.Instant,
        sleep: @escaping @Sendable (Duration) async throws -> Void
    ) {
        self.now = now
        self.sleep = sleep
    }

    public static let continuous = EngineClock(now: { .now }, sleep: { try await Task.sleep(for: $0) })

    /// A clock whose sleeps return at once, moving its time on by what was asked: waits and timeouts run
    /// through their logic without waiting in real time.
    public static func immediate() -> EngineClock {
        let offset = Mutex(Duration.zero)
        let start = ContinuousClock.now
        return EngineClock(
            now: { start + offset.withLock { $0 } },
            sleep: { duration in
                offset.withLock { $0 += duration }
                await Task.yield()
                try Task.checkCancellation()
            }
        )
    }
}

/// What the transitions of one run share: the pre-flight's counts, the budget of requests in flight,
/// and the one waiter that polls every campaign still stopping.
public struct TransitionRun: Sendable {
    let counts: PreflightCounts
    let slots: RequestSlots
    let waiter: StatusWaiter

    public init(
        client: GenesysClient, options: TransitionOptions, parallel: Int = 4, rateLimit: RateLimitMonitor? = nil
    ) {
        counts = PreflightCounts()
        slots = RequestSlots(parallel: parallel, rateLimit: rateLimit, clock: options.clock)
        waiter = StatusWaiter(client: client, options: options)
    }
}

/// At most `parallel` requests of a run in flight, and none while the token's window is nearly spent
/// (a few requests are kept in reserve for the others). Waits hold no slot.
actor RequestSlots {
    private let parallel: Int
    private let rateLimit: RateLimitMonitor?
    private let clock: EngineClock
    private var inFlight = 0
    private var queued: [CheckedContinuation<Void, Never>] = []

    init(parallel: Int, rateLimit: RateLimitMonitor?, clock: EngineClock) {
        self.parallel = max(1, parallel)
        self.rateLimit = rateLimit
        self.clock = clock
    }

    func run<Answer: Sendable>(_ request: @Sendable () async throws -> Answer) async throws -> Answer {
        if inFlight >= parallel { await withCheckedContinuation { queued.append($0) } } else { inFlight += 1 }
        defer { releaseSlot() }
        if let delay = rateLimit?.delayBeforeNextRequest(reserve: parallel * 2), delay > .zero {
            try await clock.sleep(delay)
        }
        return try await request()
    }

    /// Hands the slot to the next request waiting, or frees it.
    private func releaseSlot() {
        if queued.isEmpty { inFlight -= 1 } else { queued.removeFirst().resume() }
    }
}

/// Waits for campaigns to stop dialing, for all the transitions of a run at once: each poll is one list
/// request for every campaign still waited for (100 ids a page), never one request per campaign.
public actor StatusWaiter {
    /// How a wait ended: the campaign's last status, and whether the timeout ran out first.
    public struct Outcome: Sendable, Equatable {
        public var status: CampaignStatus?
        public var timedOut: Bool
        /// Why the status could not be read at the end, when the last polls failed.
        public var readError: String? = nil
    }

    /// What a wait is for: a stop to end (off, forced off, complete or invalid), or a start to take
    /// effect (anything but off: `on`, or what the dialer made of it instead).
    public enum Goal: Sendable {
        case notDialing, started

        func isReached(_ status: CampaignStatus?) -> Bool {
            guard let status else { return false }
            switch self {
            case .notDialing: return status.isSettledOff
            case .started: return status != .off
            }
        }
    }

    private struct Waiting {
        var goal: Goal
        var token: Int
        var deadline: ContinuousClock.Instant
        var continuation: CheckedContinuation<Outcome, any Error>
    }

    private let client: GenesysClient
    private let options: TransitionOptions
    private var waiting: [String: [Waiting]] = [:]
    private var lastStatus: [String: CampaignStatus] = [:]
    /// Names from the polls, for the progress line.
    private var names: [String: String] = [:]
    private var started: ContinuousClock.Instant?
    private var polling = false
    private var nextToken = 0
    /// When the last campaign started waiting: polls wait a whole interval after it, so the stops of a bulk
    /// run all land before the first poll (one poll for all of them, not one per stop).
    private var lastArrival: ContinuousClock.Instant?
    private var lastPoll: ContinuousClock.Instant?
    /// The last poll's failure (after the client's own retries), until a poll succeeds again.
    private var pollError: (any Error)?
    /// The notification channel while it serves: events settle waits, reads only heal what was missed.
    private var channel: NotificationChannel?
    private var listening: Task<Void, Never>?
    private var subscribed: Set<String> = []
    /// The campaigns whose status an event told.
    private var toldByChannel: Set<String> = []

    init(client: GenesysClient, options: TransitionOptions) {
        self.client = client
        self.options = options
        self.channel = client.plan == nil ? options.notifications : nil
    }

    /// Subscribes to the campaigns a run is about to stop, in one request, before their stops are sent:
    /// no change of theirs is missed.
    public func expect(_ ids: [String]) async {
        await subscribe(ids)
    }

    private func subscribe(_ ids: [String]) async {
        guard let channel else { return }
        let new = ids.filter { !subscribed.contains($0) }
        guard !new.isEmpty else { return }
        subscribed.formUnion(new)
        if listening == nil {
            let events = await channel.events()
            listening = Task { [weak self] in
                // Ends with the run's waiter: a session's channel outlives many runs.
                for await event in events {
                    guard let self else { return }
                    await self.heard(event)
                }
            }
        }
        do {
            try await channel.subscribe(new.map { "v2.outbound.campaigns.\($0)" })
        } catch {
            // Said once a session; from now on this run polls.
            if await channel.isFirstFailureNotice() { options.warn?("notifications: \(error); waiting by polling") }
            self.channel = nil
            listening?.cancel()
            listening = nil
        }
    }

    /// An event from the channel: a campaign's new status settles its waits at once; a new socket may
    /// have missed events, so the campaigns still waited for are read again.
    private func heard(_ event: NotificationChannel.Event) async {
        switch event {
        case .campaign(let id, let document):
            guard waiting[id] != nil || subscribed.contains(id) else { return }
            if let status = document["campaignStatus"]?.stringValue.flatMap(CampaignStatus.init(rawValue:)) {
                lastStatus[id] = status
                toldByChannel.insert(id)
            }
            if let name = document["name"]?.stringValue { names[id] = name }
            lastEvent = options.clock.now()
            report()
            settle(at: options.clock.now())
        case .connected(let again):
            // The first socket was connected before anything was subscribed: only a later one can have
            // missed events.
            guard again, !waiting.isEmpty else { return }
            await readWaited()
            settle(at: options.clock.now())
        case .progress, .stats: break
        }
    }

    private var lastEvent: ContinuousClock.Instant?

    /// Returns once the campaign is off, forced off, complete or invalid, or when the run's timeout is spent.
    public func untilNotDialing(_ id: String, lastKnown: CampaignStatus?) async throws -> Outcome {
        try await until(.notDialing, id, lastKnown: lastKnown)
    }

    /// Returns once the campaign has reached `goal`, or when the run's timeout is spent.
    public func until(_ goal: Goal, _ id: String, lastKnown: CampaignStatus?) async throws -> Outcome {
        if goal.isReached(lastKnown) { return Outcome(status: lastKnown, timedOut: false) }
        // A plan's own stops end off at once; a stop it did not make it cannot watch (polling the live org
        // in simulated time would spin): it assumes the stop ends, and apply waits for it.
        if goal == .notDialing, let plan = client.plan as? PlannedOrg, let status = await plan.settleStopping(id: id) {
            return Outcome(status: status, timedOut: !status.isSettledOff)
        }
        if let lastKnown { lastStatus[id] = lastKnown }
        await subscribe([id])
        let deadline = options.clock.now() + options.timeout
        started = started ?? options.clock.now()
        lastArrival = options.clock.now()
        nextToken += 1
        let token = nextToken
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard !Task.isCancelled else { return continuation.resume(throwing: CancellationError()) }
                // An event may have told of the end while the channel was being subscribed.
                if let status = lastStatus[id], goal.isReached(status) {
                    return continuation.resume(returning: Outcome(status: status, timedOut: false))
                }
                waiting[id, default: []].append(
                    Waiting(goal: goal, token: token, deadline: deadline, continuation: continuation))
                if !polling {
                    polling = true
                    Task { await poll() }
                }
            }
        } onCancel: {
            Task { await self.cancel(id, token) }
        }
    }

    /// Ctrl-C: the caller stops waiting; the campaign goes on stopping.
    private func cancel(_ id: String, _ token: Int) {
        guard let entries = waiting[id] else { return }
        for entry in entries where entry.token == token { entry.continuation.resume(throwing: CancellationError()) }
        let left = entries.filter { $0.token != token }
        waiting[id] = left.isEmpty ? nil : left
    }

    private func poll() async {
        defer { polling = false }
        while !waiting.isEmpty {
            do {
                // A whole interval after the last poll, arrival or event, or at the next deadline. With the
                // channel the interval is long: events settle the waits, a read only heals a missed one.
                while true {
                    let now = options.clock.now()
                    let nextDeadline = waiting.values.joined().map(\.deadline).min() ?? now
                    let since = [lastArrival, lastPoll, lastEvent].compactMap { $0 }.max() ?? now
                    let interval = channel == nil ? options.pollInterval : options.quietReadAfter
                    let wake = min(since + interval, nextDeadline)
                    guard wake > now, !waiting.isEmpty else { break }
                    try await options.clock.sleep(min(wake - now, options.pollInterval))
                    // On the channel the reads are rare: the live line still counts the seconds.
                    if channel != nil { report() }
                }
            } catch {
                // Cancelled while sleeping.
                for (_, entries) in waiting { for entry in entries { entry.continuation.resume(throwing: error) } }
                waiting = [:]
                return
            }
            guard !waiting.isEmpty else { return }
            let now = options.clock.now()
            if waiting.values.joined().contains(where: { now >= $0.deadline })
                || ([lastArrival, lastPoll, lastEvent].compactMap { $0 }.max().map {
                    now - $0 >= (channel == nil ? options.pollInterval : options.quietReadAfter)
                } ?? true)
            {
                await readWaited()
            }
            report()
            settle(at: options.clock.now())
        }
    }

    /// One listing of every campaign still waited for.
    private func readWaited() async {
        lastPoll = options.clock.now()
        do {
            for campaign in try await client.campaigns(CampaignQuery(ids: Array(waiting.keys))) {
                if let id = campaign.id, let status = campaign.campaignStatus { lastStatus[id] = status }
                if let id = campaign.id, let name = campaign.name { names[id] = name }
            }
            pollError = nil
        } catch {
            // A burst of 503s outlasting the client's retries: the stops were sent, so wait on and poll
            // again; only the deadline ends the wait, saying why the status is unknown.
            pollError = error
        }
    }

    /// Ends the waits whose campaign has settled or whose deadline has passed.
    private func settle(at checked: ContinuousClock.Instant) {
        for (id, entries) in waiting {
            let status = lastStatus[id]
            var left: [Waiting] = []
            for entry in entries {
                let reached = entry.goal.isReached(status)
                guard reached || checked >= entry.deadline else {
                    left.append(entry)
                    continue
                }
                // A failed read leaves the status unknown only when the channel has not told it.
                let readError = reached || toldByChannel.contains(id) ? nil : pollError.map { "\($0)" }
                entry.continuation.resume(returning: Outcome(status: status, timedOut: !reached, readError: readError))
            }
            waiting[id] = left.isEmpty ? nil : left
        }
    }

    /// The progress line: how many campaigns are still waited for, in which statuses.
    private func report() {
        // Nobody left waiting (a Ctrl-C took the last one): nothing to show, the command has ended.
        guard let progress = options.progress, let started, !waiting.isEmpty else { return }
        let seconds = (options.clock.now() - started).components.seconds
        var byStatus: [String: Int] = [:]
        for id in waiting.keys { byStatus[lastStatus[id]?.rawValue ?? "?", default: 0] += 1 }
        let counts = byStatus.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        // The slowest: those still on their way (all started together), by name.
        let starting = waiting.values.joined().first?.goal == .started
        let slowest = waiting.filter { id, entries in !entries.allSatisfy { $0.goal.isReached(lastStatus[id]) } }
            .keys.map { names[$0] ?? $0 }.sorted()
        let named =
            slowest.isEmpty
            ? ""
            : (starting ? "; still off: " : "; still stopping: ") + slowest.prefix(3).joined(separator: ", ")
                + (slowest.count > 3 ? " and \(slowest.count - 3) more" : "")
        progress("waiting for \(waiting.count) to \(starting ? "start" : "stop"): \(counts), \(seconds) s\(named)")
    }
}
