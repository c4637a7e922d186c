import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOWebSocket

/// The notification channels' WebSockets (`ws://HOST:PORT/channels/{id}`, the `connectUri` a channel
/// is created with): each socket gets its channel's messages in order, heartbeats included, until the
/// emulator closes it (`socket_closing`, expiry, a second socket) or the client does.
enum NotificationSocket {
    static func router(_ org: EmulatorOrg) -> Router<BasicWebSocketRequestContext> {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.ws("/channels/:id") { _, context in
            // No such channel: the upgrade is refused, as Genesys refuses an expired channel's URI.
            guard let id = context.parameters.get("id"), await org.hasChannel(id) else { return .dontUpgrade }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let id = context.requestContext.parameters.get("id"), let socket = await org.attachSocket(id) else {
                return
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await message in socket.messages {
                        switch message {
                        case .text(let text): try await outbound.write(.text(text))
                        case .close(let clean):
                            // A dropped connection is an error close: the client must connect again.
                            try await outbound.close(
                                clean ? .goingAway : .unexpectedServerError, reason: clean ? "closing" : "dropped")
                            return
                        }
                    }
                }
                group.addTask {
                    // Keeps control frames flowing (pongs to the server's pings) and answers `ping`.
                    for try await message in inbound.messages(maxSize: 1 << 16) {
                        if case .text(let text) = message, text.contains("\"ping\"") { await org.pong(id) }
                    }
                }
                defer { group.cancelAll() }
                try await group.next()
            }
            await org.detachSocket(id, serial: socket.serial)
        }
        return router
    }
}

extension EmulatorOrg {
    func hasChannel(_ id: String) -> Bool { channels[id] != nil && channels[id]!.expires > now }
}
