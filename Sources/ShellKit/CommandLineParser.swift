// CommandLineParser: splits one line of the shell's language into commands (README.md, "The shell").
//
// `command args… [> file | >> file | | shell pipeline]`, `;` between commands, `#` comments, POSIX-like
// quoting and backslash escapes, `${name}` expansion. One pass over the UTF-8 bytes: every character
// with a meaning here is ASCII, so multi-byte characters pass through untouched.

/// One command of a line: its words after quoting and `${name}` expansion, and where its output goes.
public struct ParsedCommand: Equatable, Sendable {
    public var words: [String]
    public var redirection: Redirection?
    /// The statement's text as typed (trimmed), before expansion: what history and the recorder keep.
    public var text: String

    public init(words: [String], redirection: Redirection? = nil, text: String) {
        self.words = words
        self.redirection = redirection
        self.text = text
    }
}

public enum Redirection: Equatable, Sendable {
    case write(path: String)  // > file
    case append(path: String)  // >> file
    case pipe(command: String)  // | shell pipeline, run by /bin/sh -c, raw text kept verbatim (trimmed)
}

public struct CommandLineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// One clear line, e.g. "unclosed double quote", "unknown variable 'camp'", "'>' needs a file name".
    public var message: String
    public var description: String { message }

    public init(_ message: String) {
        self.message = message
    }
}

public enum CommandLineParser {
    /// Splits `line` into commands. `variable` returns a variable's value, or nil when it is not set.
    public static func parse(_ line: String, variable: (String) -> String?) throws(CommandLineError) -> [ParsedCommand]
    {
        var tokenizer = Tokenizer(Array(line.utf8))
        try tokenizer.run(variable)
        return tokenizer.commands
    }

    /// Whether `name` can be used as `${name}`: `[A-Za-z_][A-Za-z0-9_.-]*`.
    public static func isValidVariableName(_ name: String) -> Bool {
        isValidName(name.utf8)
    }

    static func isValidName<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        guard let first = bytes.first, first.isLetter || first == .underscore else { return false }
        for b in bytes.dropFirst() where !(b.isLetter || b.isDigit || b == .underscore || b == .dot || b == .dash) {
            return false
        }
        return true
    }

    /// For `${` at `dollar`: the index of its `}`, or nil when `s[dollar]` does not start `${…}`.
    static func closingBrace(_ s: [UInt8], after dollar: Int) -> Int? {
        guard dollar + 1 < s.count, s[dollar] == .dollar, s[dollar + 1] == .openBrace else { return nil }
        var j = dollar + 2
        while j < s.count {
            if s[j] == .closeBrace { return j }
            j += 1
        }
        return nil
    }
}

// MARK: - Tokenizer

private struct Tokenizer {
    private struct PendingRedirection {
        var append: Bool
        var symbol: String { append ? ">>" : ">" }
    }

    let s: [UInt8]
    var i = 0
    var commands: [ParsedCommand] = []

    // The command being read.
    private var words: [String] = []
    private var redirection: Redirection?
    private var pending: PendingRedirection?
    private var commandStart = -1  // first byte of the command's text, -1 before it
    private var lastEnd = 0  // just past the last byte that belongs to the command's text

    // The word being read.
    private var word: [UInt8] = []
    private var inWord = false
    private var wordStart = 0

    init(_ bytes: [UInt8]) {
        s = bytes
        word.reserveCapacity(64)
    }

    mutating func run(_ variable: (String) -> String?) throws(CommandLineError) {
        let n = s.count
        while i < n {
            let c = s[i]
            switch c {
            case .space, .tab, .carriageReturn:
                try endWord()
                i += 1
            case .semicolon, .newline:
                try endCommand()
                i += 1
            case .hash where !inWord:
                try endCommand()
                while i < n && s[i] != .newline { i += 1 }
            case .backslash:
                guard i + 1 < n else { throw CommandLineError("line ends with a lone backslash") }
                if s[i + 1] == .newline {  // line continuation, as in POSIX
                    i += 2
                    continue
                }
                beginWord()
                word.append(s[i + 1])
                i += 2
                lastEnd = i
            case .singleQuote:
                beginWord()
                var j = i + 1
                while j < n && s[j] != .singleQuote { j += 1 }
                guard j < n else { throw CommandLineError("unclosed single quote") }
                word.append(contentsOf: s[(i + 1)..<j])
                i = j + 1
                lastEnd = i
            case .doubleQuote:
                beginWord()
                try doubleQuoted(variable)
                lastEnd = i
            case .dollar where i + 1 < n && s[i + 1] == .openBrace:
                beginWord()
                try expand(variable)
                lastEnd = i
            case .greaterThan:
                try redirect()
            case .pipe:
                try pipeline(variable)
            default:
                beginWord()
                word.append(c)
                i += 1
                lastEnd = i
            }
        }
        try endCommand()
    }

    private mutating func beginWord() {
        guard !inWord else { return }
        inWord = true
        wordStart = i
        if commandStart < 0 { commandStart = i }
    }

    private mutating func endWord() throws(CommandLineError) {
        guard inWord else { return }
        inWord = false
        let value = String(decoding: word, as: UTF8.self)
        word.removeAll(keepingCapacity: true)
        if let pending {
            redirection = pending.append ? .append(path: value) : .write(path: value)
            self.pending = nil
        } else if redirection != nil {
            throw CommandLineError("unexpected '\(source(wordStart, lastEnd))' after the redirection")
        } else {
            words.append(value)
        }
    }

    private mutating func endCommand() throws(CommandLineError) {
        try endWord()
        if let pending { throw CommandLineError("'\(pending.symbol)' needs a file name") }
        if !words.isEmpty {
            commands.append(ParsedCommand(words: words, redirection: redirection, text: source(commandStart, lastEnd)))
        }
        words = []
        redirection = nil
        commandStart = -1
    }

    /// `i` is at `"`; leaves `i` just past the closing `"`.
    private mutating func doubleQuoted(_ variable: (String) -> String?) throws(CommandLineError) {
        let n = s.count
        i += 1
        while true {
            guard i < n else { throw CommandLineError("unclosed double quote") }
            let c = s[i]
            if c == .doubleQuote {
                i += 1
                return
            }
            if c == .backslash, i + 1 < n {
                let next = s[i + 1]
                if next == .doubleQuote || next == .backslash || next == .dollar {
                    word.append(next)
                    i += 2
                    continue
                }
            }
            if c == .dollar, i + 1 < n, s[i + 1] == .openBrace {
                try expand(variable)
                continue
            }
            word.append(c)
            i += 1
        }
    }

    /// `i` is at the `$` of `${`; appends the value and leaves `i` just past the `}`.
    private mutating func expand(_ variable: (String) -> String?) throws(CommandLineError) {
        let (value, close) = try Self.variable(in: s, at: i, variable)
        word.append(contentsOf: value.utf8)
        i = close + 1
    }

    /// The value of the `${name}` whose `$` is at `dollar`, and the index of its `}`: the one rule for
    /// every word of a line, a pipeline's included.
    private static func variable(in s: [UInt8], at dollar: Int, _ variable: (String) -> String?)
        throws(CommandLineError) -> (value: String, close: Int)
    {
        guard let close = CommandLineParser.closingBrace(s, after: dollar) else {
            throw CommandLineError("'${' without a closing '}'")
        }
        let nameBytes = s[(dollar + 2)..<close]
        guard !nameBytes.isEmpty else { throw CommandLineError("empty variable name in '${}'") }
        let name = String(decoding: nameBytes, as: UTF8.self)
        guard CommandLineParser.isValidName(nameBytes) else {
            throw CommandLineError("invalid variable name '\(name)'")
        }
        guard let value = variable(name) else { throw CommandLineError("unknown variable '\(name)'") }
        return (value, close)
    }

    /// `i` is at `>`.
    private mutating func redirect() throws(CommandLineError) {
        try endWord()
        let append = i + 1 < s.count && s[i + 1] == .greaterThan
        if let pending { throw CommandLineError("'\(pending.symbol)' needs a file name") }
        if redirection != nil { throw CommandLineError("only one redirection per command") }
        if words.isEmpty { throw CommandLineError("missing command before '\(append ? ">>" : ">")'") }
        pending = PendingRedirection(append: append)
        i += append ? 2 : 1
        lastEnd = i
    }

    /// `i` is at `|`: takes the text up to the next unquoted `;`, newline or comment for `/bin/sh -c`, with
    /// each `${name}` outside single quotes replaced by its value quoted for sh, so that a value is one
    /// word there and never code.
    private mutating func pipeline(_ variable: (String) -> String?) throws(CommandLineError) {
        try endWord()
        if let pending { throw CommandLineError("'\(pending.symbol)' needs a file name") }
        if redirection != nil { throw CommandLineError("only one redirection per command") }
        if words.isEmpty { throw CommandLineError("missing command before '|'") }
        let n = s.count
        var j = i + 1
        var command: [UInt8] = []
        // The command's length without the blanks after its last word.
        var trimmed = 0
        var atWordStart = true
        func isVariable(_ at: Int) -> Bool { s[at] == .dollar && at + 1 < n && s[at + 1] == .openBrace }
        scan: while j < n {
            let c = s[j]
            switch c {
            case .semicolon, .newline:
                break scan
            case .space, .tab, .carriageReturn:
                atWordStart = true
                if !command.isEmpty { command.append(c) }
                j += 1
                continue scan
            case .hash where atWordStart:
                break scan
            default:
                break
            }
            atWordStart = false
            switch c {
            case .backslash:
                guard j + 1 < n else { throw CommandLineError("line ends with a lone backslash") }
                command += s[j...(j + 1)]
                j += 2
            case .singleQuote:
                var close = j + 1
                while close < n && s[close] != .singleQuote { close += 1 }
                guard close < n else { throw CommandLineError("unclosed single quote") }
                command += s[j...close]
                j = close + 1
            case .doubleQuote:
                command.append(c)
                j += 1
                while true {
                    guard j < n else { throw CommandLineError("unclosed double quote") }
                    if s[j] == .doubleQuote { break }
                    if isVariable(j) {
                        let (value, close) = try Self.variable(in: s, at: j, variable)
                        command += ShellQuoting.escape(value, only: "\"\\$`").utf8
                        j = close + 1
                        continue
                    }
                    let length = s[j] == .backslash && j + 1 < n ? 2 : 1
                    command += s[j..<(j + length)]
                    j += length
                }
                command.append(.doubleQuote)
                j += 1
            case .dollar where isVariable(j):
                let (value, close) = try Self.variable(in: s, at: j, variable)
                command += "'\(ShellQuoting.insideSingleQuotes(value))'".utf8
                j = close + 1
            case .pipe, .ampersand, .openParen, .closeParen, .lessThan, .greaterThan:
                atWordStart = true
                command.append(c)
                j += 1
            default:
                command.append(c)
                j += 1
            }
            trimmed = command.count
            lastEnd = j
        }
        guard trimmed > 0 else { throw CommandLineError("'|' needs a command") }
        redirection = .pipe(command: String(decoding: command[..<trimmed], as: UTF8.self))
        i = j
    }

    private func source(_ from: Int, _ to: Int) -> String {
        String(decoding: s[from..<to], as: UTF8.self)
    }
}

// MARK: - Bytes

extension UInt8 {  // the bytes the command language gives a meaning to (internal: Quoting.swift reads them too)
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let doubleQuote = UInt8(ascii: "\"")
    static let hash = UInt8(ascii: "#")
    static let dollar = UInt8(ascii: "$")
    static let ampersand = UInt8(ascii: "&")
    static let singleQuote = UInt8(ascii: "'")
    static let openParen = UInt8(ascii: "(")
    static let closeParen = UInt8(ascii: ")")
    static let dash = UInt8(ascii: "-")
    static let dot = UInt8(ascii: ".")
    static let semicolon = UInt8(ascii: ";")
    static let lessThan = UInt8(ascii: "<")
    static let greaterThan = UInt8(ascii: ">")
    static let backslash = UInt8(ascii: "\\")
    static let underscore = UInt8(ascii: "_")
    static let openBrace = UInt8(ascii: "{")
    static let pipe = UInt8(ascii: "|")
    static let closeBrace = UInt8(ascii: "}")

    var isLetter: Bool { (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A) }
    var isDigit: Bool { self >= 0x30 && self <= 0x39 }
}
