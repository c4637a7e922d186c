/// Text from a server or a user made safe for a terminal, and measured as a terminal shows it.
///
/// A campaign name or an error message can hold escape sequences that clear the screen, set the window
/// title or rewrite what was printed before; bidi overrides make text read in another order than it is.
/// Human output shows those characters as escapes (`\x1b`, `\u202e`); json and jsonl keep them exactly.
public enum TerminalText {
    /// `text` with control characters (C0, DEL, C1) and bidi controls written as visible escapes; with
    /// `keepingLineBreaks`, `\n` and `\t` are left as they are (multi-line text, not a cell or a line).
    public static func escaped(_ text: String, keepingLineBreaks: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            if !isUnsafe(scalar) || (keepingLineBreaks && (scalar == "\n" || scalar == "\t")) {
                escaped.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case "\r": escaped += "\\r"
            default:
                let hex = String(scalar.value, radix: 16)
                escaped +=
                    scalar.value < 0x100
                    ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                    : "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            }
        }
        return escaped
    }

    /// C0 controls, DEL, C1 controls, and the bidi embedding, override and isolate controls.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// The columns `text` takes on a terminal: wide (CJK, fullwidth, emoji) characters take two,
    /// combining marks none.
    public static func width(of text: String) -> Int {
        var width = 0
        for character in text { width += self.width(of: character) }
        return width
    }

    static func width(of character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        if first.isASCII { return 1 }
        if first.properties.isEmojiPresentation { return 2 }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        switch first.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default: return 1
        }
    }

    /// The longest start of `text` that takes at most `columns` columns.
    public static func prefix(_ text: String, columns: Int) -> String {
        var taken = 0
        var end = text.startIndex
        for index in text.indices {
            let next = taken + width(of: text[index])
            if next > columns { break }
            taken = next
            end = text.index(after: index)
        }
        return String(text[..<end])
    }

    /// `text` followed by spaces up to `columns` columns.
    public static func padded(_ text: String, to columns: Int) -> String {
        text + String(repeating: " ", count: max(0, columns - width(of: text)))
    }
}
