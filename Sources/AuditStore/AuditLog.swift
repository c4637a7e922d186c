import Synchronization

/// The shell's audit database, opened on first use so commands that never touch it start fast.
public final class AuditLog: Sendable {
    public let path: String
    private let opened = Mutex<AuditStore?>(nil)

    public init(path: String) {
        self.path = path
    }

    /// Opened once, under the lock: two pools opening a new file at once would trip over each other.
    public func store() throws(AuditStoreError) -> AuditStore {
        try opened.withLock { (current: inout AuditStore?) throws(AuditStoreError) -> AuditStore in
            if let current { return current }
            let store = try AuditStore(path: path)
            current = store
            return store
        }
    }
}
