import Foundation
import GenesysCloud
import HTTPTypes
import Hummingbird
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
        let body = Data(try await request.collectBody(upTo: 16 << 20).readableBytesView)
        let path = request.uri.path
        let query = Self.parameters(request.uri.query)
        let segments = path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        let method = request.method.rawValue

        if segments.first == "emulator" {
            guard context.peerIsLoopback else { return Self.response(.notFound(), correlationID: correlationID) }
            let reply = await control(method, Array(segments.dropFirst()), body: body)
            return Self.response(reply, correlationID: correlationID)
        }

        var reply: Reply
        if segments == ["oauth", "token"] {
            reply = await admitted(path: path, bearer: nil) { _ in
                await issueToken(method: method, authorization: request.headers[.authorization], body: body)
            }
        } else {
            let bearer = request.headers[.authorization].flatMap { header in
                header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)) : nil
            }
            reply = await admitted(path: path, bearer: bearer) { rateLimitHeaders in
                var reply = await api(method, segments, query: query, body: body)
                reply.headers += rateLimitHeaders
                return reply
            }
        }
        await org.log(
            LoggedRequest(
                method: method, path: path, query: request.uri.query, status: reply.status,
                correlationId: correlationID, time: EmulatorOrg.timestamp()
            )
        )
        return Self.response(reply, correlationID: correlationID)
    }

    /// Runs `handler` unless authentication, an injected fault or the rate limit answers first.
    private func admitted(
        path: String, bearer: String?, _ handler: ([(String, String)]) async -> Reply
    ) async -> Reply {
        var admission = await org.admit(path: path, bearer: bearer)
        if case .delayed(let delay) = admission {
            try? await Task.sleep(for: delay)
            admission = await org.admit(path: path, bearer: bearer, afterDelay: true)
        }
        switch admission {
        case .admitted(let rateLimitHeaders): return await handler(rateLimitHeaders)
        case .refused(let reply): return reply
        case .delayed: return .error(500, "internal.server.error", "unexpected second delay")
        }
    }

    // MARK: OAuth

    /// Client credentials as the SDKs send them: HTTP Basic and a form body `grant_type=client_credentials`.
    /// Credentials in the body (the seed tutorial's mistake) are not accepted.
    private func issueToken(method: String, authorization: String?, body: Data) async -> Reply {
        guard method == "POST" else { return .notFound() }
        let form = Self.parameters(String(decoding: body, as: UTF8.self))
        guard form.first(where: { $0.0 == "grant_type" })?.1 == "client_credentials" else {
            return Reply(
                status: 400,
                body: .oauthError(OAuthErrorBody(error: "unsupported_grant_type", description: "grant type is not supported"))
            )
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
                body: .oauthError(OAuthErrorBody(error: "invalid_client", description: "authentication failed"))
            )
        }
        struct TokenResponse: Encodable {
            var access_token: String
            var token_type = "bearer"
            var expires_in: Int
        }
        return .json(TokenResponse(access_token: token, expires_in: configuration.tokenLifetimeSeconds))
    }

    // MARK: API

    private func api(_ method: String, _ segments: [String], query: [(String, String)], body: Data) async -> Reply {
        let listQuery: ListQuery
        do {
            listQuery = try ListQuery(query)
        } catch {
            return .badRequest(error.message, code: "invalid.value")
        }
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
        default:
            break
        }
        if segments.count >= 5, segments.starts(with: ["api", "v2", "outbound", "campaigns"]) {
            let id = segments[4]
            switch (method, segments.dropFirst(5).first) {
            case ("GET", nil): return await org.getCampaign(id)
            case ("PUT", nil): return await org.replaceCampaign(id, body: body)
            case ("PATCH", nil): return await org.patchCampaign(id, body: body)
            case ("DELETE", nil): return await org.deleteCampaign(id)
            case ("POST", "start"): return await org.setStatus(id, to: .on)
            case ("POST", "stop"): return await org.setStatus(id, to: .off)
            case ("GET", "progress"): return await org.campaignProgress(id)
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

    // MARK: Test control

    private func control(_ method: String, _ segments: [String], body: Data) async -> Reply {
        let json = (try? JSONDecoder().decode(JSONValue.self, from: body)) ?? .object([:])
        func int(_ key: String) -> Int? {
            switch json[key] {
            case .integer(let value): Int(value)
            case .number(let value): Int(value)
            default: nil
            }
        }
        switch (method, segments) {
        case ("GET", ["v1", "requests"]):
            return .json(["requests": await org.requestLog])
        case ("POST", ["v1", "reset"]):
            await org.reset()
            return .noContent
        case ("POST", ["v1", "faults"]):
            guard int("status") != nil || int("delayMs") != nil else {
                return .badRequest("a fault needs \"status\" or \"delayMs\"")
            }
            let path: String? = if case .string(let prefix) = json["path"] { prefix } else { nil }
            await org.addFault(
                status: int("status"), delay: int("delayMs").map { .milliseconds($0) }, retryAfter: int("retryAfter"),
                pathPrefix: path, count: int("count") ?? 1
            )
            return .noContent
        case ("POST", ["v1", "tokens", "revoke"]):
            await org.revokeTokens()
            return .noContent
        case ("POST", let path) where path.count == 4 && path[1] == "campaigns" && path[3] == "bump":
            return await org.bump(path[2], beforeNextPuts: int("beforeNextPuts"))
        case ("POST", let path) where path.count == 4 && path[1] == "campaigns" && path[3] == "state":
            guard let change = try? JSONDecoder().decode(StateOverride.self, from: body) else {
                return .badRequest("expected {campaignStatus, errors, contactsCalled, totalContacts}")
            }
            return await org.overrideState(path[2], change)
        case ("PUT", let path) where path.count == 4 && path[1] == "queues" && path[3] == "agents":
            guard let counts = try? JSONDecoder().decode([String: Int].self, from: body) else {
                return .badRequest("expected {\"IDLE\": N, \"INTERACTING\": N, \"OFF_QUEUE\": N, …}")
            }
            return await org.setAgents(path[2], counts)
        default:
            return .notFound()
        }
    }

    // MARK: Encoding

    private static func response(_ reply: Reply, correlationID: String) -> Response {
        var headers = HTTPFields()
        headers[HTTPField.Name("ININ-Correlation-ID")!] = correlationID
        for (name, value) in reply.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        let data: Data? =
            switch reply.body {
            case .none: nil
            case .json(let data): data
            case .oauthError(let error): try? Reply.jsonEncoder.encode(error)
            case .error(var error):
                { error.contextId = correlationID; return try? Reply.jsonEncoder.encode(error) }()
            }
        guard let data else { return Response(status: .init(code: reply.status), headers: headers) }
        headers[.contentType] = "application/json; charset=UTF-8"
        return Response(
            status: .init(code: reply.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
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
