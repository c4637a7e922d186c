import AuditStore
import CampaignControl
import Foundation
import GenesysCloud
import GenesysEmulator
import GenesysTestSupport
import JSONDocument
import PropertyBased
import Testing

/// Campaigns generated from the official SDK's `Campaign` model (the schema `scripts/conformance/schema`
/// made from PureCloudPlatformClientV2): optional fields left out at random, unknown fields added at
/// every level, decimals where the SDK says integer, odd number spellings and unknown enum values.
/// Whatever the shape, list, show, activate and pause work, and every field the client did not change is
/// on the server afterwards exactly as it was.
@Suite struct GeneratedCampaignTests {
    /// The generated schema, read as plain JSON: the generator owes nothing to the client's or the emulator's types.
    static let models: JSONObject = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appending(path: "../../Sources/GenesysEmulator/Resources/sdk-schema.json").standardizedFileURL
        let schema = try? JSONValue(parsing: (try? Data(contentsOf: url)) ?? Data())
        return schema?["models"]?.objectValue ?? [:]
    }()

    /// Members the emulator needs to turn any campaign on (docs/genesys-api.md, "Required fields"); the rest may go.
    static let kept: Set<String> = [
        "name", "contactList", "queue", "dialingMode", "script", "edgeGroup", "phoneColumns", "callerName",
        "callerAddress", "outboundLineCount", "callAnalysisResponseSet",
    ]
    /// Members the test sets itself, or that would make the campaign not activatable.
    static let fixed: Set<String> = [
        "id", "version", "campaignStatus", "errors", "selfUri", "dynamicContactQueueingSettings",
    ]

    /// SplitMix64: seeded from the property checker's generator, so a failing case replays with `.fixedSeed`.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    struct CampaignShapes {
        var rng: SplitMix

        mutating func chance(_ rate: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < rate }

        mutating func text() -> String {
            let pieces = ["Q4", "é", "Ünïcode", "日本", " ", "-", "_", "promo", "\"q\"", "\\", "42"]
            return (0..<Int.random(in: 1...4, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
        }

        /// A number spelled the way a server might: integral, a decimal, trailing zeros, an exponent.
        mutating func number(integral: Bool) -> JSONValue {
            let whole = Int.random(in: 1...40, using: &rng)
            let spellings =
                integral
                ? ["\(whole)", "\(whole).0", "\(whole).5", "\(whole)e0"]
                : ["\(whole).25", "\(whole).50", "\(whole)", "2.5E1", "0.125"]
            return .number(JSONNumber(literal: spellings.randomElement(using: &rng)!)!)
        }

        mutating func unknownMembers(into object: inout JSONObject) {
            for index in 0..<Int.random(in: 0...2, using: &rng) {
                object["futureField\(index)"] =
                    chance(0.5) ? number(integral: false) : ["nested": .string(text()), "list": [1, 2.5, nil, true]]
            }
        }

        mutating func value(_ type: JSONValue, field: String, depth: Int) -> JSONValue {
            if let reference = type["$ref"]?.stringValue { return model(reference, depth: depth + 1) }
            switch type["type"]?.stringValue {
            case "string":
                if let values = type["enum"]?.arrayValue?.compactMap(\.stringValue), !values.isEmpty {
                    return .string(
                        chance(0.2)
                            ? "newer_value_\(Int.random(in: 1...9, using: &rng))" : values.randomElement(using: &rng)!)
                }
                return type["format"]?.stringValue == "date-time" ? "2026-11-30T08:00:00.000Z" : .string(text())
            case "integer": return number(integral: true)
            case "number": return number(integral: false)
            case "boolean": return .bool(chance(0.5))
            case "array":
                guard depth < 3, let items = type["items"] else { return [] }
                return .array(
                    (0..<Int.random(in: 0...2, using: &rng)).map { _ in value(items, field: field, depth: depth + 1) })
            case "object":
                guard let members = type["additionalProperties"], depth < 3 else { return [:] }
                return .object(JSONObject([("k\(depth)", value(members, field: field, depth: depth + 1))]))
            default:
                return .string(text())  // `{}`: any JSON
            }
        }

        mutating func model(_ name: String, depth: Int) -> JSONValue {
            guard depth < 4, let fields = GeneratedCampaignTests.models[name]?.objectValue else { return [:] }
            var object = JSONObject()
            for (field, type) in fields where chance(0.6) {
                object[field] = value(type, field: field, depth: depth)
            }
            unknownMembers(into: &object)
            return .object(object)
        }

        /// A campaign that can be turned on: the members the emulator requires, any others at random.
        mutating func campaign(id: String, queue: String) -> JSONObject {
            var object = JSONObject()
            for (field, type) in GeneratedCampaignTests.models["Campaign"]?.objectValue ?? [:] {
                guard !GeneratedCampaignTests.fixed.contains(field),
                    GeneratedCampaignTests.kept.contains(field) || chance(0.5)
                else { continue }
                object[field] = value(type, field: field, depth: 0)
            }
            object["id"] = .string(id)
            object["version"] = number(integral: true).intValue.map { JSONValue.number(JSONNumber($0)) } ?? 1
            object["campaignStatus"] = "off"
            object["queue"] = ["id": .string(queue), "name": "Sales Outbound", "futureRef": 1.50]
            object["contactList"] = ["id": "list-1", "name": .string(text())]
            object["dialingMode"] =
                chance(0.2)
                ? "newer_mode" : .string(["power", "predictive", "progressive"].randomElement(using: &rng)!)
            object["phoneColumns"] =
                chance(0.5)
                ? [["columnName": "Cell"]] : [["columnName": "Cell", "type": "cell"], ["columnName": "Home"]]
            object["outboundLineCount"] = number(integral: true).intValue.map { JSONValue.number(JSONNumber($0)) } ?? 5
            // References the emulator requires carry an id, whatever else was generated into them.
            for reference in ["script", "edgeGroup", "callAnalysisResponseSet"] {
                var ref = object[reference] ?? [:]
                if ref.objectValue == nil { ref = [:] }
                ref["id"] = .string("\(reference)-1")
                object[reference] = ref
            }
            if chance(0.5) { object["errors"] = [] }
            unknownMembers(into: &object)
            return object
        }
    }

    struct Case: Sendable, CustomStringConvertible {
        var document: JSONObject
        var description: String { JSONValue.object(document).jsonText }
    }

    static func cases() -> PropertyBased.Generator<Case, Shrink.None<Case>> {
        PropertyBased.Generator { rng in
            var shapes = CampaignShapes(rng: SplitMix(state: rng.next()))
            let id = UUID(uuid: (0..<16).map { _ in UInt8.random(in: 0...255, using: &shapes.rng) }.tuple).uuidString
                .lowercased()
            return Case(document: shapes.campaign(id: id, queue: EmulatorHarness.demoQueueID("Sales Outbound")))
        }
    }

    @Test func everyShapeTheSDKAllowsCanBeListedShownActivatedAndPausedAndKeepsItsFields() async throws {
        #expect(Self.models["Campaign"]?.objectValue?["maxCallsPerAgentDecimal"] != nil, "the schema fixture was read")
        // 40 campaigns, each listed, shown, pre-flighted, activated and paused: more than 300 requests a minute.
        try await EmulatorHarness.run(configure: {
            $0.stoppingDelay = .zero
            $0.rateLimit = 100_000
        }) { harness in
            let engine = TransitionEngine(
                client: harness.client, audit: nil, notifier: nil,
                actor: AuditActorFixture.actor, session: "generated"
            )
            var options = TransitionOptions()
            options.pollInterval = .milliseconds(20)
            options.timeout = .seconds(10)
            options.clock = .immediate()
            await propertyCheck(count: 40, input: Self.cases()) { generated in
                let id = generated.document["id"]!.stringValue!
                let sent = JSONValue.object(generated.document)
                try await harness.control("PUT", "/campaigns/\(id)", sent.jsonText)

                let listed = try await harness.client.campaigns()
                #expect(listed.contains { $0.id == id })
                let shown = try await harness.client.campaign(id: id)
                #expect(shown.json.prettyText.isEmpty == false)

                let on = try await engine.perform(.activate, on: .campaign(shown), options: options)
                #expect(on.outcome == .success, "activate: \(on.message ?? "")")
                let off = try await engine.perform(
                    .pause, on: .campaign(try await harness.client.campaign(id: id)), options: options)
                #expect(off.outcome == .success && off.to == .status(.off), "pause: \(off.message ?? "")")

                let stored = try await harness.client.campaign(id: id).document
                for member in generated.document.members
                where !["version", "campaignStatus", "dateModified"].contains(member.key) {
                    #expect(stored[member.key]?.jsonText == member.value.jsonText, "\(member.key) was rewritten")
                }
            }
        }
    }
}

extension Array where Element == UInt8 {
    var tuple: uuid_t {
        (
            self[0], self[1], self[2], self[3], self[4], self[5], self[6], self[7], self[8], self[9], self[10],
            self[11], self[12], self[13], self[14], self[15]
        )
    }
}

enum AuditActorFixture {
    static let actor = AuditActor(profile: "test", clientID: "client", osUser: "tester", host: "host")
}
