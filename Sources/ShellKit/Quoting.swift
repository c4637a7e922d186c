// Quoting for the shell's own language (CommandLineParser reads these back as the same word), and Tab
// completion that uses it: campaign names with spaces or quotes complete to a word that runs.

public enum ShellQuoting {
    /// The characters with a meaning to the command line parser (CR separates words like a space).
    public static let special = " \t\r\n'\"\\;|>#$"

    /// `word` as one word of a command line: as is when it can be, otherwise in single quotes.
    public static func quote(_ word: String) -> String {
        let plain = !word.isEmpty && !word.unicodeScalars.contains { special.unicodeScalars.contains($0) }
        return plain ? word : "'" + insideSingleQuotes(word) + "'"
    }

    /// How a runbook names a campaign: its name as one word, or its id when the name holds a line break
    /// (a runbook is read line by line, so no quoting keeps such a name whole).
    public static func campaignWord(name: String?, id: String?) -> String {
        guard let name, !name.contains(where: \.isNewline) else { return quote(id ?? name ?? "") }
        return quote(name)
    }

    /// `word` for between single quotes: a single quote cannot appear there, so close, escape it, reopen.
    static func insideSingleQuotes(_ word: String) -> String {
        var quoted = ""
        for character in word {
            if character == "'" { quoted += "'\\''" } else { quoted.append(character) }
        }
        return quoted
    }

    /// `word` with a backslash before each character of `only` (by default every special character).
    public static func escape(_ word: String, only characters: String = special) -> String {
        var escaped = ""
        for scalar in word.unicodeScalars {
            if characters.unicodeScalars.contains(scalar) { escaped.unicodeScalars.append("\\") }
            escaped.unicodeScalars.append(scalar)
        }
        return escaped
    }
}

/// What Tab was pressed on: the words of the current command before the cursor's word, and that word so far.
///
/// Read leniently from the line up to the cursor: an open quote is where the user is typing, not an error.
public struct CompletionRequest: Equatable, Sendable {
    /// The current command's complete words (after the last `;`), unquoted.
    public var words: [String]
    /// The word being completed, unquoted (empty after a space).
    public var partial: String
    /// The same word as typed, from its first byte to the cursor (quotes and backslashes included).
    public var typed: String
    /// `'` or `"` when the word is inside a quote the user opened and has not closed.
    public var openQuote: Character?
    /// True after `>` or `>>`: the word is the file the output goes to.
    public var isFileName = false

    /// Nil where nothing completes: after `|` (a system shell pipeline) or in a comment.
    public init?(lineUpToCursor line: String) {
        let s = Array(line.utf8)
        var words: [String] = []
        var word: [UInt8] = []
        var inWord = false
        var wordStart = 0
        var quote: UInt8?
        var redirected = false
        var i = 0
        while i < s.count {
            let c = s[i]
            if let open = quote {
                if c == open {
                    quote = nil
                } else if open == .doubleQuote, c == .backslash, i + 1 < s.count,
                    [.doubleQuote, .backslash, .dollar].contains(s[i + 1])
                {
                    i += 1
                    word.append(s[i])
                } else {
                    word.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case .space, .tab, .carriageReturn:
                if inWord { words.append(String(decoding: word, as: UTF8.self)) }
                word = []
                inWord = false
            case .semicolon, .newline:
                words = []
                word = []
                inWord = false
                redirected = false
            case .greaterThan:
                if inWord { words.append(String(decoding: word, as: UTF8.self)) }
                word = []
                inWord = false
                redirected = true
            case .pipe:
                return nil
            case .hash where !inWord:
                return nil
            default:
                if !inWord {
                    inWord = true
                    wordStart = i
                }
                if c == .singleQuote || c == .doubleQuote {
                    quote = c
                } else if c == .backslash, i + 1 < s.count {
                    i += 1
                    word.append(s[i])
                } else if c != .backslash {
                    word.append(c)
                }
            }
            i += 1
        }
        self.words = words
        partial = String(decoding: word, as: UTF8.self)
        typed = inWord ? String(decoding: s[wordStart...], as: UTF8.self) : ""
        openQuote = quote.map { Character(Unicode.Scalar($0)) }
        isFileName = redirected
    }

    /// How `candidate` (which extends `partial`) is written in place of the typed word: inside the quote the
    /// user opened, closed when `complete` (a unique match); with backslash escapes otherwise.
    public func spelling(of candidate: String, complete: Bool) -> String {
        switch openQuote {
        case "'":
            "'" + ShellQuoting.insideSingleQuotes(candidate) + (complete ? "'" : "")
        case "\"":
            "\"" + ShellQuoting.escape(candidate, only: "\"\\$") + (complete ? "\"" : "")
        default:
            ShellQuoting.escape(candidate)
        }
    }

    /// The strings libedit inserts in place of `editorWord` (the end of `typed` that libedit takes for the
    /// word: it stops at a space or a quote, so inside quotes it sees only the last part). Candidates whose
    /// spelling does not start as the user typed the word are left out.
    public func replacements(for candidates: [String], editorWord: String) -> [String] {
        guard typed.hasSuffix(editorWord) else { return [] }
        let before = typed.dropLast(editorWord.count)
        let complete = candidates.count == 1
        return candidates.compactMap { candidate in
            let spelled = spelling(of: candidate, complete: complete)
            return spelled.hasPrefix(before) ? String(spelled.dropFirst(before.count)) : nil
        }
    }
}
