import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// An HTTP server on 127.0.0.1 that misbehaves as a test scripts it: bytes dripped slowly, a head and no
/// body, a body larger than announced, redirects, endless pages. Each connection serves one request and
/// closes, so a script answers with raw bytes and delays.
public final class HostileServer: Sendable {
    /// Bytes to send after a pause.
    public struct Chunk: Sendable {
        public var delay: Duration
        public var bytes: [UInt8]

        public init(after delay: Duration = .zero, _ bytes: [UInt8]) {
            self.delay = delay
            self.bytes = bytes
        }

        public init(after delay: Duration = .zero, _ text: String) {
            self.init(after: delay, Array(text.utf8))
        }
    }

    /// What to send for a request, given its method, path with query, and how many came before it.
    public typealias Script = @Sendable (_ method: String, _ target: String, _ index: Int) -> [Chunk]

    /// `METHOD target` of every request received, in order.
    public var requests: [String] { received.withLock { $0 } }

    private let received = Mutex<[String]>([])
    private let script: Script

    init(script: @escaping Script) {
        self.script = script
    }

    /// An ordinary response's bytes: status line, headers (with `Content-Length` unless given), body.
    public static func response(
        _ status: Int, _ reason: String = "OK", headers: [(String, String)] = [], body: String = ""
    ) -> [Chunk] {
        var head = "HTTP/1.1 \(status) \(reason)\r\nConnection: close\r\n"
        if !headers.contains(where: { $0.0.lowercased() == "content-length" }) {
            head += "Content-Length: \(body.utf8.count)\r\n"
        }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        return [Chunk(head + "\r\n" + body)]
    }

    /// A JSON response.
    public static func json(_ status: Int, _ body: String) -> [Chunk] {
        response(status, headers: [("Content-Type", "application/json")], body: body)
    }

    /// Runs a server on a free loopback port; `body` gets its base URL (`http://127.0.0.1:PORT`).
    public static func withRunning<Result: Sendable>(
        _ script: @escaping Script,
        _ body: @Sendable (_ baseURL: String, _ server: HostileServer) async throws -> Result
    ) async throws -> Result {
        let server = HostileServer(script: script)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(OneRequest(server: server))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        do {
            let result = try await body("http://127.0.0.1:\(port)", server)
            try? await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }

    fileprivate func chunks(forHead line: String) -> [Chunk] {
        let words = line.split(separator: " ")
        let method = words.first.map(String.init) ?? ""
        let target = words.count > 1 ? String(words[1]) : ""
        let index = received.withLock { list in
            list.append("\(method) \(target)")
            return list.count - 1
        }
        return script(method, target, index)
    }
}

/// Reads one request head, then writes the script's chunks at their times and closes.
private final class OneRequest: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let server: HostileServer
    private let state = Mutex<(head: [UInt8], answered: Bool)>(([], false))

    init(server: HostileServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let firstLine: String? = state.withLock { state in
            guard !state.answered else { return nil }
            state.head += buffer.readableBytesView
            guard let end = state.head.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
            state.answered = true
            let head = String(decoding: state.head[..<end.lowerBound], as: UTF8.self)
            return head.split(separator: "\r\n").first.map(String.init) ?? ""
        }
        guard let firstLine else { return }
        Self.send(server.chunks(forHead: firstLine)[...], on: context.channel)
    }

    /// Writes the chunks one after the other, each after its delay once the one before is written; then
    /// closes the connection (closing earlier would drop what is still queued).
    private static func send(_ chunks: ArraySlice<HostileServer.Chunk>, on channel: any Channel) {
        guard let chunk = chunks.first else {
            channel.close(promise: nil)
            return
        }
        let components = chunk.delay.components
        let delay = TimeAmount.nanoseconds(components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000)
        channel.eventLoop.scheduleTask(in: delay) {
            guard channel.isActive else { return }
            let written = channel.eventLoop.makePromise(of: Void.self)
            channel.writeAndFlush(ByteBuffer(bytes: chunk.bytes), promise: written)
            written.futureResult.whenSuccess { send(chunks.dropFirst(), on: channel) }
        }
    }
}
