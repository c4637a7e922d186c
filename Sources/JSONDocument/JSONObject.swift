/// A JSON object that keeps its members in the order they were received or added.
///
/// Order is kept so that what the server sent is shown and sent back as it came; equality ignores it,
/// as JSON does.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue
    }

    public private(set) var members: [Member]

    public init() { members = [] }

    public init(_ members: some Sequence<(String, JSONValue)>) {
        self.init()
        for (key, value) in members { self[key] = value }
    }

    /// Members as read; a repeated name keeps its first place and its last value, as most readers do.
    init(parsed: [Member]) {
        var seen = Set<String>(minimumCapacity: parsed.count)
        guard parsed.allSatisfy({ seen.insert($0.key).inserted }) else {
            var positions: [String: Int] = [:]
            var unique: [Member] = []
            for member in parsed {
                if let position = positions[member.key] {
                    unique[position].value = member.value
                } else {
                    positions[member.key] = unique.count
                    unique.append(member)
                }
            }
            members = unique
            return
        }
        members = parsed
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    /// The member's value; setting `nil` removes it, setting a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get { members.first { $0.key == key }?.value }
        set {
            let index = members.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let value?): members[index].value = value
            case (let index?, nil): members.remove(at: index)
            case (nil, let value?): members.append(Member(key: key, value: value))
            case (nil, nil): break
            }
        }
    }

    public func makeIterator() -> some IteratorProtocol<(key: String, value: JSONValue)> {
        members.lazy.map { (key: $0.key, value: $0.value) }.makeIterator()
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.count == rhs.count && lhs.members.allSatisfy { rhs[$0.key] == $0.value }
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent, like ==.
        var combined = 0
        for member in members { combined ^= member.hashValue }
        hasher.combine(count)
        hasher.combine(combined)
    }
}
