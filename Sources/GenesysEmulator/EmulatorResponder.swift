import Foundation
import HTTPTypes
import Hummingbird
import JSONDocument
import NIOCore

/// The request context: Hummingbird's basics plus whether the caller is on this machine.
struct EmulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let peerIsLoopback: Bool

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerIsLoopback = source.channel.remoteAddress?.ipAddress.map(Self.isLoopback) ?? false
    }

    private static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }
}

/// Serves `/oauth/token` (the login role), `/api/v2/…` (the API role) and `/emulator/v1/…` (test control)
/// on one port, adding `ININ-Correlation-ID` to every answer and logging every API request.
struct EmulatorResponder: HTTPResponder {
    let org: EmulatorOrg

    func respond(to request: Request, context: EmulatorRequestContext) async throws -> Response {
        var request = request
        let correlationID = UUID().uuidString.lowercased()
        let body = Array(try await request.collectBody(upTo: 16 << 20).readableBytesView)
        let path = request.uri.path
        let query = Self.parameters(request.uri.query)
        let segments = path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        let method = request.method.rawValue

        if segments.first == "emulator" {
            let reply =
                context.peerIsLoopback ? await control(method, Array(segments.dropFirst()), body: body) : .notFound()
            return Self.response(Self.outgoing(reply, correlationID: correlationID), correlationID: correlationID)
        }

        let reply: Reply
        if segments == ["oauth", "token"] {
            reply = await admitted(method: method, path: path, bearer: nil) { _ in
                await issueToken(method: method, authorization: request.headers[.authorization], body: body)
            }
        } else {
            let bearer = request.headers[.authorization].flatMap { header in
                header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)) : nil
            }
            reply = await admitted(method: method, path: path, bearer: bearer) { rateLimitHeaders in
                var reply = await api(method, segments, query: query, body: body)
                reply.headers += rateLimitHeaders
                return reply
            }
        }
        // Checked before logging, so the log shows the 500 of a served document that breaks the SDK's model.
        let outgoing = Self.outgoing(reply, correlationID: correlationID)
        await org.log(
            LoggedRequest(
                method: method, path: path, query: request.uri.query, status: outgoing.status,
                correlationId: correlationID, time: EmulatorOrg.timestamp()
            )
        )
        return Self.response(outgoing, correlationID: correlationID)
    }

    /// Runs `handler` unless authentication, an injected fault or the rate limit answers first.
    private func admitted(
        method: String, path: String, bearer: String?, _ handler: ([(String, String)]) async -> Reply
    ) async -> Reply {
        var admission = await org.admit(method: method, path: path, bearer: bearer)
        if case .delayed(let delay) = admission {
            try? await Task.sleep(for: delay)
            admission = await org.admit(method: method, path: path, bearer: bearer, afterDelay: true)
        }
        switch admission {
        case .admitted(let rateLimitHeaders): return await handler(rateLimitHeaders)
        case .refused(let reply): return reply
        case .delayed: return .error(500, ErrorCode.internalServerError, "unexpected second delay")
        }
    }

    // MARK: OAuth

    /// Client credentials as the SDKs send them: HTTP Basic and a form body `grant_type=client_credentials`.
    /// Credentials in the body (the seed tutorial's mistake) are not accepted.
    private func issueToken(method: String, authorization: String?, body: [UInt8]) async -> Reply {
        guard method == "POST" else { return .notFound() }
        let form = Self.parameters(String(decoding: body, as: UTF8.self))
        guard form.first(where: { $0.0 == "grant_type" })?.1 == "client_credentials" else {
            return Reply(
                status: 400,
                body: .oauthError(error: "unsupported_grant_type", description: "grant type is not supported"))
        }
        let configuration = org.configuration
        guard let authorization, authorization.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(authorization.dropFirst(6)))
                .map({ String(decoding: $0, as: UTF8.self) }),
            let colon = decoded.firstIndex(of: ":"),
            let token = await org.issueToken(
                clientID: String(decoded[..<colon]), clientSecret: String(decoded[decoded.index(after: colon)...])
            )
        else {
            return Reply(
                status: configuration.authenticationFailureStatus,
                body: .oauthError(error: "invalid_client", description: "authentication failed")
            )
        }
        return .unchecked([
            "access_token": .string(token), "token_type": "bearer",
            "expires_in": JSONValue(configuration.tokenLifetimeSeconds),
        ])
    }

    // MARK: API

    private func api(_ method: String, _ segments: [String], query: [(String, String)], body: [UInt8]) async -> Reply {
        let listQuery: ListQuery
        do {
            listQuery = try ListQuery(query)
        } catch {
            return .badRequest(error.message, code: ErrorCode.invalidValue)
        }
        // What schedules and sequences made due since the last request happens before this one is answered.
        await org.actOnDrivers()
        switch (method, segments) {
        case ("GET", ["api", "v2", "outbound", "campaigns"]):
            return await org.listCampaigns(listQuery)
        case ("POST", ["api", "v2", "outbound", "campaigns"]):
            return await org.createCampaign(body)
        case ("POST", ["api", "v2", "outbound", "campaigns", "progress"]):
            return await org.campaignsProgress(body)
        case ("GET", ["api", "v2", "routing", "queues"]):
            return await org.listQueues(listQuery)
        case ("POST", ["api", "v2", "analytics", "queues", "observations", "query"]):
            return await org.queueObservations(body)
        case ("POST", ["api", "v2", "audits", "query", "realtime"]):
            return await org.auditQuery(body)
        case ("POST", ["api", "v2", "notifications", "channels"]):
            return await org.createChannel()
        case ("HEAD", let path) where path.count == 5 && path.starts(with: ["api", "v2", "notifications", "channels"]):
            return await org.channelExists(path[4])
        case (_, let path)
        where path.count == 6 && path.starts(with: ["api", "v2", "notifications", "channels"])
            && path[5] == "subscriptions":
            return await org.subscriptions(method, path[4], body)
        case ("GET", ["api", "v2", "outbound", "schedules", "campaigns"]):
            return await org.listSchedules(.schedules)
        case ("GET", ["api", "v2", "outbound", "schedules", "sequences"]):
            return await org.listSchedules(.sequenceSchedules)
        case ("GET", ["api", "v2", "outbound", "events"]):
            return await org.listEvents(listQuery, parameters: query)
        case (_, let path)
        where path.count == 6 && path.starts(with: ["api", "v2", "outbound", "schedules"])
            && ["campaigns", "sequences"].contains(path[4]):
            let kind: DriverStore.Kind = path[4] == "campaigns" ? .schedules : .sequenceSchedules
            switch method {
            case "GET": return await org.getDriver(kind, path[5])
            case "PUT": return await org.replaceDriver(kind, path[5], body)
            case "DELETE": return await org.deleteDriver(kind, path[5])
            default: return .notFound()
            }
        case ("GET", let path) where path.count == 4 && path.starts(with: ["api", "v2", "outbound"]):
            guard let kind = DriverStore.Kind(rawValue: path[3]), kind.listing != nil else { break }
            return await org.listDrivers(kind, listQuery, parameters: query)
        case (_, let path) where path.count >= 5 && path.starts(with: ["api", "v2", "outbound"]):
            guard let kind = DriverStore.Kind(rawValue: path[3]), !kind.isSchedule else { break }
            switch (method, path.dropFirst(5).first) {
            case ("GET", nil): return await org.getDriver(kind, path[4], query: query)
            case ("PUT", nil) where kind.isWritable: return await org.replaceDriver(kind, path[4], body)
            case ("GET", "importstatus") where kind == .contactLists || kind == .dncLists:
                return await org.importStatus(kind, path[4])
            default: return .notFound()
            }
        default:
            break
        }
        if segments.count >= 5, segments.starts(with: ["api", "v2", "outbound", "campaigns"]) {
            let id = segments[4]
            switch (method, segments.dropFirst(5).first) {
            case ("GET", nil): return await org.getCampaign(id)
            case ("PUT", nil): return await recordingStatusChange(id) { await org.replaceCampaign(id, body: body) }
            case ("PATCH", nil): return await org.patchCampaign(id, body: body)
            case ("DELETE", nil): return await org.deleteCampaign(id)
            case ("POST", "start"):
                return await recordingStatusChange(id) { await org.setStatus(id, to: CampaignStatus.on) }
            case ("POST", "stop"):
                return await recordingStatusChange(id) { await org.setStatus(id, to: CampaignStatus.off) }
            case ("GET", "progress"): return await org.campaignProgress(id)
            case ("GET", "diagnostics"): return await org.diagnostics(id)
            case ("DELETE", "progress"): return await org.recycleCampaign(id)
            case ("GET", "stats"): return await org.campaignStats(id)
            default: break
            }
        }
        if segments.count == 6, segments.starts(with: ["api", "v2", "routing", "queues"]), segments[5] == "members",
            method == "GET"
        {
            return await org.queueMembers(segments[4], listQuery)
        }
        return .notFound()
    }

    /// Runs a request that may change the campaign's status, and records a change for the audit query.
    private func recordingStatusChange(_ id: String, _ handle: () async -> Reply) async -> Reply {
        let before = await org.status(of: id)
        let reply = await handle()
        await org.recordUserChange(id, from: before)
        return reply
    }

    // MARK: Test control

    private func control(_ method: String, _ segments: [String], body: [UInt8]) async -> Reply {
        do throws(ReplyError) {
            switch (method, segments) {
            case ("GET", ["v1", "requests"]):
                return .unchecked(["requests": .array(await org.requestLog.map(\.jsonValue))])
            case ("POST", ["v1", "reset"]):
                await org.reset()
                return .noContent
            case ("POST", ["v1", "faults"]):
                var fault = try ControlDocument(body)
                let (status, delay, longestDelay, retryAfter) = (
                    fault.count("status"), fault.count("delayMs"), fault.count("delayMaxMs"), fault.count("retryAfter")
                )
                let (path, count, percent, seed) = (
                    fault.text("path"), fault.count("count"), fault.count("percent"), fault.count("seed")
                )
                try fault.check()
                guard status != nil || delay != nil else {
                    return .badRequest("a fault needs \"status\" or \"delayMs\"")
                }
                if let percent, !(1...100).contains(percent) { return .badRequest("\"percent\" is 1 to 100") }
                await org.addFault(
                    .init(
                        status: status, delay: delay.map { .milliseconds($0) },
                        longestDelay: longestDelay.map { .milliseconds($0) }, retryAfter: retryAfter,
                        pathPrefix: path, remaining: count ?? (percent == nil ? 1 : Int.max), percent: percent),
                    seed: seed.map(UInt64.init))
                return .noContent
            case ("POST", ["v1", "clock"]):
                var clock = try ControlDocument(body)
                let seconds = clock.count("advanceSeconds")
                try clock.check()
                return await org.advanceClock(by: TimeInterval(seconds ?? 0))
            case ("PUT", let path) where path.count == 3 && DriverStore.Kind(rawValue: path[1]) != nil:
                return await org.putDriver(DriverStore.Kind(rawValue: path[1])!, path[2], body)
            case ("POST", let path) where path.count == 4 && path[1] == "channels":
                return await org.controlChannel(path[2], path[3])
            case ("GET", ["v1", "channels"]):
                return await org.channelIDs()
            case ("POST", ["v1", "notifications", "skip"]):
                var skip = try ControlDocument(body)
                let count = skip.count("count")
                try skip.check()
                await org.skipEvents(count ?? 1)
                return .noContent
            case ("POST", ["v1", "tokens", "revoke"]):
                await org.revokeTokens()
                return .noContent
            case ("POST", let path) where path.count == 4 && path[1] == "campaigns" && path[3] == "bump":
                var bump = try ControlDocument(body)
                let beforeNextPuts = bump.count("beforeNextPuts")
                try bump.check()
                return await org.bump(path[2], beforeNextPuts: beforeNextPuts)
            case ("POST", let path) where path.count == 4 && path[1] == "campaigns" && path[3] == "state":
                return await org.overrideState(path[2], try StateOverride(parsing: body))
            case ("PUT", let path) where path.count == 3 && path[1] == "campaigns":
                return await org.putCampaign(path[2], try RequestBody.object(body, as: "Campaign"))
            case ("PUT", let path) where path.count == 4 && path[1] == "queues" && path[3] == "agents":
                var agents = try ControlDocument(body)
                var counts: [String: Int] = [:]
                for status in agents.object.keys { counts[status] = agents.count(status) }
                try agents.check()
                return await org.setAgents(path[2], counts)
            default:
                return .notFound()
            }
        } catch {
            return error.reply
        }
    }

    // MARK: Encoding

    /// A reply ready to send: its status, headers and bytes.
    struct Outgoing {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]?
    }

    /// Serializes `reply`. A document that does not fit its SDK model is an emulator bug: it is answered
    /// as a 500 naming the violation, so the test that met it fails loudly.
    static func outgoing(_ reply: Reply, correlationID: String) -> Outgoing {
        switch reply.body {
        case .none:
            return Outgoing(status: reply.status, headers: reply.headers, body: nil)
        case .document(let value, let model):
            let violations: [SchemaViolation]
            let name: String
            switch model {
            case .model(let model): (violations, name) = (SDKSchema.shared.validate(value, as: model), model)
            case .listOf(let model):
                (violations, name) = (SDKSchema.shared.validate(value, asListOf: model), "list of \(model)")
            case .unchecked: (violations, name) = ([], "")
            }
            guard violations.isEmpty else {
                let message = "The emulator served a \(name) that does not fit the SDK's model: \(violations.summary)"
                let error: JSONValue = [
                    "message": .string(message), "code": .string(ErrorCode.internalServerError), "status": 500,
                    "contextId": .string(correlationID),
                ]
                return Outgoing(status: 500, headers: reply.headers, body: error.serialized())
            }
            return Outgoing(status: reply.status, headers: reply.headers, body: value.serialized())
        case .error(let code, let message):
            let error: JSONValue = [
                "message": .string(message), "code": .string(code), "status": JSONValue(reply.status),
                "contextId": .string(correlationID),
            ]
            return outgoing(
                Reply(status: reply.status, body: .document(error, .model("ErrorBody")), headers: reply.headers),
                correlationID: correlationID)
        case .oauthError(let error, let description):
            let body: JSONValue = [
                "error": .string(error), "description": .string(description), "error_description": .string(description),
            ]
            return Outgoing(status: reply.status, headers: reply.headers, body: body.serialized())
        }
    }

    private static func response(_ outgoing: Outgoing, correlationID: String) -> Response {
        var headers = HTTPFields()
        headers[HTTPField.Name("ININ-Correlation-ID")!] = correlationID
        for (name, value) in outgoing.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        guard let body = outgoing.body else { return Response(status: .init(code: outgoing.status), headers: headers) }
        headers[.contentType] = "application/json; charset=UTF-8"
        return Response(
            status: .init(code: outgoing.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
        )
    }

    /// `a=1&b=x%20y&a=2` as ordered pairs; repeated keys stay repeated, `+` is a space.
    static func parameters(_ query: String?) -> [(String, String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}

/// A test-control document: an object whose members are checked as they are read, refused with every
/// problem named.
struct ControlDocument {
    let object: JSONObject
    private var violations: [SchemaViolation] = []

    /// An empty body reads as `{}`.
    init(_ bytes: [UInt8]) throws(ReplyError) {
        let value = try RequestBody.parse(bytes, empty: [:])
        guard let object = value.objectValue else {
            throw ReplyError(.badRequest("expected a JSON object, got \(SDKSchema.describe(value))"))
        }
        self.object = object
    }

    /// The member `key`, unless it is absent or `null`.
    func given(_ key: String) -> JSONValue? {
        object[key].flatMap { $0.isNull ? nil : $0 }
    }

    /// A whole number of at least 0; `nil` when absent or `null`.
    mutating func count(_ key: String) -> Int? {
        guard let value = given(key) else { return nil }
        guard let number = value.intValue, number >= 0 else {
            let reason = "expected a whole number of at least 0, got \(SDKSchema.describe(value))"
            violations.append(SchemaViolation(path: key, reason: reason))
            return nil
        }
        return number
    }

    /// Text; `nil` when absent or `null`.
    mutating func text(_ key: String) -> String? {
        guard let value = given(key) else { return nil }
        guard let text = value.stringValue else {
            violations.append(SchemaViolation(path: key, reason: "expected text, got \(SDKSchema.describe(value))"))
            return nil
        }
        return text
    }

    /// Adds problems found by other checks (the SDK schema) to those reported by ``check()``.
    mutating func include(_ found: [SchemaViolation]) {
        violations += found
    }

    /// Refuses the document if anything read so far was of the wrong kind.
    func check() throws(ReplyError) {
        guard violations.isEmpty else {
            throw ReplyError(
                .badRequest("The document is not valid: \(violations.summary)", code: ErrorCode.invalidProperty))
        }
    }
}
