import Foundation
import GenesysEmulator
import GenesysTestSupport
import Testing

/// The shell against an API host that misbehaves (logins go to an emulator): each case ends within its
/// time limit with one error line and status 1, and nothing is asked for again that no retry can mend.
@Suite struct HostileServerTests {
    typealias Chunk = HostileServer.Chunk

    /// Runs `line` with the API at a hostile server playing `script`, logins at an emulator; the request
    /// timeout is 2 s.
    static func run(
        _ line: String, login: HostileServer.Script? = nil, _ script: @escaping HostileServer.Script
    ) async throws -> (ShellProcess.Result, [String]) {
        try await GenesysEmulator.withRunning { emulator in
            try await HostileServer.withRunning(script) { api, server in
                try await HostileServer.withRunning(login ?? { _, _, _ in [] }) { hostileLogin, _ in
                    let home = try ShellProcess.Home(environment: ["CAMPAIGNSH_REQUEST_TIMEOUT": "2"])
                    try """
                    GENESYS_CLIENT_ID=campaignsh-sandbox
                    GENESYS_CLIENT_SECRET=sandbox-secret
                    GENESYS_API_BASE=\(api)
                    GENESYS_LOGIN_BASE=\(login == nil ? emulator.baseURL : hostileLogin)
                    """.write(to: home.url.appending(path: ".env"), atomically: true, encoding: .utf8)
                    chmod(home.url.appending(path: ".env").path, 0o600)
                    let result = try await ShellProcess.run(["-c", line], home: home)
                    return (result, server.requests)
                }
            }
        }
    }

    static let listing = #"{"entities":[],"pageSize":100,"pageNumber":1,"total":0,"pageCount":1}"#

    @Test func aBodyDrippedAByteASecondTimesOut() async throws {
        let (result, requests) = try await Self.run("campaigns") { _, _, _ in
            [Chunk("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")]
                + (0..<100).map { _ in Chunk(after: .seconds(1), "{") }
        }
        #expect(result.status == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.hasPrefix("error: GET /api/v2/outbound/campaigns: timed out"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(requests.count <= 5)
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let (result, _) = try await Self.run("campaigns") { _, _, _ in [Chunk(after: .seconds(120), [])] }
        #expect(result.status == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("timed out"), "\(result.stderr)")
    }

    /// Too large, announced or not: refused once, not downloaded again by retries.
    @Test(arguments: [true, false]) func aResponseOverTheLimitIsRefusedOnce(announced: Bool) async throws {
        let megabyte = [UInt8](repeating: UInt8(ascii: " "), count: 1 << 20)
        let (result, requests) = try await Self.run("campaigns") { _, _, _ in
            let head =
                announced
                ? "HTTP/1.1 200 OK\r\nContent-Length: \(40 << 20)\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"
            return [Chunk(head)] + (0..<12).map { _ in Chunk(megabyte) }
        }
        #expect(result.status == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("the response is larger than this client reads"), "\(result.stderr)")
        #expect(requests.count == 1, "\(requests)")
    }

    /// A redirect is an error naming its target, never followed (it would take the token elsewhere).
    @Test func aRedirectIsNotFollowed() async throws {
        let (result, requests) = try await Self.run("campaigns") { _, _, _ in
            HostileServer.response(302, "Found", headers: [("Location", "http://collector.example/steal")])
        }
        #expect(result.status == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("redirected to http://collector.example/steal"), "\(result.stderr)")
        #expect(requests.count == 1, "\(requests)")
    }

    /// Pages that never end: the same page again and again, or a billion distinct ones.
    @Test(arguments: [true, false]) func endlessPagesStop(repeating: Bool) async throws {
        let (result, requests) = try await Self.run("campaigns") { _, _, index in
            let entities = (0..<100).map { n in
                #"{"id":"c-\#(repeating ? n : index * 100 + n)","name":"C\#(n)","campaignStatus":"off"}"#
            }
            return HostileServer.json(
                200,
                #"{"entities":[\#(entities.joined(separator: ","))],"pageSize":100,"pageCount":1000000000,"nextUri":"/api/v2/outbound/campaigns?pageNumber=2"}"#
            )
        }
        #expect(result.status == 1, "stderr: \(result.stderr)")
        let expected =
            repeating ? "page 2 repeats page 1" : "stopped after 1000 pages (the server reports 1000000000 pages)"
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(requests.filter { $0.hasPrefix("GET /api/v2/outbound/campaigns?") }.count <= 1_000, "\(requests.count)")
    }

    /// A login host that fails is not a refusal of the credentials.
    @Test func aFailingLoginHostIsNotReportedAsRefusedCredentials() async throws {
        let (result, _) = try await Self.run(
            "campaigns", login: { _, _, _ in HostileServer.json(500, #"{"error":"boom"}"#) }
        ) { _, _, _ in HostileServer.json(200, Self.listing) }
        #expect(result.status != 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("the login host is failing"), "\(result.stderr)")
        #expect(!result.stderr.contains("refused"), "\(result.stderr)")
    }

    /// HTML, empty and truncated answers: one clear line each.
    @Test(arguments: [
        ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 15\r\n\r\n<html>hi</html>", "not valid JSON"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "not valid JSON"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"entities\":[", "cut short"),
        ("SMTP ready\r\n\r\n", "not HTTP"),
    ])
    func anAnswerThatIsNotAListingIsOneLine(raw: String, says: String) async throws {
        let (result, _) = try await Self.run("campaigns") { _, _, _ in [Chunk(raw)] }
        #expect(result.status == 1, "stderr: \(result.stderr)")
        #expect(
            result.stderr.split(separator: "\n").count == 1 && result.stderr.hasPrefix("error: "), "\(result.stderr)")
        #expect(result.stderr.contains(says), "\(result.stderr)")
    }

    /// Names and messages from the server cannot drive the terminal: escaped in human output, exact in
    /// json, formulas neutralised in csv.
    @Test func escapeSequencesFromTheServerAreShownNotRun() async throws {
        let listing = #"""
            {"entities":[{"id":"c-1","name":"\u001b]0;pwned\u0007\u001b[2JEvil\u202e","campaignStatus":"off"},
            {"id":"c-2","name":"=cmd|' /C calc'!A0","campaignStatus":"off"}],"pageSize":100,"pageCount":1}
            """#
        func campaigns(_ format: String) async throws -> String {
            let (result, _) = try await Self.run("campaigns --format \(format)") { _, _, _ in
                HostileServer.json(200, listing)
            }
            #expect(result.status == 0, "stderr: \(result.stderr)")
            return result.stdout
        }
        let plain = try await campaigns("plain")
        #expect(plain.contains("c-1\t" + #"\x1b]0;pwned\x07\x1b[2JEvil\u202e"# + "\t"), "\(plain.debugDescription)")
        #expect(!plain.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
        let csv = try await campaigns("csv")
        #expect(csv.contains("\r\nc-2,'=cmd|' /C calc'!A0,"), "\(csv.debugDescription)")
        let json = try await campaigns("json")
        let rows = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        #expect(rows?.first?["name"] as? String == "\u{1B}]0;pwned\u{07}\u{1B}[2JEvil\u{202E}")

        let (failed, _) = try await Self.run("campaigns") { _, _, _ in
            HostileServer.json(400, #"{"status":400,"code":"bad","message":"no\u001b[2J\nway"}"#)
        }
        #expect(failed.status == 1)
        #expect(
            failed.stderr.hasSuffix(#"bad: no\x1b[2J\nway"# + "\n") && failed.stderr.split(separator: "\n").count == 1,
            "\(failed.stderr.debugDescription)")
    }
}
