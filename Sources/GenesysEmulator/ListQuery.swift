import Foundation
import GenesysCloud

/// The query parameters of the emulated list endpoints, and how they page.
struct ListQuery {
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
                guard let size = Int(value), size >= 1 else { throw Invalid(message: "pageSize must be a positive number") }
                pageSize = min(size, GenesysClient.maxPageSize)  // "The max that will be returned is 100"
                continue
            case "pageNumber":
                guard let number = Int(value), number >= 1 else { throw Invalid(message: "pageNumber must be a positive number") }
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

    func matches(_ campaign: Campaign) -> Bool {
        (ids.isEmpty || campaign.id.map(ids.contains) == true)
            && (name.map { nameMatches(campaign.name ?? "", $0) } ?? true)
            && (contactListId.map { $0 == campaign.contactList?.id } ?? true)
            && (distributionQueueId.map { $0 == campaign.queue?.id } ?? true)
            && (edgeGroupId.map { $0 == campaign.edgeGroup?.id } ?? true)
            && (divisionIds.isEmpty || campaign.division?.id.map(divisionIds.contains) == true)
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
    func page<Entity>(of all: [Entity], path: String, withTotals: Bool = true) -> EntityListing<Entity> {
        let pageCount = max(1, (all.count + pageSize - 1) / pageSize)
        let start = min((pageNumber - 1) * pageSize, all.count)
        let entities = Array(all[start..<min(start + pageSize, all.count)])
        func uri(_ number: Int) -> String {
            let query = filterParameters + [("pageSize", "\(pageSize)"), ("pageNumber", "\(number)")]
            return path + "?" + query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.1)" }
                .joined(separator: "&")
        }
        let hasNext = withTotals ? pageNumber < pageCount : start + pageSize < all.count
        return EntityListing(
            entities: entities, pageSize: pageSize, pageNumber: pageNumber,
            total: withTotals ? all.count : nil, pageCount: withTotals ? pageCount : nil,
            firstUri: uri(1), nextUri: hasNext ? uri(pageNumber + 1) : nil,
            previousUri: pageNumber > 1 ? uri(pageNumber - 1) : nil, lastUri: withTotals ? uri(pageCount) : nil,
            selfUri: uri(pageNumber)
        )
    }
}
