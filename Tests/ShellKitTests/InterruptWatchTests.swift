import Synchronization
import Testing

@testable import ShellKit

struct InterruptWatchTests {
    final class Flag: Sendable {
        let raised = Atomic(false)
        func take() -> Bool { raised.exchange(false, ordering: .relaxed) }
        var isRaised: Bool { raised.load(ordering: .relaxed) }
    }

    @Test func ctrlCCancelsTheRunningCommand() async throws {
        let flag = Flag()
        let watch = InterruptWatch(takeInterrupt: flag.take)
        // A sleep that ran out would throw nothing: the CancellationError is the proof it was cut short.
        await #expect(throws: CancellationError.self) {
            try await watch.run {
                flag.raised.store(true, ordering: .relaxed)
                try await Task.sleep(for: .seconds(30))
            }
        }
        #expect(!flag.isRaised)  // taken
    }

    /// Between commands (at the prompt) a Ctrl-C belongs to the line editor: the watch leaves it.
    @Test func ctrlCBetweenCommandsIsLeftAlone() async throws {
        let flag = Flag()
        let watch = InterruptWatch(takeInterrupt: flag.take)
        for _ in 1...100 { try await watch.run {} }
        flag.raised.store(true, ordering: .relaxed)
        try await Task.sleep(for: .milliseconds(200))
        #expect(flag.isRaised)
        // The next command that runs long enough takes it.
        await #expect(throws: CancellationError.self) {
            try await watch.run { try await Task.sleep(for: .seconds(30)) }
        }
    }

    /// `source FILE` runs commands inside a command: Ctrl-C ends the inner one and the outer one with it,
    /// and between inner commands the outer one is still watched.
    @Test func commandsRunByACommandAreWatchedAndSoIsTheirCaller() async throws {
        let flag = Flag()
        let watch = InterruptWatch(takeInterrupt: flag.take)
        // A 30 s sleep ends in CancellationError only if Ctrl-C cancelled it: no clock needed.
        await #expect(throws: CancellationError.self) {
            try await watch.run {
                do {
                    try await watch.run {
                        flag.raised.store(true, ordering: .relaxed)
                        try await Task.sleep(for: .seconds(30))
                    }
                } catch is CancellationError {}  // even if the caller carried on, it ends as interrupted
            }
        }
        await #expect(throws: CancellationError.self) {
            try await watch.run {
                try await watch.run {}  // an earlier line of the file
                flag.raised.store(true, ordering: .relaxed)
                try await Task.sleep(for: .seconds(30))  // the caller's own work after it
            }
        }
    }

    @Test func aCommandsOwnErrorComesThrough() async throws {
        struct Failure: Error {}
        let watch = InterruptWatch(takeInterrupt: { false })
        await #expect(throws: Failure.self) { try await watch.run { throw Failure() } }
    }
}
