import ShellKit
import Testing

struct QuotingTests {
    static let hostileNames = [
        "Spring Sale 2026", "O'Brien's list", #"The "Big" \ one"#, "a;b|c>d#e${f}", "Réactivation_Clients",
    ]

    @Test(arguments: hostileNames)
    func quotedAndEscapedWordsParseBackToTheName(name: String) throws {
        for spelled in [ShellQuoting.quote(name), ShellQuoting.escape(name)] {
            let parsed = try CommandLineParser.parse("use \(spelled)", variable: { _ in nil })
            #expect(parsed.map(\.words) == [["use", name]], "spelled: \(spelled)")
        }
    }

    @Test func aPlainWordIsLeftAsItIs() {
        #expect(ShellQuoting.quote("Q4_Promo_East") == "Q4_Promo_East")
        #expect(ShellQuoting.escape("Réactivation_Clients") == "Réactivation_Clients")
        #expect(ShellQuoting.quote("") == "''")
    }

    /// A runbook is read line by line: a name with a line break is written as the campaign's id.
    @Test func aCampaignWithALineBreakInItsNameIsWrittenByItsId() {
        #expect(ShellQuoting.campaignWord(name: "Spring Sale", id: "c-1") == "'Spring Sale'")
        #expect(ShellQuoting.campaignWord(name: "Two\nLines", id: "c-1") == "c-1")
        #expect(ShellQuoting.campaignWord(name: "Carriage\rReturn", id: "c-2") == "c-2")
        #expect(ShellQuoting.quote("a\rb") == "'a\rb'")
    }

    @Test func theRequestSplitsTheCurrentCommandAtTheCursor() throws {
        let afterSpace = try #require(CompletionRequest(lineUpToCursor: "echo x; pause --yes "))
        #expect(afterSpace.words == ["pause", "--yes"])
        #expect(afterSpace.partial == "" && afterSpace.typed == "" && afterSpace.openQuote == nil)

        let escaped = try #require(CompletionRequest(lineUpToCursor: #"use Spring\ Sa"#))
        #expect(escaped.words == ["use"] && escaped.partial == "Spring Sa" && escaped.typed == #"Spring\ Sa"#)

        let quoted = try #require(CompletionRequest(lineUpToCursor: "use 'Spring Sa"))
        #expect(quoted.partial == "Spring Sa" && quoted.typed == "'Spring Sa" && quoted.openQuote == "'")

        let doubled = try #require(CompletionRequest(lineUpToCursor: #"use "The \"Big"#))
        #expect(doubled.partial == #"The "Big"# && doubled.openQuote == "\"")

        #expect(CompletionRequest(lineUpToCursor: "campaigns | gre") == nil)
        let redirect = try #require(CompletionRequest(lineUpToCursor: "campaigns --format csv >> out/q"))
        #expect(
            redirect.isFileName && redirect.partial == "out/q" && redirect.words == ["campaigns", "--format", "csv"])
        let glued = try #require(CompletionRequest(lineUpToCursor: "campaigns>"))
        #expect(glued.isFileName && glued.partial == "")
        #expect(try #require(CompletionRequest(lineUpToCursor: "campaigns > a; aud")).isFileName == false)
        #expect(CompletionRequest(lineUpToCursor: "# use Spr") == nil)
    }

    /// libedit stops its word at a space, even an escaped or quoted one in older versions: the replacement
    /// must fit whatever part of the typed word libedit took.
    @Test func replacementsFitTheWordLibeditTook() throws {
        let names = ["Spring Sale 2026", "Spring Sale 2027"]

        let plain = try #require(CompletionRequest(lineUpToCursor: "use Spr"))
        #expect(plain.replacements(for: [names[0]], editorWord: "Spr") == [#"Spring\ Sale\ 2026"#])

        let escaped = try #require(CompletionRequest(lineUpToCursor: #"use Spring\ Sa"#))
        #expect(
            escaped.replacements(for: names, editorWord: #"Spring\ Sa"#) == [
                #"Spring\ Sale\ 2026"#, #"Spring\ Sale\ 2027"#,
            ])
        #expect(escaped.replacements(for: names, editorWord: "Sa") == [#"Sale\ 2026"#, #"Sale\ 2027"#])

        let quoted = try #require(CompletionRequest(lineUpToCursor: "use 'Spring Sa"))
        #expect(quoted.replacements(for: [names[0]], editorWord: "Sa") == ["Sale 2026'"])  // closed: the only match
        #expect(quoted.replacements(for: names, editorWord: "Sa") == ["Sale 2026", "Sale 2027"])

        let apostrophe = try #require(CompletionRequest(lineUpToCursor: "use 'O"))
        #expect(apostrophe.replacements(for: ["O'Brien's list"], editorWord: "O") == [#"O'\''Brien'\''s list'"#])

        let doubled = try #require(CompletionRequest(lineUpToCursor: #"use "The"#))
        #expect(doubled.replacements(for: [#"The "Big" \ one"#], editorWord: "The") == [#"The \"Big\" \\ one""#])
    }

    @Test func aCompletedLineRunsWithTheName() throws {
        for typed in ["use Spr", #"use Spring\ S"#, "use 'Spring S", #"use "Spr"#] {
            let request = try #require(CompletionRequest(lineUpToCursor: typed))
            let editorWord = String(typed.split(separator: " ").last!)
            let replacement = try #require(
                request.replacements(for: ["Spring Sale 2026"], editorWord: editorWord).first)
            let line = typed.dropLast(editorWord.count) + replacement
            #expect(
                try CommandLineParser.parse(String(line), variable: { _ in nil }).map(\.words) == [
                    ["use", "Spring Sale 2026"]
                ])
        }
    }
}
