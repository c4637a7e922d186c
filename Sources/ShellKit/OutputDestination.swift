import Foundation

/// Where a command's output goes: the shell's standard output, a file (`>`, `>>`) or a shell pipeline (`|`).
public final class OutputDestination: Sendable {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let pipeline: Process?
    /// Whether the destination is a terminal (tables and color) rather than a file or pipe.
    public let isTerminal: Bool

    private init(descriptor: Int32, ownsDescriptor: Bool, pipeline: Process? = nil) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        self.pipeline = pipeline
        self.isTerminal = isatty(descriptor) == 1
    }

    public static let standardOutput = OutputDestination(descriptor: STDOUT_FILENO, ownsDescriptor: false)
    public static let standardError = OutputDestination(descriptor: STDERR_FILENO, ownsDescriptor: false)
    /// Nowhere: what a command writes while a plan is made.
    static let discarded = OutputDestination(
        descriptor: Foundation.open("/dev/null", O_WRONLY | O_CLOEXEC), ownsDescriptor: false)

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
            return OutputDestination(descriptor: descriptor, ownsDescriptor: true)
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
            return OutputDestination(descriptor: descriptor, ownsDescriptor: true, pipeline: process)
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

    /// Writes all of `text`. A pipeline that stopped reading (`| head`) is not an error.
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { write(bytes: UnsafeRawBufferPointer($0)) }
    }

    public func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write(bytes: $0) }
    }

    /// All of it, or until the reader goes away.
    private func write(bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }

    /// Closes a file or pipe and waits for the pipeline to finish; returns the pipeline's status.
    @discardableResult
    public func close() -> Int32 {
        guard ownsDescriptor else { return 0 }
        Foundation.close(descriptor)
        guard let pipeline else { return 0 }
        pipeline.waitUntilExit()
        return pipeline.terminationStatus
    }
}
