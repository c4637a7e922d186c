import Foundation

/// Executables of this package, built next to the test bundle by `swift build --build-tests`.
public enum BuiltProduct {
    /// The path of the executable product `name`.
    public static func path(_ name: String) -> String {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appending(
            path: name)
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests.path }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return packageRoot.appending(path: ".build/debug/\(name)").path
    }

    /// Reads one line from `handle` (without its newline), on a thread that may block.
    public static func readLine(_ handle: FileHandle) async -> String? {
        await Task.detached {
            var line = Data()
            while true {
                guard let byte = try? handle.read(upToCount: 1), let first = byte.first else {
                    return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
                }
                if first == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
                line.append(first)
            }
        }.value
    }

    /// Runs `name` with `arguments` to completion: exit status, standard output and standard error.
    public static func run(_ name: String, _ arguments: [String]) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path(name))
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
