import Synchronization

/// What lets the shell plan a runbook before it changes anything: the world its commands change,
/// simulated. The executable registers one (it knows the org); without it, runbooks run line by line.
public struct RunbookPlanner: Sendable {
    /// From now on, changes go to a simulated copy of the world instead of the world.
    public var begin: @Sendable () async -> Void
    /// The changes simulated since the last call, with a check of the state they assumed.
    public var takeChanges: @Sendable () async -> PlannedChanges
    /// Back to the world itself.
    public var end: @Sendable () async -> Void

    public init(
        begin: @escaping @Sendable () async -> Void, takeChanges: @escaping @Sendable () async -> PlannedChanges,
        end: @escaping @Sendable () async -> Void
    ) {
        self.begin = begin
        self.takeChanges = takeChanges
        self.end = end
    }
}

/// What one line of a plan changes, one line each (the request and its effect), and how apply tells that
/// the world is still the one the plan assumed when it comes to that line.
public struct PlannedChanges: Sendable {
    public var changes: [String]
    /// What differs now from what the plan assumed before these changes, or nil when nothing does.
    public var drift: (@Sendable () async throws -> String?)?

    public init(changes: [String] = [], drift: (@Sendable () async throws -> String?)? = nil) {
        self.changes = changes
        self.drift = drift
    }
}

/// A runbook's plan while it is made: each line's changes, and what only apply can check.
///
/// While a plan runs, commands read for real and change nothing: their output is dropped, files and
/// pipelines are not opened, nothing is recorded or audited, and nobody is asked to confirm.
public final class Rehearsal: Sendable {
    /// One line of the plan.
    public struct Step: Sendable {
        public let location: ScriptLocation
        public let changes: [String]
        /// What this line leaves to apply (a wait on progress, time).
        public let liveChecks: [String]
        let drift: (@Sendable () async throws -> String?)?
    }

    /// The rehearsal the current task runs in, if any.
    @TaskLocal public static var current: Rehearsal?
    /// The plan the current task applies, if any.
    @TaskLocal static var applied: Rehearsal?

    let planner: RunbookPlanner
    private let state = Mutex<(steps: [Step], liveChecks: [String])>(([], []))

    init(planner: RunbookPlanner) {
        self.planner = planner
    }

    /// Notes that the line running now can only be checked when it is applied.
    public func checkLive(_ what: String) {
        state.withLock { $0.liveChecks.append(what) }
    }

    /// Ends the line at `location`: what it planned is its step.
    func finishLine(at location: ScriptLocation) async {
        let planned = await planner.takeChanges()
        state.withLock { state in
            if !planned.changes.isEmpty || !state.liveChecks.isEmpty {
                state.steps.append(
                    Step(
                        location: location, changes: planned.changes, liveChecks: state.liveChecks,
                        drift: planned.drift))
            }
            state.liveChecks = []
        }
    }

    /// Before the line at `location` is applied: what differs from what the plan assumed there, if anything.
    func drift(at location: ScriptLocation) async -> String? {
        guard let check = steps.first(where: { $0.location == location })?.drift else { return nil }
        do {
            return try await check()
        } catch {
            return "cannot read what the plan assumed: \(error)"
        }
    }

    var steps: [Step] { state.withLock { $0.steps } }

    /// The plan as `--dry-run` prints it: a line per change and per check left for apply.
    func render() -> String {
        let steps = self.steps
        guard !steps.isEmpty else { return "plan: no change\n" }
        var lines: [String] = []
        for step in steps {
            lines += step.changes.map { "\(step.location)  \($0)" }
            lines += step.liveChecks.map { "\(step.location)  checked live when applied: \($0)" }
        }
        let changes = steps.map(\.changes.count).reduce(0, +)
        return "plan: \(changes) change\(changes == 1 ? "" : "s")\n" + lines.map { "  " + $0 + "\n" }.joined()
    }
}
