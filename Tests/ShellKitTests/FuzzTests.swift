import Foundation
import GenesysTestSupport
import Testing

@testable import ShellKit

/// Seeded random and mutated lines through the shell's own parsers: none may crash, and what parses
/// must be sound. `FUZZ_ITERATIONS` inputs per target (see ``Fuzz``).
@Suite struct FuzzTests {
    static let alphabet = [
        "a", "Q4", " ", "  ", "\t", "'", "\"", "\\", ";", "|", ">", ">>", "#", "$", "${", "}", "${x}", "é", "東",
        "\n", "\r", "\u{0}", "\u{1B}", "--", "-", "=", "*", "?", "pause", "use", "`", "$(",
    ]

    /// Lines of the shipped runbooks: the seeds the mutations start from.
    static let samples: [String] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(
            path: "../../scripts/runbooks")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let lines = files.flatMap { file in
            ((try? String(contentsOf: folder.appending(path: file), encoding: .utf8)) ?? "").components(
                separatedBy: "\n")
        }
        return lines.isEmpty ? ["pause --all --name 'Q4 *' --yes | grep on > out.txt # note"] : lines
    }()

    @Test func theTokenizerNeverCrashesAndRoundTripsWhatItQuotes() {
        var random = Fuzz()
        for _ in 0..<Fuzz.iterations {
            let line =
                Bool.random(using: &random)
                ? random.text(from: Self.alphabet, length: 40)
                : String(
                    decoding: random.mutate(Self.samples.randomElement(using: &random)!, tokens: Self.alphabet),
                    as: UTF8.self)
            if let commands = try? CommandLineParser.parse(line, variable: { $0 == "x" ? "a b" : nil }) {
                for command in commands {
                    // A word quoted for the shell reads back as the same word.
                    for word in command.words {
                        let quoted = ShellQuoting.quote(word)
                        let back = try? CommandLineParser.parse("echo " + quoted, variable: { _ in nil }).first?.words
                        #expect(back == ["echo", word], "\(line.debugDescription): \(word.debugDescription)")
                    }
                }
            }
            _ = CompletionRequest(lineUpToCursor: line)
            let escaped = TerminalText.escaped(line)
            #expect(!escaped.unicodeScalars.contains { TerminalText.isUnsafe($0) })
            _ = TerminalText.width(of: line)
        }
    }
}
