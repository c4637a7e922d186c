import Crypto
import Foundation

/// The hash chain: each row's hash is SHA-256 over the previous row's hash and a canonical encoding of
/// the row (its `seq` included, so moving rows breaks the chain as surely as editing or deleting them).
enum AuditChain {
    /// The `prev_hash` of the first row.
    static let genesis = String(repeating: "0", count: 64)

    static func hash(seq: Int64, entry: AuditEntry, prevHash: String) -> String {
        var hasher = SHA256()
        var canonical = prevHash
        canonical.reserveCapacity(512)
        canonical += "\n"
        for field in canonicalFields(seq: seq, entry: entry) {
            // Length-prefixed, so no value can imitate a field boundary; "-" marks a missing value.
            if let field {
                canonical += "\(field.utf8.count):"
                canonical += field
            } else {
                canonical += "-"
            }
            canonical += "|"
        }
        hasher.update(data: Data(canonical.utf8))
        return hex(hasher.finalize())
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func hex(_ digest: SHA256.Digest) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(hexDigits[Int(byte >> 4)])
            bytes.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func canonicalFields(seq: Int64, entry: AuditEntry) -> [String?] {
        [
            String(seq), String(Int64((entry.time.timeIntervalSince1970 * 1000).rounded())), entry.actor.profile,
            entry.actor.clientID, entry.actor.osUser, entry.actor.host, entry.session, entry.command, entry.campaignID,
            entry.campaignName, entry.verb, entry.fromStatus, entry.toStatus, entry.outcome.rawValue, String(entry.attempt),
            entry.versionBefore.map(String.init), entry.versionAfter.map(String.init), entry.latencyMs.map(String.init),
            entry.httpStatus.map(String.init), entry.correlationID, entry.overrideChecks, entry.overrideReason,
            entry.errorMessage,
        ]
    }
}
