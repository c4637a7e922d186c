import JSONDocument
import Testing

@testable import GenesysEmulator

/// What the emulator serves is checked against the SDK's response models; a document that breaks one is
/// an emulator bug, answered as a 500 so the test that met it fails. Tested on the encoder itself, since
/// no request can make the emulator store a document of the wrong kind.
@Suite struct ServedDocumentTests {
    static func body(_ outgoing: EmulatorResponder.Outgoing) throws -> JSONValue {
        try JSONValue(parsing: try #require(outgoing.body))
    }

    @Test func aServedDocumentOfTheWrongKindIsA500NamingTheViolation() throws {
        let stats: JSONObject = ["idleAgents": "six", "linesUtilization": ["assignedOutboundLines": 2]]
        let outgoing = EmulatorResponder.outgoing(.document(stats, as: "CampaignStats"), correlationID: "c-1")
        #expect(outgoing.status == 500)
        let body = try Self.body(outgoing)
        #expect(body["code"] == "internal.server.error")
        #expect(body["contextId"] == "c-1")
        #expect(
            body["message"]
                == #"The emulator served a CampaignStats that does not fit the SDK's model: idleAgents: expected a number, got text ("six")"#
        )
    }

    @Test func listsAndErrorBodiesAreCheckedToo() throws {
        let progress = Reply(status: 200, body: .document([["percentage": "half"]], .listOf("CampaignProgress")))
        let refused = EmulatorResponder.outgoing(progress, correlationID: "c-2")
        #expect(refused.status == 500)
        #expect(
            try Self.body(refused)["message"]?.stringValue?.contains(
                #"[0].percentage: expected a number, got text ("half")"#) == true)

        let error = EmulatorResponder.outgoing(.badRequest("no"), correlationID: "c-3")
        #expect(error.status == 400)
        #expect(try Self.body(error) == ["message": "no", "code": "bad.request", "status": 400, "contextId": "c-3"])
    }
}
