import Synchronization

/// The shell's audit database, opened on first use so commands that never touch it start fast.
public final class AuditLog: Sendable {
    public let path: String
    private let opened = Mutex<AuditStore?>(nil)

    public init(path: String) {
        self.path = path
    }

    public func store() throws(AuditStoreError) -> AuditStore {
        if let store = opened.withLock({ $0 }) { return store }
        let store = try AuditStore(path: path)
        return opened.withLock { current in
            if let current { return current }
            current = store
            return store
        }
    }
}
