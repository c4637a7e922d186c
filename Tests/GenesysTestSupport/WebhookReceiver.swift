import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A WFM system for tests: records every POST to `/hook`, answering 500 to the first `failFirst`.
public actor WebhookReceiver {
    public struct Delivery: Sendable {
        /// Header names in lower case.
        public var headers: [String: String]
        public var body: Data
    }

    public private(set) var deliveries: [Delivery] = []
    private var failuresLeft: Int

    init(failFirst: Int) {
        failuresLeft = failFirst
    }

    func receive(_ delivery: Delivery) -> HTTPResponse.Status {
        deliveries.append(delivery)
        guard failuresLeft > 0 else { return .ok }
        failuresLeft -= 1
        return .internalServerError
    }

    /// Runs a receiver on a free loopback port; `body` gets its `/hook` URL.
    public static func withRunning<Result: Sendable>(
        failFirst: Int = 0, _ body: @Sendable (_ url: String, _ receiver: WebhookReceiver) async throws -> Result
    ) async throws -> Result {
        let receiver = WebhookReceiver(failFirst: failFirst)
        let router = Router()
        router.post("hook") { request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let status = await receiver.receive(Delivery(headers: headers, body: Data(bytes.readableBytesView)))
            return Response(status: status)
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) },
            logger: Logger(label: "webhook-receiver", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            defer { group.cancelAll() }
            guard let port = await ports.first(where: { _ in true }) else { throw CancellationError() }
            return try await body("http://127.0.0.1:\(port)/hook", receiver)
        }
    }
}
