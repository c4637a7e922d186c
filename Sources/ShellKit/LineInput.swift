import CLibEdit
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What one read from a `LineInput` produced.
public enum LineInputEvent: Equatable, Sendable {
    /// A line, without its line terminator.
    case line(String)
    /// Ctrl-C at the prompt: the partial line is discarded; prompt again.
    case interrupted
    /// Ctrl-D on an empty line, or the end of a pipe or file.
    case endOfInput
}

/// Where the shell reads lines from.
public protocol LineInput: AnyObject {
    /// Blocks until a line, Ctrl-C (`.interrupted`) or end of input (Ctrl-D / EOF).
    func readLine(prompt: String) -> LineInputEvent
    /// Adds a line to the in-memory history (the caller decides what is worth keeping and persists it itself).
    func addToHistory(_ line: String)
}

// MARK: - libedit

/// libedit's readline emulation, for a terminal: prompt, editing, history, Tab completion.
///
/// libedit keeps one global editor, so create one instance per process and call it from one thread
/// (a blocking `readLine` belongs on a dedicated thread, not on the concurrency pool).
///
/// After `.interrupted` ("^C") and `.endOfInput` the cursor is already at the start of a fresh line.
///
/// The prompt may color parts of itself by wrapping each escape sequence in `\u{1}`…`\u{2}`
/// (readline's ignore markers); keep a printable character after the last escape.
/// `~/.editrc` is read on first use, so a user's own key bindings apply.
public final class EditLineInput: LineInput {
    /// - Parameters:
    ///   - historyLines: earlier history to load (oldest first), e.g. read from the history file by the caller.
    ///   - historyLimit: how many lines libedit keeps in memory (it keeps all of them unless told).
    ///   - complete: given what Tab was pressed on, returns the values the word may complete to, unquoted and
    ///     extending `request.partial` (computed from in-memory caches only: never blocks, never touches the
    ///     network). They are inserted quoted as the user started the word, or with backslash escapes.
    public init(
        historyLines: [String],
        historyLimit: Int = 1000,
        complete: @escaping @Sendable (CompletionRequest) -> [String]
    ) {
        // Before any libedit call: libedit decides at initialization whether the terminal speaks UTF-8.
        Self.useUTF8Locale()
        clibedit_stifle_history(Int32(clamping: max(historyLimit, 1)))
        for line in historyLines.suffix(max(historyLimit, 1)) {
            add_history(line)
        }
        completionCell = CompletionCell(owner: ObjectIdentifier(self), complete: complete)
        clibedit_set_attempted_completion_function(attemptCompletion)
        clibedit_set_completion_append_character(Int32(UInt8(ascii: " ")))
    }

    deinit {
        // Only if a newer instance has not taken the cell over.
        if completionCell.owner == ObjectIdentifier(self) {
            completionCell = CompletionCell()
        }
    }

    public func readLine(prompt: String) -> LineInputEvent {
        // Our SIGINT handler only for the duration of the read: while a command runs the caller handles
        // Ctrl-C its own way, and whatever it had installed is put back below.
        var saved = clibedit_sigint_saved()
        clibedit_sigint_install(&saved)
        // Ctrl-C usually lands on the main thread; only a signal taken by this thread interrupts its read.
        clibedit_sigint_forward_to_this_thread(1)
        defer {
            clibedit_sigint_forward_to_this_thread(0)
            clibedit_sigint_restore(&saved)
        }
        _ = clibedit_sigint_take()  // forget a Ctrl-C that arrived while a command was running

        guard let raw = CLibEdit.readline(prompt) else {
            // NULL means end of input or a read interrupted by Ctrl-C; only the handler's flag tells which.
            // libedit leaves the cursor after the abandoned text (after an echoed "^D" at EOF): end that
            // line here so the caller's next output starts on a fresh one.
            let interrupted = clibedit_sigint_take() != 0
            writeToTerminal(interrupted ? "^C\n" : "\n")
            return interrupted ? .interrupted : .endOfInput
        }
        defer { free(raw) }
        // Ctrl-C pressed just as the line was accepted still counts as a line: it was typed in full.
        _ = clibedit_sigint_take()
        return .line(String(decoding: UnsafeRawBufferPointer(start: raw, count: strlen(raw)), as: UTF8.self))
    }

    public func addToHistory(_ line: String) {
        add_history(line)
    }

    /// Straight to the descriptor: libedit has flushed its own output by the time readline returns.
    private func writeToTerminal(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = write(STDOUT_FILENO, bytes.baseAddress, bytes.count) }
    }

    /// libedit drops every non-ASCII byte unless LC_CTYPE is a UTF-8 locale, and the process starts in
    /// the "C" locale. Use the environment's locale; if it is not UTF-8 (LANG=C, unset), use C.UTF-8 for
    /// LC_CTYPE so names like `Réactivation_Clients` still edit and complete correctly.
    static func useUTF8Locale() {
        setlocale(LC_ALL, "")
        // Numbers stay in the C format whatever the environment says (a comma decimal point would
        // change any C-level number formatting in the process).
        setlocale(LC_NUMERIC, "C")
        if !ctypeIsUTF8() {
            if setlocale(LC_CTYPE, "C.UTF-8") == nil {
                setlocale(LC_CTYPE, "en_US.UTF-8")
            }
        }
    }

    private static func ctypeIsUTF8() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }
}

/// What libedit's completion callbacks need. They are C function pointers and cannot capture, so the
/// context lives here; only the input thread (the one blocked in `readline`) touches it.
private struct CompletionCell {
    var owner: ObjectIdentifier?
    var complete: (@Sendable (CompletionRequest) -> [String])?
    var candidates: [String] = []
    var next = 0
}

nonisolated(unsafe) private var completionCell = CompletionCell()

/// libedit's attempted-completion callback: `text` is the word before the cursor (UTF-8).
private func attemptCompletion(
    _ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32
) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    // Never fall back to libedit's filename completion (libedit resets this after every Tab).
    clibedit_set_attempted_completion_over(1)
    guard let text, let complete = completionCell.complete,
        let request = CompletionRequest(lineUpToCursor: lineUpToCursor())
    else { return nil }
    var seen = Set<String>()
    let values = complete(request).filter { $0.hasPrefix(request.partial) && seen.insert($0).inserted }
    // libedit replaces what it takes for the word (it stops at a space even inside quotes) with these.
    let candidates = request.replacements(for: values, editorWord: String(cString: text))
    guard !candidates.isEmpty else { return nil }

    completionCell.candidates = candidates
    completionCell.next = 0
    defer { completionCell.candidates = [] }
    guard let matches = rl_completion_matches(text, nextCandidate) else { return nil }
    // matches[0] is the candidates' common prefix, computed byte by byte: never let it end inside a
    // UTF-8 sequence ("Réa"/"Rêb" share the byte 0xC3), or libedit would insert a broken character.
    // Nor after a lone backslash ("Spring\ " / "Spring\'s" share "Spring\"): it would escape the next key.
    if let common = matches[0] {
        trimIncompleteUTF8(common)
        trimLoneBackslash(common)
    }
    return matches
}

/// libedit's generator: called with state 0, 1, 2… until it returns NULL; libedit frees each string.
private func nextCandidate(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    if state == 0 { completionCell.next = 0 }
    guard completionCell.next < completionCell.candidates.count else { return nil }
    defer { completionCell.next += 1 }
    return strdup(completionCell.candidates[completionCell.next])
}

/// The line up to the cursor, from libedit's `rl_line_buffer` (the whole line) and `rl_point`.
private func lineUpToCursor() -> String {
    guard let buffer = clibedit_line_buffer() else { return "" }
    let line = String(decoding: UnsafeRawBufferPointer(start: buffer, count: strlen(buffer)), as: UTF8.self)
    // During completion libedit 3.1 sets rl_point from its wide-character line: it counts characters
    // (Unicode scalars), not bytes.
    let point = max(0, Int(clibedit_point()))
    let scalars = line.unicodeScalars
    let cursor = scalars.index(scalars.startIndex, offsetBy: point, limitedBy: scalars.endIndex) ?? scalars.endIndex
    return String(scalars[..<cursor])
}

/// Cuts a NUL-terminated string before a trailing backslash that escapes nothing yet.
private func trimLoneBackslash(_ string: UnsafeMutablePointer<CChar>) {
    var length = strlen(string)
    var trailing = 0
    while length > 0, string[length - 1] == CChar(UInt8(ascii: "\\")) {
        trailing += 1
        length -= 1
    }
    if trailing % 2 == 1 { string[length + trailing - 1] = 0 }
}

/// Cuts a NUL-terminated UTF-8 string before a trailing, incomplete multi-byte sequence.
private func trimIncompleteUTF8(_ string: UnsafeMutablePointer<CChar>) {
    let length = strlen(string)
    guard length > 0 else { return }
    let bytes = UnsafeMutableRawPointer(string).assumingMemoryBound(to: UInt8.self)
    // Find the start of the last character: step back over continuation bytes (10xxxxxx).
    var lead = length - 1
    while lead > 0, bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
    let first = bytes[lead]
    let needed = first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1
    if length - lead < needed { bytes[lead] = 0 }
}

// MARK: - Pipes and files

/// Plain reading for pipes and files: no prompt, no history, no completion.
///
/// Reads 64 KiB at a time and splits lines itself (one `read(2)` per block, not per byte),
/// so a 10,000-line runbook is read in a few milliseconds. Invalid UTF-8 becomes U+FFFD.
public final class PlainLineInput: LineInput {
    private let fd: Int32
    private let handle: FileHandle  // kept so the descriptor stays open as long as we read it
    // A raw byte buffer: Array operations are generic and slow in debug builds, and this runs per line.
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity = 1 << 16
    private var start = 0  // first unconsumed byte
    private var end = 0  // one past the last byte read
    private var atEOF = false

    public init(handle: FileHandle = .standardInput) {
        self.handle = handle
        self.fd = handle.fileDescriptor
        storage = .allocate(capacity: capacity)
    }

    deinit {
        storage.deallocate()
    }

    public func readLine(prompt: String) -> LineInputEvent {
        while true {
            if start < end, let newline = memchr(storage + start, Int32(UInt8(ascii: "\n")), end - start) {
                let stop = UnsafeMutableRawPointer(storage).distance(to: newline)
                let line = makeLine(upTo: stop)
                start = stop + 1
                return .line(line)
            }
            if atEOF {
                guard start < end else { return .endOfInput }
                let line = makeLine(upTo: end)  // a last line without a newline
                start = end
                return .line(line)
            }
            fill()
        }
    }

    /// History belongs to terminals.
    public func addToHistory(_ line: String) {}

    /// The bytes from `start` to `stop`, less a trailing `\r` (CRLF files), as a string.
    private func makeLine(upTo stop: Int) -> String {
        var count = stop - start
        if count > 0 && storage[start + count - 1] == UInt8(ascii: "\r") { count -= 1 }
        return String(decoding: UnsafeBufferPointer(start: storage + start, count: count), as: UTF8.self)
    }

    /// Moves the unconsumed bytes to the front (growing the buffer for a line longer than it), then
    /// reads the next block.
    private func fill() {
        if start > 0 {
            memmove(storage, storage + start, end - start)
            end -= start
            start = 0
        }
        if end == capacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: storage, count: end)
            storage.deallocate()
            storage = bigger
            capacity *= 2
        }
        while true {
            let n = read(fd, storage + end, capacity - end)
            if n < 0 && errno == EINTR { continue }  // a signal is not the end of the file
            if n > 0 { end += n } else { atEOF = true }  // 0: end of file; < 0: an error ends the input too
            return
        }
    }
}
