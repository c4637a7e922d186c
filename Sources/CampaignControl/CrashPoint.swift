import Foundation

/// Where crash tests kill the shell (`CAMPAIGNSH_CRASH_AT=before-request|after-request`): at the first
/// mutating request, just after its intent is durable, or just after the server answered and before its
/// outcome row. Unset, as in every real run, it does nothing.
enum CrashPoint: String {
    case beforeRequest = "before-request"
    case afterRequest = "after-request"

    static let chosen = ProcessInfo.processInfo.environment["CAMPAIGNSH_CRASH_AT"].flatMap(CrashPoint.init)

    /// Ends the process as `kill -9` would, if this is the point chosen.
    func reached() {
        if Self.chosen == self { kill(getpid(), SIGKILL) }
    }
}
