import Foundation
import Testing

@testable import AuditPlugin

struct TimestampTests {
    /// The hand-written formatter must agree with Foundation's ISO-8601 style to the second, and print the
    /// stored millisecond (Foundation prints .998 for a date made from 999 ms: binary fractions truncate).
    @Test func matchesFoundationAcrossCenturiesLeapDaysAndMidnights() {
        let seconds = Date.ISO8601FormatStyle()
        let fixed: [Int64] = [
            0, -1, 1, 86_399_999, 86_400_000, 951_782_400_000, 951_868_799_999, 4_107_542_400_000,
            1_796_083_200_123, -2_208_988_800_000, 253_402_300_799_999,
        ]
        var generator = SystemRandomNumberGenerator()
        let random = (0..<2_000).map { _ in Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &generator)
        }
        for milliseconds in fixed + random {
            let wholeSeconds = milliseconds.floorDivided(by: 1000)
            let expected =
                Date(timeIntervalSince1970: Double(wholeSeconds)).formatted(seconds).dropLast()
                + String(format: ".%03lldZ", milliseconds - wholeSeconds * 1000)
            #expect(
                AuditExport.timestamp(Date(timeIntervalSince1970: Double(milliseconds) / 1000)) == expected,
                "\(milliseconds) ms")
        }
    }
}
