import Foundation
import JSONDocument

/// The query parameters of the emulated list endpoints, and how they page.
struct ListQuery {
    /// "The max that will be returned is 100" (the SDK's `pageSize` documentation).
    static let maxPageSize = 100

    var pageSize = 25
    var pageNumber = 1
    var name: String?
    var filterType = "Prefix"
    var ids: [String] = []
    var contactListId: String?
    var distributionQueueId: String?
    var edgeGroupId: String?
    var divisionIds: [String] = []
    var sortBy: String?
    var descending = false
    var joined: Bool?
    var routingStatuses: [String] = []
    var memberBy: String?
    /// The filters as received, repeated in the paging URIs.
    private var filterParameters: [(String, String)] = []

    struct Invalid: Error {
        var message: String
    }

    init(_ parameters: [(String, String)]) throws(Invalid) {
        for (key, value) in parameters {
            switch key {
            case "pageSize":
                guard let size = Int(value), size >= 1 else {
                    throw Invalid(message: "pageSize must be a positive number")
                }
                pageSize = min(size, Self.maxPageSize)
                continue
            case "pageNumber":
                guard let number = Int(value), number >= 1 else {
                    throw Invalid(message: "pageNumber must be a positive number")
                }
                pageNumber = number
                continue
            case "name": name = value
            case "filterType": filterType = value
            // Arrays arrive as repeated keys (Go SDK, collectionFormat multi) or comma-joined (Python SDK).
            case "id": ids += Self.list(value)
            case "contactListId": contactListId = value
            case "distributionQueueId": distributionQueueId = value
            case "edgeGroupId": edgeGroupId = value
            case "divisionId": divisionIds += Self.list(value)
            case "sortBy": sortBy = value
            case "sortOrder": descending = value.lowercased().hasPrefix("desc")
            case "joined": joined = value.lowercased() == "true"
            case "routingStatus": routingStatuses += Self.list(value)
            case "memberBy": memberBy = value
            default: break
            }
            filterParameters.append((key, value))
        }
    }

    private static func list(_ value: String) -> [String] {
        value.split(separator: ",").map(String.init)
    }

    func matches(_ campaign: JSONObject) -> Bool {
        func id(of reference: String) -> String? { campaign[reference]?["id"]?.stringValue }
        return (ids.isEmpty || campaign["id"]?.stringValue.map(ids.contains) == true)
            && (name.map { nameMatches(campaign["name"]?.stringValue ?? "", $0) } ?? true)
            && (contactListId.map { $0 == id(of: "contactList") } ?? true)
            && (distributionQueueId.map { $0 == id(of: "queue") } ?? true)
            && (edgeGroupId.map { $0 == id(of: "edgeGroup") } ?? true)
            && (divisionIds.isEmpty || id(of: "division").map(divisionIds.contains) == true)
    }

    /// `filterType` applied to `name`, ignoring case.
    private func nameMatches(_ candidate: String, _ wanted: String) -> Bool {
        let candidate = candidate.lowercased()
        let wanted = wanted.lowercased()
        switch filterType {
        case "Equals": return candidate == wanted
        case "Contains": return candidate.contains(wanted)
        case "EndsWith": return candidate.hasSuffix(wanted)
        case "RegEx": return (try? Regex(wanted).ignoresCase().wholeMatch(in: candidate)) != nil
        case "LessThan": return candidate < wanted
        case "LessThanEqualTo": return candidate <= wanted
        case "GreaterThan": return candidate > wanted
        case "GreaterThanEqualTo": return candidate >= wanted
        default: return candidate.hasPrefix(wanted)  // Prefix, BeginsWith
        }
    }

    /// One page of `all`, with Genesys's envelope: relative URIs, `nextUri` only when a next page exists,
    /// and no `total`, `pageCount` or `lastUri` on listings that have no totals (queue members).
    func page(of all: [JSONValue], path: String, withTotals: Bool = true) -> JSONObject {
        let pageCount = max(1, (all.count + pageSize - 1) / pageSize)
        let start = min((pageNumber - 1) * pageSize, all.count)
        func uri(_ number: Int) -> JSONValue {
            let query = filterParameters + [("pageSize", "\(pageSize)"), ("pageNumber", "\(number)")]
            return .string(
                path + "?"
                    + query.map {
                        "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.1)"
                    }
                    .joined(separator: "&")
            )
        }
        let hasNext = withTotals ? pageNumber < pageCount : start + pageSize < all.count
        var listing: JSONObject = [
            "entities": .array(Array(all[start..<min(start + pageSize, all.count)])),
            "pageSize": JSONValue(pageSize),
            "pageNumber": JSONValue(pageNumber),
        ]
        if withTotals {
            listing["total"] = JSONValue(all.count)
            listing["pageCount"] = JSONValue(pageCount)
        }
        listing["firstUri"] = uri(1)
        if hasNext { listing["nextUri"] = uri(pageNumber + 1) }
        if pageNumber > 1 { listing["previousUri"] = uri(pageNumber - 1) }
        if withTotals { listing["lastUri"] = uri(pageCount) }
        listing["selfUri"] = uri(pageNumber)
        return listing
    }
}
