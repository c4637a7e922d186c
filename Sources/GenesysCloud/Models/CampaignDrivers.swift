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

/// A schedule of windows: one-off `intervals` and `recurrences`, in its time zone. A campaign schedule
/// turns its campaign on at a window's start and off at its end; a sequence schedule does so to a sequence.
public protocol WindowSchedule: DocumentModel {}

extension WindowSchedule {
    /// IANA name; the API says UTC when empty.
    public var timeZone: String { document["timeZone"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "UTC" }
    /// The one-off windows.
    public var intervals: [CampaignSchedule.Interval] {
        (document["intervals"]?.arrayValue ?? []).compactMap(CampaignSchedule.Interval.init(json:))
    }
    public var recurrences: [Recurrence] { (document["recurrences"]?.arrayValue ?? []).compactMap(Recurrence.init) }

    /// The window open at `now`, or else the next one (one-off or recurring); nil when none is left.
    public func window(at now: Date) -> (open: Bool, start: Date, end: Date)? {
        let windows =
            (intervals.compactMap { $0.dates(in: timeZone) }
            + recurrences.flatMap { $0.occurrences(until: now, scheduleZone: timeZone) })
            .filter { $0.end > now }.sorted { $0.start < $1.start }
        if let open = windows.first(where: { $0.start <= now }) { return (true, open.start, open.end) }
        return windows.first.map { (false, $0.start, $0.end) }
    }

    /// How many windows it has, for a line such as "delete its schedule (3 windows)".
    public var windowSummary: String {
        let count = intervals.count
        let recurring = recurrences.count
        return "\(count) window\(count == 1 ? "" : "s")"
            + (recurring == 0 ? "" : " and \(recurring) recurrence\(recurring == 1 ? "" : "s")")
    }
}

/// `Reoccurrence`: a window that comes back daily or weekly (`pattern`), until a date or a count (`range`),
/// less its exclusions and with its inclusions (`alterations`). Times are local to its zone, else the
/// schedule's.
public struct Recurrence: Sendable, Equatable {
    public var first: CampaignSchedule.Interval
    public var timeZone: String?
    /// `Daily` or `Weekly`.
    public var pattern: String
    public var every: Int
    /// ISO weekdays, Monday 1 … Sunday 7; for `Weekly`.
    public var weekdays: [Int]
    /// `NoEnd`, `EndDate` or `Numbered`.
    public var range: String
    public var rangeEnd: String?
    public var count: Int?
    public var exclusions: [CampaignSchedule.Interval]
    public var inclusions: [CampaignSchedule.Interval]

    init?(_ json: JSONValue) {
        guard let first = CampaignSchedule.Interval(json: json) else { return nil }
        self.first = first
        timeZone = json["timeZone"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        pattern = json["pattern"]?["type"]?.stringValue ?? "Daily"
        every = max(1, json["pattern"]?["interval"]?.intValue ?? 1)
        let names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        weekdays = (json["pattern"]?["daysOfWeek"]?.arrayValue ?? []).compactMap {
            $0.stringValue.flatMap { names.firstIndex(of: $0.lowercased()) }.map { $0 + 1 }
        }
        range = json["range"]?["type"]?.stringValue ?? "NoEnd"
        rangeEnd = json["range"]?["end"]?.stringValue
        count = json["range"]?["numberOfOccurrences"]?.intValue
        let alterations = json["alterations"]?.arrayValue ?? []
        let of = { (type: String) in
            alterations.filter { $0["type"]?.stringValue == type }.compactMap(CampaignSchedule.Interval.init(json:))
        }
        exclusions = of("Exclusion")
        inclusions = of("Inclusion")
    }

    /// The occurrences from the first up to the first that starts after `now` (at most ten years of days).
    public func occurrences(until now: Date, scheduleZone: String) -> [(start: Date, end: Date)] {
        let zoneName = timeZone ?? scheduleZone
        guard let initial = first.dates(in: zoneName), initial.end > initial.start else { return [] }
        let length = initial.end.timeIntervalSince(initial.start)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zoneName) ?? .gmt
        let time = calendar.dateComponents([.hour, .minute, .second], from: initial.start)
        let firstDay = calendar.startOfDay(for: initial.start)
        let firstWeekday = CallableTimeSet.isoWeekday(firstDay, calendar)
        let days = weekdays.isEmpty ? [firstWeekday] : weekdays
        let last = rangeEnd.flatMap { CampaignSchedule.Interval.date($0, zoneName) }
        let excluded = exclusions.compactMap { $0.dates(in: zoneName) }
        var found = inclusions.compactMap { $0.dates(in: zoneName) }
        var counted = 0
        for offset in 0..<3_660 {
            let occurs =
                pattern == "Weekly"
                ? ((offset + firstWeekday - 1) / 7) % every == 0 && days.contains((firstWeekday - 1 + offset) % 7 + 1)
                : offset % every == 0
            guard occurs, let day = calendar.date(byAdding: .day, value: offset, to: firstDay),
                let start = calendar.date(
                    bySettingHour: time.hour ?? 0, minute: time.minute ?? 0, second: time.second ?? 0, of: day),
                start >= initial.start
            else { continue }
            if range == "EndDate", let last, start > last { break }
            counted += 1
            if range == "Numbered", let count, counted > count { break }
            if excluded.contains(where: { $0.start <= start && start < $0.end }) { continue }
            found.append((start, start.addingTimeInterval(length)))
            if start > now { break }
        }
        return found
    }
}

/// `CampaignSchedule`: windows in which Genesys turns the campaign on at `start` and off at `end`.
public struct CampaignSchedule: WindowSchedule {
    public var document: JSONObject

    public init(document: JSONObject) {
        self.document = document
    }

    public var campaign: DomainEntityRef? { DomainEntityRef(document["campaign"]) }

    /// `ScheduleInterval`: `yyyy-MM-ddTHH:mm:ss.SSSZ`, or without a zone (then in the schedule's zone).
    public struct Interval: Sendable, Equatable {
        public var start: String
        public var end: String

        public init(start: String, end: String) {
            self.start = start
            self.end = end
        }

        init?(json: JSONValue) {
            guard let start = json["start"]?.stringValue, let end = json["end"]?.stringValue else { return nil }
            self.init(start: start, end: end)
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

    /// The actions of this rule that act on `campaignID`: directly, as the campaign that triggers it, or
    /// through one of `sequences` (those that hold the campaign).
    public func actions(on campaignID: String, throughSequences sequences: Set<String> = []) -> [Action] {
        actions.filter {
            $0.campaigns.contains(campaignID) || ($0.onTriggeringEntity && triggeringCampaigns.contains(campaignID))
                || !sequences.isDisjoint(with: $0.sequences)
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

    /// The sequence without `campaignID`, its current campaign still the one it was (or the next).
    public func without(_ campaignID: String) -> CampaignSequence {
        var copy = self
        let kept = (document["campaigns"]?.arrayValue ?? []).filter { $0["id"]?.stringValue != campaignID }
        copy.document["campaigns"] = .array(kept)
        if let current = currentCampaign, let removed = campaigns.firstIndex(of: campaignID) {
            let moved = removed < current ? current - 1 : current
            copy.document["currentCampaign"] = JSONValue(max(0, min(moved, kept.count - 1)))
        }
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

/// `DncList`, read with `includeImportStatus`.
public struct DncList: DocumentModel {
    public var document: JSONObject

    public init(document: JSONObject) {
        self.document = document
    }

    public var importStatus: ImportStatus? { ImportStatus(json: document["importStatus"]) }
}

/// `SequenceSchedule`: windows in which Genesys turns a sequence on, and so starts its current campaign.
public struct SequenceSchedule: WindowSchedule {
    public var document: JSONObject

    public init(document: JSONObject) {
        self.document = document
    }

    public var sequence: DomainEntityRef? { DomainEntityRef(document["sequence"]) }
}

/// `CampaignDiagnostics` (`GET …/campaigns/{id}/diagnostics`): Genesys's own view of why a campaign
/// dials as it does, read for the few fields `why` uses.
public struct CampaignDiagnostics: DocumentModel {
    public var document: JSONObject

    public init(document: JSONObject) {
        self.document = document
    }

    public var idleAgents: Int? { document["idleAgents"]?.intValue }
    public var numberOfContactsCalled: Int? { document["numberOfContactsCalled"]?.intValue }
    public var totalNumberOfContacts: Int? { document["totalNumberOfContacts"]?.intValue }
    /// `campaignErrors`: the campaign's current error conditions.
    public var errors: [RestErrorDetail] { (document["campaignErrors"]?.arrayValue ?? []).map(RestErrorDetail.init) }
    /// Each rule set's warnings, as `rule set NAME: WARNING`.
    public var ruleSetWarnings: [String] {
        (document["ruleSetDiagnostics"]?.arrayValue ?? []).flatMap { diagnostic -> [String] in
            let set = diagnostic["ruleSet"]
            let name = set?["name"]?.stringValue ?? set?["id"]?.stringValue ?? "?"
            return (diagnostic["warnings"]?.arrayValue ?? []).compactMap { $0.stringValue }.map {
                "rule set '\(name)': \($0)"
            }
        }
    }
}

/// `EventLog` (`GET /api/v2/outbound/events`): something the dialer reports, such as an import error
/// or a rule that acted.
public struct DialerEvent: DocumentModel {
    public var document: JSONObject

    public init(document: JSONObject) {
        self.document = document
    }

    public var timestamp: String? { document["timestamp"]?.stringValue }
    /// `INFO`, `WARNING` or `ERROR`.
    public var level: String? { document["level"]?.stringValue }
    public var category: String? { document["category"]?.stringValue }
    public var errorEntity: DomainEntityRef? { DomainEntityRef(document["errorEntity"]) }
    public var relatedEntity: DomainEntityRef? { DomainEntityRef(document["relatedEntity"]) }
    /// `eventMessage.messageWithParams` with its parameters put in, else its `message`, else its `code`.
    public var message: String {
        let message = document["eventMessage"]
        if var text = message?["messageWithParams"]?.stringValue {
            for parameter in message?["messageParams"]?.objectValue?.members ?? [] {
                let value = parameter.value.stringValue ?? parameter.value.jsonText
                text = text.replacingOccurrences(of: "{\(parameter.key)}", with: value)
            }
            return text
        }
        return message?["message"]?.stringValue ?? message?["code"]?.stringValue ?? name ?? "(no message)"
    }

    /// Whether it is about any of `ids` (its error entity or its related entity).
    public func concerns(_ ids: Set<String>) -> Bool {
        [errorEntity?.id, relatedEntity?.id].contains { $0.map(ids.contains) ?? false }
    }
}
