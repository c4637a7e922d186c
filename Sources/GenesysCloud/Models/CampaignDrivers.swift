import Foundation
import JSONDocument

// What else turns a campaign on or off, or keeps it from dialing: schedules, rules, sequences, callable
// time sets and the lists it dials. Tolerant as ``Campaign`` is: each keeps the document the server sent
// and reads a field of another shape than the SDK declares as nil (docs/genesys-api.md, "What else
// drives a campaign").

/// A model kept as the document the server sent, read through typed properties.
public protocol DocumentModel: Sendable, Equatable {
    var document: JSONObject { get set }
    init(document: JSONObject)
}

extension DocumentModel {
    /// The model in `json`; nil when it is not an object.
    public init?(json: JSONValue) {
        guard let object = json.objectValue else { return nil }
        self.init(document: object)
    }

    public var id: String? { document["id"]?.stringValue }
    public var name: String? { document["name"]?.stringValue }
    /// Any JSON number with an integral value.
    public var version: Int? { document["version"]?.intValue }
}

/// `CampaignSchedule`: windows in which Genesys turns the campaign on at `start` and off at `end`.
public struct CampaignSchedule: DocumentModel {
    public var document: JSONObject

    public init(document: JSONObject) {
        self.document = document
    }

    public var campaign: DomainEntityRef? { DomainEntityRef(document["campaign"]) }
    /// IANA name; the API says UTC when empty.
    public var timeZone: String { document["timeZone"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "UTC" }
    /// The one-off windows (recurrences are kept in the document, not read here).
    public var intervals: [Interval] {
        (document["intervals"]?.arrayValue ?? []).compactMap { interval in
            guard let start = interval["start"]?.stringValue, let end = interval["end"]?.stringValue else { return nil }
            return Interval(start: start, end: end)
        }
    }

    /// `ScheduleInterval`: `yyyy-MM-ddTHH:mm:ss.SSSZ`, or without a zone (then in the schedule's zone).
    public struct Interval: Sendable, Equatable {
        public var start: String
        public var end: String

        public init(start: String, end: String) {
            self.start = start
            self.end = end
        }

        /// Both ends as instants, `timeZone` applying to ends written without a zone; nil if unreadable.
        public func dates(in timeZone: String) -> (start: Date, end: Date)? {
            guard let start = Self.date(start, timeZone), let end = Self.date(end, timeZone) else { return nil }
            return (start, end)
        }

        /// `text` as an instant: ISO-8601 with a zone, or without one (then in `zone`).
        static func date(_ text: String, _ zone: String) -> Date? {
            let zoned = ISO8601DateFormatter()
            for options: ISO8601DateFormatter.Options in [
                [.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime],
            ] {
                zoned.formatOptions = options
                if let date = zoned.date(from: text) { return date }
            }
            let local = DateFormatter()
            local.locale = Locale(identifier: "en_US_POSIX")
            local.timeZone = TimeZone(identifier: zone) ?? .gmt
            for format in ["yyyy-MM-dd'T'HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm"] {
                local.dateFormat = format
                if let date = local.date(from: text) { return date }
            }
            return nil
        }
    }
}

/// `CampaignRule`: when its conditions on some campaigns hold, its actions act on others.
public struct CampaignRule: DocumentModel {
    public var document: JSONObject

    public init(document: JSONObject) {
        self.document = document
    }

    public var enabled: Bool { document["enabled"]?.boolValue ?? false }
    /// The campaigns whose progress the conditions watch (`campaignRuleEntities.campaigns`).
    public var triggeringCampaigns: [String] {
        (document["campaignRuleEntities"]?["campaigns"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
    }

    /// `CampaignRuleAction`: `actionType` (turnOnCampaign, turnOffCampaign, recycleCampaign, …) and its targets.
    public struct Action: Sendable, Equatable {
        public var type: String
        public var campaigns: [String]
        public var sequences: [String]
        /// The action acts on the campaign that met the conditions.
        public var onTriggeringEntity: Bool
    }

    public var actions: [Action] {
        (document["campaignRuleActions"]?.arrayValue ?? []).compactMap { action in
            guard let type = action["actionType"]?.stringValue else { return nil }
            let entities = action["campaignRuleActionEntities"]
            let ids = { (key: String) in (entities?[key]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue } }
            return Action(
                type: type, campaigns: ids("campaigns"), sequences: ids("sequences"),
                onTriggeringEntity: entities?["useTriggeringEntity"]?.boolValue ?? false)
        }
    }

    /// Whether the rule names the campaign anywhere: among its triggers or an action's targets.
    public func names(_ campaignID: String) -> Bool {
        triggeringCampaigns.contains(campaignID) || actions.contains { $0.campaigns.contains(campaignID) }
    }

    /// The rule with `old` replaced by `new` wherever it names a campaign.
    public func repointed(from old: String, to new: String) -> CampaignRule {
        var copy = self
        copy.document = Self.replacing(old, with: new, in: .object(document)).objectValue ?? document
        return copy
    }

    /// `value` with every `{"id": old}` reference (at any depth) pointing at `new`.
    static func replacing(_ old: String, with new: String, in value: JSONValue) -> JSONValue {
        switch value {
        case .object(var object):
            if object["id"]?.stringValue == old {
                object["id"] = .string(new)
                object["selfUri"] = nil
            }
            for member in object.members where member.key != "id" {
                object[member.key] = replacing(old, with: new, in: member.value)
            }
            return .object(object)
        case .array(let elements): return .array(elements.map { replacing(old, with: new, in: $0) })
        default: return value
        }
    }

    /// The actions of this rule that act on `campaignID` (directly, or as the campaign that triggers it).
    public func actions(on campaignID: String) -> [Action] {
        actions.filter {
            $0.campaigns.contains(campaignID) || ($0.onTriggeringEntity && triggeringCampaigns.contains(campaignID))
        }
    }
}

/// `CampaignSequence`: campaigns run one after the other while the sequence is `on`.
public struct CampaignSequence: DocumentModel {
    public var document: JSONObject

    public init(document: JSONObject) {
        self.document = document
    }

    /// `on`, `off` or `complete`.
    public var status: String? { document["status"]?.stringValue }
    public var campaigns: [String] { (document["campaigns"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue } }
    /// From 0.
    public var currentCampaign: Int? { document["currentCampaign"]?.intValue }
    public var repeats: Bool { document["repeat"]?.boolValue ?? false }

    /// The sequence with `old` replaced by `new` in its campaigns.
    public func repointed(from old: String, to new: String) -> CampaignSequence {
        var copy = self
        copy.document["campaigns"] = CampaignRule.replacing(old, with: new, in: document["campaigns"] ?? .array([]))
        return copy
    }

    /// The campaign the sequence runs now.
    public var currentCampaignID: String? {
        currentCampaign.flatMap { campaigns.indices.contains($0) ? campaigns[$0] : nil }
    }
}

/// `CallableTimeSet`: the hours, per weekday and time zone, in which a campaign may place calls.
public struct CallableTimeSet: DocumentModel {
    public var document: JSONObject

    public init(document: JSONObject) {
        self.document = document
    }

    /// `CampaignTimeSlot` in the zone of its `CallableTime`: `day` 1 (Monday) to 7, `HH:mm:ss` times.
    public struct Slot: Sendable, Equatable {
        public var day: Int
        public var start: String
        public var stop: String
        public var timeZone: String
    }

    public var slots: [Slot] {
        (document["callableTimes"]?.arrayValue ?? []).flatMap { callable -> [Slot] in
            let zone = callable["timeZoneId"]?.stringValue ?? "UTC"
            return (callable["timeSlots"]?.arrayValue ?? []).compactMap { slot in
                guard let day = slot["day"]?.intValue, let start = slot["startTime"]?.stringValue,
                    let stop = slot["stopTime"]?.stringValue
                else { return nil }
                return Slot(day: day, start: start, stop: stop, timeZone: zone)
            }
        }
    }

    /// Whether `date` falls in a slot, and else the next slot's start (within a week), with its zone.
    public func callable(at date: Date) -> (now: Bool, next: (start: Date, slot: Slot)?) {
        var next: (start: Date, slot: Slot)?
        for slot in slots {
            guard let zone = TimeZone(identifier: slot.timeZone), let start = Self.seconds(slot.start),
                let stop = Self.seconds(slot.stop)
            else { continue }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            for offset in 0...7 {
                guard let day = calendar.date(byAdding: .day, value: offset - 1, to: calendar.startOfDay(for: date)),
                    Self.isoWeekday(day, calendar) == slot.day
                else { continue }
                let opens = day.addingTimeInterval(start)
                let closes = day.addingTimeInterval(stop)
                if opens <= date, date < closes { return (true, nil) }
                if opens > date, next.map({ opens < $0.start }) ?? true { next = (opens, slot) }
            }
        }
        return (false, next)
    }

    static func isoWeekday(_ date: Date, _ calendar: Calendar) -> Int {
        (calendar.component(.weekday, from: date) + 5) % 7 + 1  // Sunday 1 … Saturday 7 to Monday 1 … Sunday 7
    }

    static func seconds(_ time: String) -> TimeInterval? {
        let parts = time.split(separator: ":").map { Double($0) }
        guard parts.count >= 2, parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts[0]! * 3600 + parts[1]! * 60 + (parts.count > 2 ? parts[2]! : 0)
    }
}

/// `ImportStatus` of a contact list or DNC list. The SDK knows `IN_PROGRESS` and `FAILED` only: a list
/// whose import ended well has no import status, or another state.
public struct ImportStatus: Sendable, Equatable {
    public var state: String?
    public var percentComplete: Int?
    public var failureReason: String?

    public init?(json: JSONValue?) {
        guard let object = json?.objectValue else { return nil }
        state = object["state"]?.stringValue
        percentComplete = object["percentComplete"]?.intValue
        failureReason = object["failureReason"]?.stringValue
    }

    public var isInProgress: Bool { state == "IN_PROGRESS" }
    public var hasFailed: Bool { state == "FAILED" }
}

/// `ContactList`, read with `includeImportStatus` and `includeSize`.
public struct ContactList: DocumentModel {
    public var document: JSONObject

    public init(document: JSONObject) {
        self.document = document
    }

    public var size: Int? { document["size"]?.intValue }
    public var dateExpiration: Date? {
        document["dateExpiration"]?.stringValue.flatMap { CampaignSchedule.Interval.date($0, "UTC") }
    }
    public var importStatus: ImportStatus? { ImportStatus(json: document["importStatus"]) }
}
