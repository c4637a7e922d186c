import Foundation

/// `Codable` for use inside other `Codable` models. Foundation's coders only see numbers as `Int` or
/// `Double`, so a value that must keep its spelling is read with ``JSONValue/init(parsing:)-(Collection<UInt8>)``
/// and written with ``JSONValue/serialized()`` instead.
extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !list.isAtEnd { elements.append(try list.decode(JSONValue.self)) }
            self = .array(elements)
            return
        }
        if let members = try? decoder.container(keyedBy: AnyKey.self) {
            var object = JSONObject()
            for key in members.allKeys { object[key.stringValue] = try members.decode(JSONValue.self, forKey: key) }
            self = .object(object)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let flag = try? single.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? single.decode(Int64.self) {
            self = .number(JSONNumber(integer))
        } else if let double = try? single.decode(Double.self) {
            self = JSONNumber(double).map(JSONValue.number) ?? .null
        } else {
            self = .string(try single.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .array(let elements):
            var list = encoder.unkeyedContainer()
            for element in elements { try list.encode(element) }
        case .object(let object):
            var members = encoder.container(keyedBy: AnyKey.self)
            for member in object.members { try members.encode(member.value, forKey: AnyKey(member.key)) }
        default:
            var single = encoder.singleValueContainer()
            switch self {
            case .null: try single.encodeNil()
            case .bool(let flag): try single.encode(flag)
            case .string(let text): try single.encode(text)
            case .number(let number):
                if let integer = Int64(number.literal) {
                    try single.encode(integer)
                } else if let decimal = Decimal(string: number.literal) {
                    try single.encode(decimal)
                } else {
                    try single.encode(number.doubleValue)
                }
            case .array, .object: break
            }
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ key: String) { stringValue = key }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
