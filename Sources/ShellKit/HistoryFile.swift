import Foundation
import Synchronization

/// The history file: one line per entry, appended (and flushed to the OS) after every line, mode 0600.
///
/// Lines starting with a space, repeats of the previous line, and lines that could carry a secret are
/// never written (redis-cli's lesson: history files leak).
public final class HistoryFile: Sendable {
    public let path: String
    private let carriesSecret: @Sendable (String) -> Bool
    private let entries: Mutex<[String]>

    /// Opens the history at `path`; `carriesSecret` recognises lines holding a known secret value.
    public init(path: String, carriesSecret: @escaping @Sendable (String) -> Bool = { _ in false }) {
        self.path = path
        self.carriesSecret = carriesSecret
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        entries = Mutex(text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init))
    }

    /// Everything in the history, oldest first.
    public var lines: [String] { entries.withLock { $0 } }

    /// Whether `line` may be kept.
    public func accepts(_ line: String) -> Bool {
        guard !line.isEmpty, !line.hasPrefix(" "), !line.contains("\n") else { return false }
        return SecretPolicy.mayKeep(line, carriesSecret: carriesSecret)
    }

    /// Appends `line` if the policy accepts it; returns whether it was kept.
    @discardableResult
    public func append(_ line: String) -> Bool {
        guard accepts(line) else { return false }
        let isRepeat = entries.withLock { entries in
            if entries.last == line { return true }
            entries.append(line)
            return false
        }
        if isRepeat { return false }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return true }
        defer { close(descriptor) }
        fchmod(descriptor, 0o600)
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        return true
    }
}
