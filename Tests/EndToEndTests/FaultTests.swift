import Foundation
import GenesysEmulator
import GenesysTestSupport
import NIOHTTP1
import Testing

/// Faults in the middle of a bulk change: the run ends with its summary and a truthful status.
@Suite struct FaultTests {
    /// Starts `pause --all --status on` and, once every stop is sent, makes the next `failures` API
    /// requests answer 503 (the waiter's polls).
    static func pauseWithFailingPolls(failures: Int, timeout: String) async throws -> (ShellProcess.Result, Int) {
        var configuration = EmulatorConfiguration()
        configuration.stoppingDelay = .milliseconds(1500)
        return try await GenesysEmulator.withRunning(configuration) { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let on = try await ShellProcess.run(["-c", "campaigns --status on --format csv --no-headers"], home: home)
            let count = on.stdout.split(whereSeparator: \.isNewline).count  // csv lines end in CRLF
            #expect(on.status == 0 && count >= 3, "\(on.stdout)\n\(on.stderr)")
            async let run = ShellProcess.run(
                ["-c", "pause --all --status on --yes --timeout \(timeout)"], home: home)
            while await emulator.requests().filter({ $0.method == "POST" && $0.path.hasSuffix("/stop") }).count < count
            {
                try await Task.sleep(for: .milliseconds(20))
            }
            _ = try await RawHTTP.send(
                .POST, emulator.baseURL + "/emulator/v1/faults",
                body: #"{"status":503,"count":\#(failures),"path":"/api/v2/outbound/campaigns"}"#)
            return (try await run, count)
        }
    }

    /// A burst of 503s longer than one poll's retries is ridden out: the campaigns stop, all are reported.
    @Test func aBurstOf503sDuringTheWaitIsRiddenOut() async throws {
        let (result, count) = try await Self.pauseWithFailingPolls(failures: 7, timeout: "60s")
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.components(separatedBy: "\tsuccess").count - 1 == count, "\(result.stdout)")
    }

    /// Polls that fail until the timeout: the summary still lists every campaign, and the run fails (1).
    @Test func pollsFailingToTheEndStillEndWithTheSummary() async throws {
        let (result, count) = try await Self.pauseWithFailingPolls(failures: 10_000, timeout: "3s")
        #expect(result.status == 1, "stderr: \(result.stderr)\nstdout: \(result.stdout)")
        #expect(
            result.stdout.components(separatedBy: "its status could not be read").count - 1 == count,
            "\(result.stdout)")
    }
}
