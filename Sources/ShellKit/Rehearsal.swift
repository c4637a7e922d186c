import Synchronization

/// What lets the shell plan a runbook before it changes anything: the world its commands change,
/// simulated. The executable registers one (it knows the org); without it, runbooks run line by line.
public struct RunbookPlanner: Sendable {
    /// From now on, changes go to a simulated copy of the world instead of the world.
    public var begin: @Sendable () async -> Void
    /// The changes simulated since the last call, one line each (the request and what it changes).
    public var takeChanges: @Sendable () async -> [String]
    /// Back to the world itself.
    public var end: @Sendable () async -> Void

    public init(
        begin: @escaping @Sendable () async -> Void, takeChanges: @escaping @Sendable () async -> [String],
        end: @escaping @Sendable () async -> Void
    ) {
        self.begin = begin
        self.takeChanges = takeChanges
        self.end = end
    }
}

/// A runbook's plan while it is made: each line's changes, and what only apply can check.
///
/// While a plan runs, commands read for real and change nothing: their output is dropped, files and
/// pipelines are not opened, nothing is recorded or audited, and nobody is asked to confirm.
public final class Rehearsal: Sendable {
    /// One line of the plan.
    public struct Step: Sendable, Equatable {
        public let location: ScriptLocation
        public let changes: [String]
        /// What this line leaves to apply (a wait on progress, time).
        public let liveChecks: [String]
    }

    /// The rehearsal the current task runs in, if any.
    @TaskLocal public static var current: Rehearsal?

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
        let changes = await planner.takeChanges()
        state.withLock { state in
            if !changes.isEmpty || !state.liveChecks.isEmpty {
                state.steps.append(Step(location: location, changes: changes, liveChecks: state.liveChecks))
            }
            state.liveChecks = []
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
