import ArgumentParser
import Testing

@testable import ShellKit

/// A plugin for the tests: a command with a subcommand, options and values to complete.
enum SamplePlugin: ShellPlugin {
    static let name = "Sample"
    static let commands: [any ShellCommand.Type] = [Greet.self, Group.self]

    static func completions(words: [String], partial: String, components: ShellComponents) -> [String] {
        words == ["greet"] ? ["Réactivation_Clients", "Q4_Promo_East"] : []
    }

    struct Greet: ShellCommand {
        static let configuration = CommandConfiguration(commandName: "greet", abstract: "Say hello.")
        @Argument var name: String
        @Option var times = 1
        @Flag var loud = false

        func run(in context: CommandContext) async throws {
            context.emit(.text(String(repeating: "hello \(name)\n", count: times)))
        }
    }

    struct Group: ShellCommand {
        static let configuration = CommandConfiguration(
            commandName: "group", abstract: "Parent.", subcommands: [Child.self])
        func run(in context: CommandContext) async throws {}

        struct Child: ShellCommand {
            static let configuration = CommandConfiguration(commandName: "child", abstract: "Child.")
            @Option var depth = 0
            func run(in context: CommandContext) async throws {}
        }
    }
}

@Suite struct ShellRunnerTests {
    let catalog = CommandCatalog(plugins: [SamplePlugin.self])

    @Test func completionOffersCommandsSubcommandsOptionsAndValues() {
        let components = ShellComponents()
        #expect(catalog.completions(words: [], partial: "gr", components: components) == ["greet", "group"])
        #expect(catalog.completions(words: ["group"], partial: "", components: components) == ["child"])
        #expect(
            catalog.completions(words: ["greet"], partial: "--", components: components) == [
                "--format", "--help", "--loud", "--times",
            ])
        #expect(catalog.completions(words: ["group", "child"], partial: "--d", components: components) == ["--depth"])
        #expect(
            catalog.completions(words: ["greet"], partial: "Ré", components: components) == ["Réactivation_Clients"])
        #expect(catalog.completions(words: ["nope"], partial: "", components: components).isEmpty)
    }

    @Test func theFormatOptionIsTakenFromAnyCommand() throws {
        var words = ["greet", "x", "--format", "json"]
        #expect(try ShellRunner.takeFormat(from: &words) == .json)
        #expect(words == ["greet", "x"])
        var inline = ["greet", "--format=csv", "x"]
        #expect(try ShellRunner.takeFormat(from: &inline) == .csv)
        var foreign = ["metrics", "export", "--format", "prometheus"]  // left for the command's own option
        #expect(try ShellRunner.takeFormat(from: &foreign) == nil)
        #expect(foreign == ["metrics", "export", "--format", "prometheus"])
        var missing = ["greet", "--format"]
        #expect(throws: ShellError.self) { try ShellRunner.takeFormat(from: &missing) }
    }
}
