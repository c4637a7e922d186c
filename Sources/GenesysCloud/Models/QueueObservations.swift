/// `QueueObservationQuery` for `POST /api/v2/analytics/queues/observations/query`.
public struct QueueObservationQuery: Codable, Sendable, Equatable {
    public var filter: Filter
    public var metrics: [String]
    public var detailMetrics: [String]?

    /// On-queue users of each queue, one datum per routing status.
    public static func onQueueUsers(queueIDs: [String]) -> Self {
        Self(
            filter: Filter(
                type: "or",
                predicates: queueIDs.map { Predicate(type: "dimension", dimension: "queueId", operator: "matches", value: $0) }
            ),
            metrics: ["oOnQueueUsers"]
        )
    }

    public init(filter: Filter, metrics: [String], detailMetrics: [String]? = nil) {
        self.filter = filter
        self.metrics = metrics
        self.detailMetrics = detailMetrics
    }

    public struct Filter: Codable, Sendable, Equatable {
        public var type: String
        public var clauses: [Filter]?
        public var predicates: [Predicate]?

        public init(type: String, clauses: [Filter]? = nil, predicates: [Predicate]? = nil) {
            self.type = type
            self.clauses = clauses
            self.predicates = predicates
        }
    }

    public struct Predicate: Codable, Sendable, Equatable {
        public var type: String?
        public var dimension: String?
        public var `operator`: String?
        public var value: String?
    }
}

/// `QueueObservationQueryResponse`.
public struct QueueObservationQueryResponse: Codable, Sendable, Equatable {
    public var results: [Result]?

    public init(results: [Result]) { self.results = results }

    public struct Result: Codable, Sendable, Equatable {
        public var group: [String: String]?
        public var data: [Datum]?

        public init(group: [String: String], data: [Datum]) {
            self.group = group
            self.data = data
        }
    }

    public struct Datum: Codable, Sendable, Equatable {
        public var metric: String?
        public var qualifier: String?
        public var stats: Stats?
        public var truncated: Bool?

        public init(metric: String, qualifier: String?, count: Int) {
            self.metric = metric
            self.qualifier = qualifier
            self.stats = Stats(count: count)
        }
    }

    public struct Stats: Codable, Sendable, Equatable {
        public var count: Int?
    }
}
