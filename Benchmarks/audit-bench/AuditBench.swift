import AuditStore
import Foundation

/// Measures the audit store, and serves the tests as a second process appending to the same file.
///
///     audit-bench append PATH ROWS [BATCH]   append ROWS rows in transactions of BATCH rows (default 1)
///     audit-bench append-concurrent PATH ROWS WRITERS
///                                            WRITERS tasks append one row at a time, as a bulk run's workers do
///     audit-bench export PATH                stream every row, as `audit export --format jsonl` does
///     audit-bench verify PATH                walk the chain
///
/// Each prints one line: what it did, how long it took and the rate.
@main
enum AuditBench {
    static func main() async {
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.count >= 2, let path = arguments.dropFirst().first else { usage() }
        do {
            switch arguments.first {
            case "append":
                guard let rows = arguments.dropFirst(2).first.flatMap(Int.init) else { usage() }
                let batch = arguments.dropFirst(3).first.flatMap(Int.init) ?? 1
                try await append(path: path, rows: rows, batch: max(1, batch))
            case "append-concurrent":
                guard let rows = arguments.dropFirst(2).first.flatMap(Int.init),
                    let writers = arguments.dropFirst(3).first.flatMap(Int.init), writers > 0
                else { usage() }
                try await appendConcurrently(path: path, rows: rows, writers: writers)
            case "export":
                try export(path: path)
            case "verify":
                try verify(path: path)
            default:
                usage()
            }
        } catch {
            FileHandle.standardError.write(Data("audit-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    static func append(path: String, rows: Int, batch: Int) async throws {
        let store = try AuditStore(path: path)
        let session = UUID().uuidString
        let started = ContinuousClock.now
        var written = 0
        while written < rows {
            let count = min(batch, rows - written)
            try await store.append(contentsOf: (written..<written + count).map { entry($0, session: session) })
            written += count
        }
        report("appended \(rows) rows in batches of \(batch)", rows: rows, since: started)
    }

    /// A row like those of a bulk pause.
    static func entry(_ index: Int, session: String) -> AuditEntry {
        AuditEntry(
            actor: AuditActor(profile: "bench", clientID: "bench-client", osUser: "bench", host: "bench-host"),
            session: session, command: "pause Bulk_\(index)", campaignID: "campaign-\(index)",
            campaignName: "Bulk_\(index)",
            verb: "pause", fromStatus: "on", toStatus: "off", outcome: .success, versionBefore: 3, versionAfter: 4,
            latencyMs: 42, httpStatus: 200, correlationID: UUID().uuidString
        )
    }

    static func appendConcurrently(path: String, rows: Int, writers: Int) async throws {
        let store = try AuditStore(path: path)
        let session = UUID().uuidString
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    for index in stride(from: writer, to: rows, by: writers) {
                        try await store.append(entry(index, session: session))
                    }
                }
            }
            try await group.waitForAll()
        }
        report("appended \(rows) rows, one at a time from \(writers) writers", rows: rows, since: started)
    }

    static func export(path: String) throws {
        let store = try AuditStore(path: path)
        let started = ContinuousClock.now
        var count = 0
        var bytes = 0
        try store.forEach { record in
            bytes += record.hash.utf8.count + record.entry.command.utf8.count
            count += 1
        }
        report("read \(count) rows (\(bytes) bytes of hash and command)", rows: count, since: started)
    }

    static func verify(path: String) throws {
        let store = try AuditStore(path: path)
        let started = ContinuousClock.now
        let result = try store.verify()
        guard case .intact(let rows, _) = result else {
            print("chain broken: \(result)")
            exit(1)
        }
        report("verified \(rows) rows", rows: rows, since: started)
    }

    static func report(_ what: String, rows: Int, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("\(what): \(String(format: "%.3f", seconds)) s, \(Int(Double(rows) / max(seconds, 1e-9))) rows/s")
    }

    static func usage() -> Never {
        FileHandle.standardError.write(
            Data(
                """
                usage: audit-bench append PATH ROWS [BATCH]
                       audit-bench append-concurrent PATH ROWS WRITERS
                       audit-bench export PATH
                       audit-bench verify PATH

                """.utf8))
        exit(2)
    }
}
