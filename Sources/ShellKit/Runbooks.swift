import Foundation
import Synchronization

/// Where a line of a runbook comes from, and the runbooks that sourced it.
public struct ScriptLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    /// Runbooks being run, outermost first, this one last.
    public var stack: [String]

    public var description: String { "\(file):\(line)" }
}

/// Lines that are kept nowhere (history, recordings) because they could carry a secret.
public enum SecretPolicy {
    static let sensitiveWords = ["secret", "password", "passwd", "token", "apikey", "api-key", "authorization"]

    /// Whether `line` may be written down; `carriesSecret` recognises known secret values.
    public static func mayKeep(_ line: String, carriesSecret: (String) -> Bool = { _ in false }) -> Bool {
        let lowered = line.lowercased()
        return !sensitiveWords.contains(where: lowered.contains) && !carriesSecret(line)
    }
}

/// What a command asks the recorder to write around it: lines before (e.g. an `expect` of the state it
/// found), the command as it should be replayed (e.g. a campaign by full name), lines after.
public final class RecordingNotes: Sendable {
    private struct Notes {
        var before: [String] = []
        var replacement: String?
        var after: [String] = []
        var confirmed = false
    }

    private let notes = Mutex(Notes())

    public init() {}

    public func before(_ lines: [String]) { notes.withLock { $0.before += lines } }
    public func replaceCommand(with text: String) { notes.withLock { $0.replacement = text } }
    public func after(_ lines: [String]) { notes.withLock { $0.after += lines } }
    /// The operator confirmed the command at a prompt: its replay must not ask (nor fail for want of `--yes`).
    public func confirmed() { notes.withLock { $0.confirmed = true } }

    func lines(for command: String) -> [String] {
        notes.withLock { notes in
            var replayed = notes.replacement ?? command
            if notes.confirmed, !replayed.split(separator: " ").contains("--yes") {
                // After the command's name: the end of the line may be a redirection.
                let name = replayed.prefix { $0 != " " }
                replayed = name + " --yes" + replayed.dropFirst(name.count)
            }
            return notes.before + [replayed] + notes.after
        }
    }
}

/// `record start FILE`: writes the commands that succeed, as a runbook.
public actor Recorder {
    public private(set) var path: String?
    public private(set) var written = 0
    private var descriptor: Int32 = -1

    public init() {}

    public func start(_ path: String, force: Bool) throws(ShellError) {
        guard self.path == nil else { throw .usage("already recording to \(self.path!)", hint: "'record stop' first") }
        try Self.check(path, force: force)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .failure("cannot write \(path): \(String(cString: strerror(errno)))") }
        self.descriptor = descriptor
        self.path = path
        written = 0
        write("# recorded by campaignsh on \(Date().formatted(Date.ISO8601FormatStyle()))")
    }

    /// Refuses to overwrite `path` unless forced.
    nonisolated static func check(_ path: String, force: Bool) throws(ShellError) {
        if !force, FileManager.default.fileExists(atPath: path) {
            throw .usage("\(path) exists", hint: "use --force to overwrite it")
        }
    }

    /// Stops recording; returns the file and how many commands it holds.
    public func stop() throws(ShellError) -> (path: String, commands: Int) {
        guard let path else { throw .usage("not recording") }
        close(descriptor)
        descriptor = -1
        self.path = nil
        return (path, written)
    }

    func record(_ lines: [String]) {
        guard path != nil else { return }
        for line in lines { write(line) }
        written += 1
    }

    private func write(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
    }
}

/// `--checkpoint FILE`: the lines of a run that completed, one `file:line` per line, synced to disk, so
/// `--resume` after a crash or Ctrl-C does not repeat a mutation.
public final class Checkpoint: Sendable {
    public let path: String
    private let completed: Mutex<Set<String>>

    public init(path: String, resume: Bool) {
        self.path = path
        let earlier = resume ? ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "") : ""
        completed = Mutex(Set(earlier.split(separator: "\n").map(String.init)))
        if !resume { try? Data().write(to: URL(fileURLWithPath: path)) }
    }

    /// Whether the `command`th command (from 0) of the line at `location` completed in an earlier run.
    func isDone(_ location: ScriptLocation, command: Int) -> Bool {
        completed.withLock { $0.contains(Self.key(location, command)) }
    }

    /// Notes, durably, that the `command`th command of the line at `location` completed.
    func markDone(_ location: ScriptLocation, command: Int) {
        let key = Self.key(location, command)
        guard completed.withLock({ $0.insert(key).inserted }) else { return }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array((key + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        fsync(descriptor)
    }

    /// `outer.cmds>inner.cmds>12#1`: the runbooks being run, the line, the command's place in it.
    static func key(_ location: ScriptLocation, _ command: Int) -> String {
        (location.stack + ["\(location.line)#\(command)"]).joined(separator: ">")
    }
}
