/// A JSON number kept as the text it was written with.
///
/// Genesys campaigns carry decimals such as `maxCallsPerAgent: 1.5` in fields the SDK types as integers,
/// and a full-replace `PUT` must send every untouched field back exactly: same value, same spelling.
/// Converting through `Int` or `Double` loses one or the other, so the literal is the value.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number as written, e.g. `4`, `-0.25`, `1.50`, `1e3`.
    public let literal: String

    /// A number from its JSON spelling; `nil` when `literal` is not a JSON number.
    public init?(literal: String) {
        let bytes = Array(literal.utf8)
        guard !bytes.isEmpty, bytes.withUnsafeBufferPointer({ JSONNumber.scan($0, from: 0) == $0.count }) else {
            return nil
        }
        self.literal = literal
    }

    /// Used by the parser, which has already checked the grammar.
    init(validated literal: String) { self.literal = literal }

    public init(_ value: some BinaryInteger) { literal = String(value) }

    /// A finite double in its shortest exact spelling; `nil` for infinities and NaN, which JSON cannot hold.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        if value == value.rounded(), abs(value) < 1e15 {
            literal = String(Int64(value))
        } else {
            literal = "\(value)"
        }
    }

    public var description: String { literal }

    /// The value as a double (the nearest one for long decimals).
    public var doubleValue: Double { Double(literal) ?? .nan }

    /// The value as an integer when it is one: `7`, `7.0` and `7e0` all read as 7; `1.5` does not.
    public var intValue: Int? {
        if let exact = Int(literal) { return exact }
        let value = doubleValue
        guard value.isFinite, value == value.rounded(), abs(value) < 9.0e15 else { return nil }
        return Int(value)
    }

    /// Whether the literal has a fraction or an exponent.
    public var isInteger: Bool { Int(literal) != nil }

    /// The end of the JSON number starting at `start`, or `start` itself when there is none.
    /// Grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        func digits() -> Int {
            let first = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            return index - first
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { return start }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            return start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return start }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits() > 0 else { return start }
        }
        return index
    }
}
