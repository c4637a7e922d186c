/// `QueueMember`: a user or group that belongs to a routing queue.
public struct QueueMember: Codable, Sendable, Equatable {
    public var id: String?
    public var name: String?
    public var user: User?
    public var ringNumber: Int?
    public var joined: Bool?
    public var memberBy: String?
    public var routingStatus: RoutingStatus?
    public var selfUri: String?

    public init(
        id: String, name: String, joined: Bool, routingStatus: RoutingStatus?, memberBy: String = "user",
        selfUri: String? = nil
    ) {
        self.id = id
        self.name = name
        self.user = User(id: id, name: name)
        self.ringNumber = 1
        self.joined = joined
        self.memberBy = memberBy
        self.routingStatus = routingStatus
        self.selfUri = selfUri
    }

    /// The parts of `User` a queue member listing carries.
    public struct User: Codable, Sendable, Equatable {
        public var id: String?
        public var name: String?
    }
}

/// `RoutingStatus`: whether an agent can take ACD (and dialer) calls right now.
public struct RoutingStatus: Codable, Sendable, Equatable {
    public var userId: String?
    public var status: Value?
    public var startTime: String?

    public init(userId: String?, status: Value, startTime: String? = nil) {
        self.userId = userId
        self.status = status
        self.startTime = startTime
    }

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
