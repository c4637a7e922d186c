import Foundation
import GRDB
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension AuditStore {
    /// Intents no later row closes: mutating requests whose shell stopped before it wrote what came of them.
    public func openIntents() throws(AuditStoreError) -> [AuditRecord] {
        do {
            return try database.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(AuditTable.selectList) FROM audit AS a
                        WHERE a.request_id IS NOT NULL AND a.outcome = 'intent' AND NOT EXISTS (
                            SELECT 1 FROM audit AS b
                            WHERE b.request_id = a.request_id AND b.outcome <> 'intent')
                        ORDER BY a.seq
                        """
                ).map(AuditTable.record)
            }
        } catch {
            throw AuditStoreError("cannot read the audit database \(path): \(error)")
        }
    }

    /// The folder of the session locks of this audit file: `audit.sqlite.sessions/`.
    var sessionLockFolder: String { path + ".sessions" }

    /// Marks `session` as running for as long as this process lives (an exclusive `flock` on
    /// `SESSION.lock`, released by the kernel however the process ends). Idempotent.
    public func holdSessionLock(_ session: String) throws(AuditStoreError) {
        try sessionLocks.withLock { (held: inout [String: Int32]) throws(AuditStoreError) in
            guard held[session] == nil else { return }
            try? FileManager.default.createDirectory(
                atPath: sessionLockFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let descriptor = open(lockPath(session), O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0, flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                if descriptor >= 0 { close(descriptor) }
                throw AuditStoreError(
                    "cannot lock the session file \(lockPath(session)): \(String(cString: strerror(errno)))")
            }
            held[session] = descriptor
        }
    }

    /// Whether the shell of `session` still runs: its lock is held. A free lock's file is removed.
    public func isSessionRunning(_ session: String) -> Bool {
        if sessionLocks.withLock({ $0[session] != nil }) { return true }
        let path = lockPath(session)
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return false }  // never locked, or already found dead
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return true }
        unlink(path)
        return false
    }

    private func lockPath(_ session: String) -> String {
        // Session ids are UUIDs; anything else is kept to a safe file name.
        let safe = String(session.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "-" })
        return sessionLockFolder + "/" + safe + ".lock"
    }
}
