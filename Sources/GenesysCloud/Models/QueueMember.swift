import JSONDocument

/// `QueueMember`: a user or group that belongs to a routing queue (the parts campaignsh reads).
public struct QueueMember: Sendable, Equatable {
    public var id: String?
    public var name: String?
    public var joined: Bool?
    public var routingStatus: RoutingStatus.Value?

    init(json: JSONValue) {
        id = json["id"]?.stringValue
        name = json["name"]?.stringValue
        joined = json["joined"]?.boolValue
        routingStatus = json["routingStatus"]?["status"]?.stringValue.map(RoutingStatus.Value.init(rawValue:))
    }
}

/// `RoutingStatus`: whether an agent can take ACD (and dialer) calls right now.
public enum RoutingStatus {
    public struct Value: OpenEnumeration {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let offQueue: Self = "OFF_QUEUE"
        public static let idle: Self = "IDLE"
        public static let interacting: Self = "INTERACTING"
        public static let notResponding: Self = "NOT_RESPONDING"
        public static let communicating: Self = "COMMUNICATING"
        public static let knownValues: [Self] = [.offQueue, .idle, .interacting, .notResponding, .communicating]
    }
}
