import Foundation
import Synchronization

/// Where a command's output goes: the shell's standard output, a file (`>`, `>>`) or a shell pipeline (`|`).
public final class OutputDestination: Sendable {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let pipeline: (process: Process, command: String)?
    /// What it is, for an error: `standard output`, the file's path.
    private let name: String
    /// The first write that failed (a full disk, an I/O error), until ``finish()`` reports it.
    private let writeFailure = Mutex<String?>(nil)
    private let readerLeft = Mutex(false)
    /// Whether the destination is a terminal (tables and color) rather than a file or pipe.
    public let isTerminal: Bool

    private init(
        descriptor: Int32, ownsDescriptor: Bool, name: String, pipeline: (process: Process, command: String)? = nil
    ) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        self.name = name
        self.pipeline = pipeline
        self.isTerminal = isatty(descriptor) == 1
    }

    public static let standardOutput = OutputDestination(
        descriptor: STDOUT_FILENO, ownsDescriptor: false, name: "standard output")
    public static let standardError = OutputDestination(
        descriptor: STDERR_FILENO, ownsDescriptor: false, name: "standard error")
    /// Nowhere: what a command writes while a plan is made.
    static let discarded = OutputDestination(
        descriptor: Foundation.open("/dev/null", O_WRONLY | O_CLOEXEC), ownsDescriptor: false, name: "/dev/null")

    /// Opens the destination a redirection names; `nil` means standard output.
    public static func open(_ redirection: Redirection?, workingDirectory: URL) throws(ShellError) -> OutputDestination
    {
        switch redirection {
        case nil:
            return .standardOutput
        case .write(let path), .append(let path):
            let url = URL(fileURLWithPath: path, relativeTo: workingDirectory)
            var flags = O_WRONLY | O_CREAT | O_CLOEXEC
            if case .append = redirection { flags |= O_APPEND } else { flags |= O_TRUNC }
            let descriptor = Foundation.open(url.path, flags, 0o644)
            guard descriptor >= 0 else {
                throw .failure("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            return OutputDestination(descriptor: descriptor, ownsDescriptor: true, name: path)
        case .pipe(let command):
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            process.currentDirectoryURL = workingDirectory
            let pipe = Pipe()
            process.standardInput = pipe
            do {
                try process.run()
            } catch {
                throw .failure("cannot run '\(command)': \(error.localizedDescription)")
            }
            let descriptor = dup(pipe.fileHandleForWriting.fileDescriptor)
            try? pipe.fileHandleForWriting.close()
            return OutputDestination(
                descriptor: descriptor, ownsDescriptor: true, name: "| \(command)", pipeline: (process, command))
        }
    }

    /// The terminal's width in columns, when it is one that says.
    public var columns: Int? { windowSize.map { Int($0.ws_col) } }
    /// The terminal's height in lines, when it is one that says.
    public var rows: Int? { windowSize.map { Int($0.ws_row) } }

    private var windowSize: winsize? {
        var size = winsize()
        guard isTerminal, ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else {
            return nil
        }
        return size
    }

    /// Writes `text`, through the pager (`$PAGER`, by default `less -FRX`) when it is longer than the
    /// terminal this destination is: a person at a terminal reads a long listing a screen at a time.
    func writePaged(_ text: String, pager: String) {
        guard let rows, text.reduce(0, { $0 + ($1 == "\n" ? 1 : 0) }) >= rows - 1,
            let paged = try? OutputDestination.open(.pipe(command: pager), workingDirectory: URL(fileURLWithPath: "."))
        else { return write(text) }
        paged.write(text)
        paged.close()
    }

    /// Replaces the live line (a wait's progress, on a terminal) with `text`, escaped.
    public func showLive(_ text: String) {
        write("\r\u{1B}[K" + TerminalText.escaped(text))
    }

    /// Erases the live line.
    public func clearLive() {
        write("\r\u{1B}[K")
    }

    /// Whether the reader of a pipe has gone (`| head` has read its lines): a command writing without end,
    /// such as `watch`, stops then.
    public var readerHasLeft: Bool { readerLeft.withLock { $0 } }

    /// Writes all of `text`. A pipeline that stopped reading (`| head`) is not an error.
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { write(bytes: UnsafeRawBufferPointer($0)) }
    }

    public func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write(bytes: $0) }
    }

    /// All of it, or until the reader goes away (EPIPE: it read what it wanted) or a write fails (kept for
    /// ``finish()``).
    private func write(bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { readerLeft.withLock { $0 = true } }
                if errno != EPIPE {
                    let reason = String(cString: strerror(errno))
                    writeFailure.withLock { $0 = $0 ?? "cannot write \(name): \(reason)" }
                }
                return
            }
            offset += written
        }
    }

    /// Closes a file or pipe and waits for the pipeline to finish; returns the pipeline's status (128 + the
    /// signal's number when a signal ended it, as shells say).
    @discardableResult
    public func close() -> Int32 {
        guard ownsDescriptor else { return 0 }
        Foundation.close(descriptor)
        guard let (process, _) = pipeline else { return 0 }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// Closes it, and fails as the output did: a write that failed (exit 1), or the pipeline's own status.
    /// A reader that stopped early (`| head -1`) and exited 0 is a normal end.
    public func finish() throws(ShellError) {
        let status = close()
        if let failure = writeFailure.withLock({ failure in
            defer { failure = nil }
            return failure
        }) {
            throw .failure(failure)
        }
        if status != 0, let (_, command) = pipeline {
            throw ShellError("'| \(command)' exited with status \(status)", status: ExitStatus(rawValue: status))
        }
    }
}
