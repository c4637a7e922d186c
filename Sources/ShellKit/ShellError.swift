/// An error a command reports to the operator: one line, and the exit status it stands for.
public struct ShellError: Error, Equatable, CustomStringConvertible {
    public let message: String
    /// A second line telling what to do about it, if any.
    public let hint: String?
    public let status: ExitStatus
    /// Already reported where it happened (a sourced runbook's own line): only the status travels on.
    let reported: Bool

    public init(_ message: String, hint: String? = nil, status: ExitStatus) {
        self.init(message, hint: hint, status: status, reported: false)
    }

    init(_ message: String, hint: String? = nil, status: ExitStatus, reported: Bool) {
        self.message = message
        self.hint = hint
        self.status = status
        self.reported = reported
    }

    public var description: String { message }

    /// The command could not do its work (exit 1).
    public static func failure(_ message: String, hint: String? = nil) -> ShellError {
        ShellError(message, hint: hint, status: .failure)
    }

    /// Bad input, configuration or authentication (exit 2).
    public static func usage(_ message: String, hint: String? = nil) -> ShellError {
        ShellError(message, hint: hint, status: .usage)
    }

    /// An `expect` did not hold or a `wait` timed out (exit 3).
    public static func expectation(_ message: String) -> ShellError {
        ShellError(message, status: .expectationFailed)
    }
}

/// The exit statuses of the shell contract.
public struct ExitStatus: RawRepresentable, Hashable, Sendable, Comparable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let success = ExitStatus(rawValue: 0)
    public static let failure = ExitStatus(rawValue: 1)
    public static let usage = ExitStatus(rawValue: 2)
    public static let expectationFailed = ExitStatus(rawValue: 3)
    public static let interrupted = ExitStatus(rawValue: 130)

    public static func < (lhs: ExitStatus, rhs: ExitStatus) -> Bool { lhs.rawValue < rhs.rawValue }
}
