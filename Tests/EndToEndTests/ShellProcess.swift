import Foundation
import GenesysTestSupport
import Synchronization

/// `campaignsh` run as a user runs it: with piped standard streams, or on a pseudo-terminal.
struct ShellProcess {
    /// A temporary home for one test: XDG folders, no inherited profiles or history.
    final class Home: Sendable {
        let url: URL
        /// Variables added to the environment the shell starts with.
        let extraEnvironment: [String: String]

        init(environment extraEnvironment: [String: String] = [:]) throws {
            self.extraEnvironment = extraEnvironment
            url = FileManager.default.temporaryDirectory.appending(path: "campaignsh-e2e-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }

        var environment: [String: String] {
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GENESYS_") }
            environment["HOME"] = url.path
            environment["XDG_STATE_HOME"] = url.appending(path: "state").path
            environment["XDG_CONFIG_HOME"] = url.appending(path: "config").path
            environment["XDG_DATA_HOME"] = url.appending(path: "data").path
            environment["NO_COLOR"] = "1"
            environment["TERM"] = "xterm"
            return environment.merging(extraEnvironment) { $1 }
        }

        var historyFile: URL { url.appending(path: "state/campaignsh/history") }

        /// A `.env` naming an org on `baseURL` (an emulator serves the API and login on one port).
        func writeDotEnv(baseURL: String, secret: String = "sandbox-secret") throws {
            try """
            GENESYS_CLIENT_ID=campaignsh-sandbox
            GENESYS_CLIENT_SECRET="\(secret)"
            export GENESYS_API_BASE=\(baseURL)
            GENESYS_LOGIN_BASE=\(baseURL)  # the same server
            """.write(to: url.appending(path: ".env"), atomically: true, encoding: .utf8)
            chmod(url.appending(path: ".env").path, 0o600)  // it holds a secret: the shell warns otherwise
        }

        deinit { try? FileManager.default.removeItem(at: url) }
    }

    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `campaignsh arguments` with `input` on a pipe, in `home`, to the end. The waiting happens on a
    /// thread of its own: blocking the test's few cooperative threads would starve an emulator in this process.
    /// - Parameter wrapper: a command to run the shell under, e.g. `/usr/bin/time`.
    static func run(_ arguments: [String], input: String = "", home: Home? = nil, wrapper: [String] = []) async throws
        -> Result
    {
        let home = try home ?? Home()
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Swift.Result { try runBlocking(arguments, input: input, home: home, wrapper: wrapper) })
            }.start()
        }
    }

    /// Starts the shell without waiting for it (output discarded), for a test that kills it; `environment`
    /// is added to the home's.
    static func start(_ arguments: [String], home: Home, environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltProduct.path("campaignsh"))
        process.arguments = arguments
        process.environment = home.environment.merging(environment) { $1 }
        process.currentDirectoryURL = home.url
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private static func runBlocking(_ arguments: [String], input: String, home: Home, wrapper: [String]) throws
        -> Result
    {
        let process = Process()
        let command = wrapper + [BuiltProduct.path("campaignsh")] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = home.environment
        process.currentDirectoryURL = home.url
        let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        // Both pipes are drained at once, or a chatty stderr could block the shell.
        let errors = Mutex(Data())
        let errorsRead = DispatchSemaphore(value: 0)
        Thread {
            errors.withLock { $0 = stderr.fileHandleForReading.readDataToEndOfFile() }
            errorsRead.signal()
        }.start()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        errorsRead.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: errors.withLock { $0 }, as: UTF8.self)
        )
    }
}

/// `campaignsh` on a pseudo-terminal (util-linux `script` makes it the controlling terminal, so Ctrl-C
/// and Ctrl-D arrive as they do from a keyboard).
///
/// Offsets into the screen count UTF-8 bytes: counted in characters, a "\r" ending one read and the "\n"
/// starting the next would merge into one character and shift every later offset.
final class TerminalSession: Sendable {
    private let process: Process
    private let keyboard: FileHandle
    private let screen = Screen()
    /// Kept alive as long as the shell runs in it.
    private let home: ShellProcess.Home

    /// What the terminal has shown, appended to by the reading thread.
    private final class Screen: Sendable {
        let bytes = Mutex(Data())
    }

    /// - Parameter rows: the terminal's height (by default the pseudo-terminal says none).
    init(_ arguments: [String], home: ShellProcess.Home, rows: Int? = nil) throws {
        self.home = home
        // `script` runs the command through $SHELL -c. `exec` keeps that shell out of the terminal's process
        // group: dash would otherwise stay, take the Ctrl-C meant for the shell, die of it, and make
        // `script` report 130.
        let size = rows.map { "stty rows \($0) cols 100; " } ?? ""
        let command =
            size + "exec " + ([BuiltProduct.path("campaignsh")] + arguments).map { "'\($0)'" }.joined(separator: " ")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qfec", command, "/dev/null"]
        process.environment = home.environment
        process.currentDirectoryURL = home.url
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        keyboard = input.fileHandleForWriting
        try process.run()
        let reader = output.fileHandleForReading
        let screen = self.screen
        Thread {
            while case let data = reader.availableData, !data.isEmpty {
                screen.bytes.withLock { $0 += data }  // decoded only when read: a read may end inside a character
            }
        }.start()
    }

    /// Everything the terminal has shown so far.
    var text: String { String(decoding: screen.bytes.withLock { $0 }, as: UTF8.self) }

    /// How much the terminal has shown so far: an offset for `waitFor(_:after:)`.
    var shownLength: Int { screen.bytes.withLock { $0.count } }

    private func shown(after offset: Int) -> String {
        String(decoding: screen.bytes.withLock { $0.dropFirst(offset) }, as: UTF8.self)
    }

    func type(_ keys: String) {
        keyboard.write(Data(keys.utf8))
    }

    /// Waits until the terminal shows `expected` after the first `after` bytes (see `shownLength`); false after `timeout`.
    @discardableResult
    func waitFor(_ expected: String, after offset: Int = 0, timeout: Duration = .seconds(20)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if shown(after: offset).contains(expected) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Waits until `output` has appeared after `offset` and a prompt after it: the shell reads again.
    func waitForPrompt(after output: String, from offset: Int = 0, prompt: String = "> ") async -> Bool {
        guard await waitFor(output, after: offset) else { return false }
        let shown = shown(after: offset)
        guard let range = shown.range(of: output) else { return false }
        return await waitFor(prompt, after: offset + shown.utf8.distance(from: shown.startIndex, to: range.upperBound))
    }

    /// Ctrl-D once libedit reads keys itself. libedit prints the prompt before it takes the terminal out of
    /// cooked mode, and a Ctrl-D typed in between turns into a NUL there and is lost. Ctrl-L is answered
    /// (a cleared screen) only once libedit reads the keys, so seeing the answer means the mode has changed.
    func typeCtrlD() async {
        let offset = shownLength
        type("\u{C}")
        _ = await waitFor("\u{1B}[2J", after: offset)
        type("\u{4}")
    }

    /// Waits for the shell to exit and returns its status.
    func exitStatus(timeout: Duration = .seconds(20)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        guard !process.isRunning else {
            process.terminate()
            return nil
        }
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}
