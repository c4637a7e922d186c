import JSONDocument

/// The models of Genesys's official SDK (PureCloudPlatformClientV2), as `scripts/conformance/schema`
/// generated them into `Resources/sdk-schema.json`: field names and JSON types, nothing typed by hand.
///
/// Validation is as loose as the SDK is when it reads: every field is optional, unknown fields are
/// allowed, `null` is allowed anywhere, enum values are not checked (the SDK maps unknown ones to
/// `outdated_sdk_version`), and `integer` accepts any number because real orgs send `maxCallsPerAgent: 1.5`.
/// What it refuses is a value of the wrong JSON kind: text where an object belongs, an object where a
/// list belongs.
public struct SDKSchema: Sendable {
    /// The schema embedded in this module, read once.
    public static let shared: SDKSchema = {
        do {
            return try SDKSchema(parsing: PackageResources.sdk_schema_json)
        } catch {
            // The file is generated and embedded at build time: a broken one is a build defect.
            fatalError("Resources/sdk-schema.json: \(error)")
        }
    }()

    /// What a field holds, as the SDK types it.
    indirect enum FieldType: Sendable {
        /// `{}`: any JSON (the SDK's `object`).
        case any
        /// `string`, with or without a `format`; `enumValues` as the SDK lists them (not enforced).
        case string(enumValues: [String]?)
        case integer
        case number
        case boolean
        case array(of: FieldType)
        /// `{"type":"object","additionalProperties":…}`: a map whose members all hold `FieldType`.
        case map(of: FieldType)
        /// `{"$ref":"Model"}`.
        case model(String)
    }

    /// Where the schema came from (`package`, `version`, `command`).
    public let source: JSONObject
    /// The models the generator started from; every model they reference is included.
    public let roots: [String]
    private let models: [String: [String: FieldType]]
    /// Field names in the SDK's order, for listing.
    private let fieldOrder: [String: [String]]

    /// Why the schema file cannot be used.
    public struct FormatError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }
    }

    public init(parsing bytes: some Collection<UInt8>) throws(FormatError) {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
        } catch {
            throw FormatError(path: "", reason: error.description)
        }
        guard let top = document.objectValue, let modelList = top["models"]?.objectValue else {
            throw FormatError(path: "models", reason: "expected an object of models")
        }
        source = top["source"]?.objectValue ?? [:]
        roots = top["roots"]?.arrayValue?.compactMap(\.stringValue) ?? []
        var models: [String: [String: FieldType]] = [:]
        var fieldOrder: [String: [String]] = [:]
        for (name, fieldsValue) in modelList {
            guard let fields = fieldsValue.objectValue else {
                throw FormatError(path: "models.\(name)", reason: "expected an object of fields")
            }
            var types: [String: FieldType] = [:]
            for (field, node) in fields {
                types[field] = try Self.fieldType(node, at: "models.\(name).\(field)")
            }
            models[name] = types
            fieldOrder[name] = fields.keys
        }
        for (name, fields) in models {
            for (field, type) in fields {
                if let missing = Self.references(of: type).first(where: { models[$0] == nil }) {
                    throw FormatError(
                        path: "models.\(name).\(field)", reason: "refers to the undefined model \(missing)")
                }
            }
        }
        for root in roots where models[root] == nil {
            throw FormatError(path: "roots", reason: "the root \(root) is not among the models")
        }
        self.models = models
        self.fieldOrder = fieldOrder
    }

    private static func fieldType(_ node: JSONValue, at path: String) throws(FormatError) -> FieldType {
        guard let object = node.objectValue else { throw FormatError(path: path, reason: "expected a type object") }
        if let reference = object["$ref"] {
            guard let name = reference.stringValue else {
                throw FormatError(path: path, reason: "$ref is not a model name")
            }
            return .model(name)
        }
        guard let type = object["type"] else {
            guard object.isEmpty else { throw FormatError(path: path, reason: "a type object without type or $ref") }
            return .any
        }
        switch type.stringValue {
        case "string": return .string(enumValues: object["enum"]?.arrayValue?.compactMap(\.stringValue))
        case "integer": return .integer
        case "number": return .number
        case "boolean": return .boolean
        case "array":
            guard let items = object["items"] else { throw FormatError(path: path, reason: "an array without items") }
            return .array(of: try fieldType(items, at: path + "[]"))
        case "object":
            guard let members = object["additionalProperties"] else { return .map(of: .any) }
            return .map(of: try fieldType(members, at: path + ".*"))
        default:
            throw FormatError(path: path, reason: "unknown type \(type.jsonText)")
        }
    }

    private static func references(of type: FieldType) -> [String] {
        switch type {
        case .model(let name): [name]
        case .array(let element), .map(let element): references(of: element)
        case .any, .string, .integer, .number, .boolean: []
        }
    }

    // MARK: Reading the schema

    /// Whether the SDK defines `model`.
    public func hasModel(_ model: String) -> Bool { models[model] != nil }

    /// The fields of `model` in the SDK's order; `nil` for an unknown model.
    public func fields(of model: String) -> [String]? { fieldOrder[model] }

    /// The values the SDK lists for a string field (`RoutingStatus`, `status`); `nil` when it lists none.
    public func enumValues(of model: String, field: String) -> [String]? {
        guard case .string(let values)? = models[model]?[field] else { return nil }
        return values
    }

    // MARK: Validation

    /// Every place where `value` does not have the JSON kind the SDK's `model` gives it.
    ///
    /// `path` prefixes the violations' paths, e.g. `campaigns[3].campaign` for a campaign inside a seed.
    public func validate(_ value: JSONValue, as model: String, at path: String = "") -> [SchemaViolation] {
        guard models[model] != nil else {
            return [SchemaViolation(path: path, reason: "the SDK has no model \(model)")]
        }
        var violations: [SchemaViolation] = []
        check(value, against: .model(model), at: path, into: &violations)
        return violations
    }

    /// `validate` for a JSON list of `model`s (`POST /campaigns/progress` answers one).
    public func validate(_ value: JSONValue, asListOf model: String, at path: String = "") -> [SchemaViolation] {
        guard models[model] != nil else {
            return [SchemaViolation(path: path, reason: "the SDK has no model \(model)")]
        }
        var violations: [SchemaViolation] = []
        check(value, against: .array(of: .model(model)), at: path, into: &violations)
        return violations
    }

    private func check(
        _ value: JSONValue, against type: FieldType, at path: String, into violations: inout [SchemaViolation]
    ) {
        func refuse(_ expected: String) {
            violations.append(SchemaViolation(path: path, reason: "expected \(expected), got \(Self.describe(value))"))
        }
        if value.isNull { return }
        switch type {
        case .any:
            return
        case .string:
            if value.stringValue == nil { refuse("text") }
        case .integer, .number:
            // `integer` takes any number: the SDK says int, real orgs send 1.5.
            if value.numberValue == nil { refuse("a number") }
        case .boolean:
            if value.boolValue == nil { refuse("a boolean") }
        case .array(let element):
            guard let elements = value.arrayValue else { return refuse("a list") }
            for (position, item) in elements.enumerated() {
                check(item, against: element, at: "\(path)[\(position)]", into: &violations)
            }
        case .map(let member):
            guard let object = value.objectValue else { return refuse("an object") }
            for (key, item) in object {
                check(item, against: member, at: Self.join(path, key), into: &violations)
            }
        case .model(let name):
            guard let object = value.objectValue else { return refuse("an object (\(name))") }
            let fields = models[name] ?? [:]
            for (key, item) in object {
                guard let fieldType = fields[key] else { continue }  // unknown fields are allowed
                check(item, against: fieldType, at: Self.join(path, key), into: &violations)
            }
        }
    }

    private static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// `a number (5)`, `text ("q1")`, `a list`: what a message says was found.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "a boolean (\(flag))"
        case .number(let number): "a number (\(number.literal))"
        case .string(let text):
            "text (\(JSONValue.string(text.count > 40 ? String(text.prefix(40)) + "…" : text).jsonText))"
        case .array: "a list"
        case .object: "an object"
        }
    }
}

/// One place where a document does not fit the SDK's model.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// Where, e.g. `campaigns[3].campaign.phoneColumns[0].type`; empty for the document itself.
    public var path: String
    /// Why, e.g. `expected text, got a number (5)`.
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path.isEmpty ? "the document" : path): \(reason)" }
}

extension [SchemaViolation] {
    /// The first few violations on one line, and how many more there are.
    var summary: String {
        let shown = prefix(3).map(\.description).joined(separator: "; ")
        return count > 3 ? "\(shown) (and \(count - 3) more)" : shown
    }
}
