import Foundation
import ShellKit
import Testing

private let variables: [String: String] = [
    "camp": "Réactivation Clients",
    "queue": "Support",
    "empty": "",
    "quoted": #"it's "x" ${camp} \ ; | > #"#,
    "a.b-c_1": "dotted",
    "_x": "underscore",
    "rocket": "🚀 go",
]

private func parse(_ line: String) throws -> [ParsedCommand] {
    try CommandLineParser.parse(line) { variables[$0] }
}

private func words(_ line: String) throws -> [[String]] {
    try parse(line).map(\.words)
}

@Suite struct CommandLineParserTests {
    // MARK: Words and commands

    @Test(
        arguments: [
            ("status", [["status"]]),
            ("pause  camp1   camp2", [["pause", "camp1", "camp2"]]),
            ("  \tpause\tcamp1 \t ", [["pause", "camp1"]]),
            ("a;b", [["a"], ["b"]]),
            ("a ; b c ;d", [["a"], ["b", "c"], ["d"]]),
            ("a;;b", [["a"], ["b"]]),
            ("a;", [["a"]]),
            (";a", [["a"]]),
            ("a 'b;c' \"d;e\"", [["a", "b;c", "d;e"]]),
            ("a\nb", [["a"], ["b"]]),
        ] as [(String, [[String]])])
    func whitespaceSeparatesWordsAndSemicolonsSeparateCommands(line: String, expected: [[String]]) throws {
        #expect(try words(line) == expected)
    }

    @Test(arguments: [
        "", "   ", "\t", ";", ";;", " ; ; ", "# a comment", "   # indented comment", "# it's fine; really", ";# x",
    ])
    func emptyCommandsProduceNothing(line: String) throws {
        #expect(try parse(line).isEmpty)
    }

    // MARK: Comments

    @Test(
        arguments: [
            ("list # all campaigns", [["list"]]),
            ("list #all campaigns", [["list"]]),
            ("a#b", [["a#b"]]),
            ("a#b c#d", [["a#b", "c#d"]]),
            ("a '#b' \"#c\" \\#d", [["a", "#b", "#c", "#d"]]),
            ("a ''#b", [["a", "#b"]]),
            ("a; # b; c", [["a"]]),
            ("a;#b", [["a"]]),
            ("a # ${unknown} 'unclosed", [["a"]]),
        ] as [(String, [[String]])])
    func hashStartsACommentOnlyAtTheStartOfAWord(line: String, expected: [[String]]) throws {
        #expect(try words(line) == expected)
    }

    // MARK: Quotes, escapes and joins

    @Test(
        arguments: [
            ("a'b c'", ["ab c"]),
            ("a\"b c\"'d'", ["ab cd"]),
            ("'a'\"b\"c", ["abc"]),
            ("'' x", ["", "x"]),
            ("\"\"", [""]),
            ("a \"\" b", ["a", "", "b"]),
            ("''\"\"", [""]),
            ("'${camp}'", ["${camp}"]),
            ("'a\\b'", ["a\\b"]),
            ("'say \"hi\"'", ["say \"hi\""]),
            ("\"it's\"", ["it's"]),
            ("'  spaced  '", ["  spaced  "]),
        ] as [(String, [String])])
    func quotedAndUnquotedPiecesJoin(line: String, expected: [String]) throws {
        #expect(try words(line) == [expected])
    }

    @Test(arguments: [
        (#""a\"b""#, #"a"b"#),
        (#""a\\b""#, #"a\b"#),
        (#""a\$b""#, #"a$b"#),
        (#""\${camp}""#, "${camp}"),
        (#""a\nb""#, #"a\nb"#),
        (#""a\'b""#, #"a\'b"#),
        (#""a\ b""#, #"a\ b"#),
    ])
    func doubleQuotesEscapeOnlyQuoteBackslashAndDollar(line: String, expected: String) throws {
        #expect(try words(line) == [[expected]])
    }

    @Test(
        arguments: [
            (#"a\ b"#, ["a b"]),
            (#"a\;b"#, ["a;b"]),
            (#"a\|b"#, ["a|b"]),
            (#"a\>b"#, ["a>b"]),
            (##"\#b"##, ["#b"]),
            (#"\"a\""#, [#""a""#]),
            (#"\'a"#, ["'a"]),
            (#"a\\b"#, [#"a\b"#]),
            (#"\$\{camp}"#, ["${camp}"]),
            (#"\${camp}"#, ["${camp}"]),
            (#"a\nb"#, ["anb"]),
            (#"x \  y"#, ["x", " ", "y"]),
            (#"\é"#, ["é"]),
        ] as [(String, [String])])
    func backslashOutsideQuotesEscapesTheNextCharacter(line: String, expected: [String]) throws {
        #expect(try words(line) == [expected])
    }

    @Test func backslashNewlineContinuesTheWord() throws {
        #expect(try words("a\\\nb c") == [["ab", "c"]])
    }

    // MARK: Variables

    @Test(
        arguments: [
            ("pause ${camp}", ["pause", "Réactivation Clients"]),
            ("pause \"${camp}\"", ["pause", "Réactivation Clients"]),
            ("x${queue}y", ["xSupporty"]),
            ("\"[${queue}]\"'[${queue}]'", ["[Support][${queue}]"]),
            ("${queue}${queue}", ["SupportSupport"]),
            ("${a.b-c_1} ${_x}", ["dotted", "underscore"]),
            ("a ${empty} b", ["a", "", "b"]),
            ("a \"${empty}\" b", ["a", "", "b"]),
            ("${rocket}!", ["🚀 go!"]),
            ("cost $5 $ $camp {camp}", ["cost", "$5", "$", "$camp", "{camp}"]),
            ("a$", ["a$"]),
            ("\"a$\" \"$x\"", ["a$", "$x"]),
        ] as [(String, [String])])
    func variablesExpandOutsideQuotesAndInDoubleQuotes(line: String, expected: [String]) throws {
        #expect(try words(line) == [expected])
    }

    @Test func expansionIsNeitherResplitNorReparsed() throws {
        let commands = try parse("note ${quoted} after")
        #expect(commands.count == 1)
        #expect(commands.first?.words == ["note", #"it's "x" ${camp} \ ; | > #"#, "after"])
        #expect(commands.first?.redirection == nil)
    }

    @Test func variablesAreLookedUpOnlyWhereTheyExpand() throws {
        var asked: [String] = []
        let commands = try CommandLineParser.parse(
            "a ${queue} '${single}' \"${camp}\" | grep ${queue} '${x}' # ${comment}"
        ) {
            name in
            asked.append(name)
            return variables[name]
        }
        #expect(asked == ["queue", "camp", "queue"])
        #expect(commands.first?.words == ["a", "Support", "${single}", "Réactivation Clients"])
        #expect(commands.first?.redirection == .pipe(command: "grep 'Support' '${x}'"))
    }

    /// A value reaches `/bin/sh` as one word, quoted or not, whatever it holds: never as code.
    @Test(arguments: ["printf '%s|' ${v}", "printf '%s|' \"${v}\"", "printf '%s|' \"<${v}>\""])
    func pipelineValuesAreOneWordForTheSystemShell(pipeline: String) throws {
        let hostile = #"it's "x" $HOME `id` \ ; rm -rf nothing"#
        let commands = try CommandLineParser.parse("a | " + pipeline) { $0 == "v" ? hostile : nil }
        guard case .pipe(let command) = commands.first?.redirection else {
            Issue.record("no pipeline")
            return
        }
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", command]
        let output = Pipe()
        shell.standardOutput = output
        try shell.run()
        shell.waitUntilExit()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed == (pipeline.contains("<") ? "<\(hostile)>|" : "\(hostile)|"))
        #expect(throws: CommandLineError("unknown variable 'nope'")) {
            try CommandLineParser.parse("a | grep ${nope}") { _ in nil }
        }
    }

    @Test func theTextIsKeptBeforeExpansion() throws {
        let commands = try parse("pause ${camp} > \"${queue}.txt\"")
        #expect(
            commands == [
                ParsedCommand(
                    words: ["pause", "Réactivation Clients"], redirection: .write(path: "Support.txt"),
                    text: "pause ${camp} > \"${queue}.txt\"")
            ])
    }

    // MARK: Redirection

    @Test(
        arguments: [
            ("list > out.txt", Redirection.write(path: "out.txt")),
            ("list >out.txt", .write(path: "out.txt")),
            ("list>out.txt", .write(path: "out.txt")),
            ("list >> log.txt", .append(path: "log.txt")),
            ("list >>log.txt", .append(path: "log.txt")),
            ("list>>log.txt", .append(path: "log.txt")),
            ("list > 'my file.txt'", .write(path: "my file.txt")),
            ("list > my\\ file.txt", .write(path: "my file.txt")),
            ("list > \"${queue} report.csv\"", .write(path: "Support report.csv")),
            ("list > ${camp}.txt", .write(path: "Réactivation Clients.txt")),
            ("list > out.txt # saved", .write(path: "out.txt")),
            ("list > '|;#'", .write(path: "|;#")),
            ("list '>' x", nil),
        ] as [(String, Redirection?)])
    func redirectionToAFile(line: String, expected: Redirection?) throws {
        let commands = try parse(line)
        #expect(commands.count == 1)
        #expect(commands.first?.words.first == "list")
        #expect(commands.first?.redirection == expected)
    }

    @Test func redirectionEndsAtTheSemicolon() throws {
        #expect(
            try parse("a > x; b >> y ; c") == [
                ParsedCommand(words: ["a"], redirection: .write(path: "x"), text: "a > x"),
                ParsedCommand(words: ["b"], redirection: .append(path: "y"), text: "b >> y"),
                ParsedCommand(words: ["c"], redirection: nil, text: "c"),
            ])
    }

    @Test func quotedOrEscapedOperatorsAreWords() throws {
        #expect(try words(#"echo '>' ">>" \| ';' a\>b"#) == [["echo", ">", ">>", "|", ";", "a>b"]])
    }

    // MARK: Pipelines

    @Test(arguments: [
        ("list | grep Support", "grep Support"),
        ("list|grep Support", "grep Support"),
        ("list |   sort -r  |  head -3   ", "sort -r  |  head -3"),
        ("list | grep 'a;b' | wc -l", "grep 'a;b' | wc -l"),
        ("list | grep \"a;b\"", "grep \"a;b\""),
        ("list | grep \"say \\\"x;y\\\"\"", "grep \"say \\\"x;y\\\"\""),
        ("list | grep a\\;b", "grep a\\;b"),
        ("list | awk '{print $1}' > out.txt", "awk '{print $1}' > out.txt"),
        ("list | grep Réactivation_Clients 🚀", "grep Réactivation_Clients 🚀"),
        ("list | grep x # keep only x", "grep x"),
        ("list | grep a#b", "grep a#b"),
        ("list | grep '#x'", "grep '#x'"),
        ("list || true", "| true"),
        ("list | cat <<< x", "cat <<< x"),
    ])
    func pipelineTextIsKeptVerbatim(line: String, expected: String) throws {
        let commands = try parse(line)
        #expect(commands.count == 1)
        #expect(commands.first?.words == ["list"])
        #expect(commands.first?.redirection == .pipe(command: expected))
    }

    @Test func pipelineEndsAtTheFirstUnquotedSemicolon() throws {
        #expect(
            try parse("list --all | grep 'x;y' | sort; status ; a | b") == [
                ParsedCommand(
                    words: ["list", "--all"], redirection: .pipe(command: "grep 'x;y' | sort"),
                    text: "list --all | grep 'x;y' | sort"),
                ParsedCommand(words: ["status"], text: "status"),
                ParsedCommand(words: ["a"], redirection: .pipe(command: "b"), text: "a | b"),
            ])
    }

    // MARK: Text

    @Test(arguments: [
        ("  pause  camp1  ", ["pause  camp1"]),
        ("a;  b c ;; d > f  ", ["a", "b c", "d > f"]),
        ("a 'x y'  # comment", ["a 'x y'"]),
        ("a \\  ", ["a \\ "]),
        ("set x \"Réactivation Clients\" ; echo ${queue}", ["set x \"Réactivation Clients\"", "echo ${queue}"]),
        ("list | sort ; b", ["list | sort", "b"]),
    ])
    func textIsTheTrimmedStatementAsTyped(line: String, expected: [String]) throws {
        #expect(try parse(line).map(\.text) == expected)
    }

    // MARK: UTF-8

    @Test(arguments: [
        "Réactivation_Clients",
        "Campagne été 2024",
        "🚀 Launch 🎯",
        "日本語キャンペーン",
        "Ünïcødé—name",
        "e\u{301}",
    ])
    func utf8NamesSurviveUntouched(name: String) throws {
        if !name.contains(" ") {
            #expect(
                try parse("pause \(name) > \(name).txt") == [
                    ParsedCommand(
                        words: ["pause", name], redirection: .write(path: "\(name).txt"),
                        text: "pause \(name) > \(name).txt")
                ])
        }
        #expect(try words("pause '\(name)' \"\(name)\" x'\(name)'y") == [["pause", name, name, "x\(name)y"]])
        let commands = try CommandLineParser.parse("pause ${n}") { $0 == "n" ? name : nil }
        #expect(commands.first?.words == ["pause", name])
        #expect(commands.first?.text == "pause ${n}")
    }

    // MARK: Errors

    @Test(arguments: [
        ("pause 'camp", "unclosed single quote"),
        ("pause \"camp", "unclosed double quote"),
        ("pause \"camp\\\"", "unclosed double quote"),
        ("pause 'a' \"b", "unclosed double quote"),
        ("pause camp\\", "line ends with a lone backslash"),
        ("pause \\", "line ends with a lone backslash"),
        ("pause ${camp2}", "unknown variable 'camp2'"),
        ("pause \"${nope}\"", "unknown variable 'nope'"),
        ("pause ${CAMP}", "unknown variable 'CAMP'"),
        ("pause ${camp", "'${' without a closing '}'"),
        ("pause \"${camp\"", "'${' without a closing '}'"),
        ("pause ${}", "empty variable name in '${}'"),
        ("pause ${1camp}", "invalid variable name '1camp'"),
        ("pause ${.x}", "invalid variable name '.x'"),
        ("pause ${a b}", "invalid variable name 'a b'"),
        ("pause ${a$b}", "invalid variable name 'a$b'"),
        ("list >", "'>' needs a file name"),
        ("list >>", "'>>' needs a file name"),
        ("list > ; b", "'>' needs a file name"),
        ("list > # comment", "'>' needs a file name"),
        ("list > | sort", "'>' needs a file name"),
        ("list > > f", "'>' needs a file name"),
        ("list > a > b", "only one redirection per command"),
        ("list > a >> b", "only one redirection per command"),
        ("list > a | sort", "only one redirection per command"),
        ("list > a b", "unexpected 'b' after the redirection"),
        ("list > a 'b c'", "unexpected ''b c'' after the redirection"),
        ("list >> a ${camp}", "unexpected '${camp}' after the redirection"),
        ("> f", "missing command before '>'"),
        (">> f", "missing command before '>>'"),
        ("a; > f", "missing command before '>'"),
        ("| sort", "missing command before '|'"),
        ("a ; | sort", "missing command before '|'"),
        ("list |", "'|' needs a command"),
        ("list |   ", "'|' needs a command"),
        ("list | ; b", "'|' needs a command"),
        ("list | # only a comment", "'|' needs a command"),
        ("list | grep 'x", "unclosed single quote"),
        ("list | grep \"x", "unclosed double quote"),
        ("list | grep x\\", "line ends with a lone backslash"),
        ("ok; pause 'x", "unclosed single quote"),
    ])
    func errorsAreOneClearLine(line: String, message: String) {
        #expect(throws: CommandLineError(message)) {
            try parse(line)
        }
    }

    @Test func errorDescriptionIsItsMessage() {
        do {
            _ = try CommandLineParser.parse("pause ${camp9}") { variables[$0] }
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "unknown variable 'camp9'")
            #expect(error.description == "unknown variable 'camp9'")
            #expect(!error.message.contains("\n"))
        }
    }

    @Test func aQuotedLineBreakStaysInOneWord() throws {
        let joined = "note 'first line\nsecond line'"
        #expect(try words(joined) == [["note", "first line\nsecond line"]])
    }

    // MARK: Variable names

    @Test(arguments: [
        ("camp", true), ("_x", true), ("a.b-c_1", true), ("Camp2", true),
        ("", false), ("1a", false), (".a", false), ("-a", false), ("a b", false), ("a$", false), ("é", false),
    ])
    func variableNames(name: String, valid: Bool) {
        #expect(CommandLineParser.isValidVariableName(name) == valid)
    }
}
