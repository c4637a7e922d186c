/// Any JSON value, kept as received: numbers keep their spelling, objects their member order.
///
/// Genesys adds fields to its models over time and sends shapes looser than its SDK declares; a
/// full-replace `PUT` must send back what this client does not model, exactly, so entities are kept as
/// `JSONValue` documents and read through typed accessors (docs/genesys-api.md, "Tolerant models").
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The kind of value, for messages such as "expected a number, got text".
    public enum Kind: String, Sendable {
        case null, boolean, number, text, list, object
    }

    public var kind: Kind {
        switch self {
        case .null: .null
        case .bool: .boolean
        case .number: .number
        case .string: .text
        case .array: .list
        case .object: .object
        }
    }

    public var objectValue: JSONObject? {
        if case .object(let members) = self { members } else { nil }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    public var stringValue: String? {
        if case .string(let text) = self { text } else { nil }
    }

    public var numberValue: JSONNumber? {
        if case .number(let number) = self { number } else { nil }
    }

    public var boolValue: Bool? {
        if case .bool(let flag) = self { flag } else { nil }
    }

    /// An integer: any JSON number with an integral value.
    public var intValue: Int? { numberValue?.intValue }

    /// Any JSON number, as a double.
    public var doubleValue: Double? { numberValue?.doubleValue }

    public var isNull: Bool { self == .null }

    /// The member `key` of an object; `nil` for other values and missing members.
    public subscript(key: String) -> JSONValue? {
        get { objectValue?[key] }
        set {
            guard case .object(var members) = self else { return }
            members[key] = newValue
            self = .object(members)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    public init(floatLiteral value: Double) { self = JSONNumber(value).map(JSONValue.number) ?? .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    /// `value` as JSON: a string, an integer, or `null` for `nil`.
    public init(_ text: String?) { self = text.map(JSONValue.string) ?? .null }
    public init(_ number: Int?) { self = number.map { .number(JSONNumber($0)) } ?? .null }
}
