import Crypto
import Foundation

/// The hash chain: each row's hash is SHA-256 over the previous row's hash and a canonical encoding of
/// the row's stored values in the columns of its hash version (`seq` among them, so moving rows breaks the
/// chain as surely as editing or deleting them).
///
/// The encoding works on the bytes SQLite stores, so `verify` hashes rows straight from the database
/// without decoding them into records, and appending hashes the same bytes it is about to store.
enum AuditChain {
    /// The `prev_hash` of the first row.
    static let genesis = String(repeating: "0", count: 64)

    /// The columns each hash version's input is made of, as indexes into `AuditTable.columns`: version v's
    /// are at v - 1. A row records its version, so a version that hashes more columns leaves older rows
    /// verifiable.
    static let inputColumns: [[Int32]] = {
        let versions = AuditTable.columns.compactMap(\.hashedSince).max() ?? 1
        return (1...versions).map { version in
            AuditTable.columns.indices.filter { AuditTable.columns[$0].hashedSince.map { $0 <= version } ?? false }
                .map(Int32.init)
        }
    }()

    /// The hash version new rows are written with.
    static var currentVersion: Int { inputColumns.count }

    /// The hash of a row whose stored values, in `AuditTable.columns` order, are `values`.
    static func hash(_ values: [AuditValue], version: Int, prevHash: String) -> String {
        var canonical = CanonicalRow()
        let digits = DecimalDigits()
        canonical.begin(previousHash: prevHash.utf8)
        for column in inputColumns[version - 1] {
            switch values[Int(column)] {
            case .null:
                canonical.append(field: nil)
            case .text(var text):
                text.withUTF8 { canonical.append(field: UnsafeRawBufferPointer($0)) }
            case .integer(let number), .time(let number):
                canonical.append(field: digits.text(of: number))
            }
        }
        return String(decoding: canonical.hexDigest(), as: UTF8.self)
    }

    static func timeMilliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}

/// An integer as the chain hashes it: its decimal text, as SQLite turns an integer into text. One buffer,
/// reused: `verify` writes every integer of every row with it.
final class DecimalDigits {
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 24, alignment: 1)

    deinit { buffer.deallocate() }

    /// `value`'s digits (after a `-` when negative), valid until the next call.
    func text(of value: Int64) -> UnsafeRawBufferPointer {
        var magnitude = value.magnitude
        var start = buffer.count
        repeat {
            start -= 1
            buffer[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        if value < 0 {
            start -= 1
            buffer[start] = UInt8(ascii: "-")
        }
        return UnsafeRawBufferPointer(rebasing: buffer[start...])
    }
}

/// The bytes one row's hash is computed over: `prev_hash`, a newline, then each value length-prefixed
/// (`LEN:bytes|`, so no value can imitate a field boundary) or `-|` for NULL. One buffer, reused row after
/// row: `verify` runs this for every row of the store.
struct CanonicalRow: ~Copyable {
    private var buffer: UnsafeMutableRawPointer
    private var capacity = 1024
    private var count = 0

    init() {
        buffer = .allocate(byteCount: capacity, alignment: 1)
    }

    deinit { buffer.deallocate() }

    mutating func begin(previousHash: some Collection<UInt8>) {
        count = 0
        reserve(previousHash.count + 1)
        for byte in previousHash { put(byte) }
        put(UInt8(ascii: "\n"))
    }

    mutating func append(field: UnsafeRawBufferPointer?) {
        guard let field else {
            reserve(2)
            put(UInt8(ascii: "-"))
            put(UInt8(ascii: "|"))
            return
        }
        reserve(field.count + 22)
        // The length in decimal, written backwards into place.
        var digits = 1
        var rest = field.count / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        var value = field.count
        for position in stride(from: count + digits - 1, through: count, by: -1) {
            buffer.storeBytes(of: UInt8(ascii: "0") + UInt8(value % 10), toByteOffset: position, as: UInt8.self)
            value /= 10
        }
        count += digits
        put(UInt8(ascii: ":"))
        if let base = field.baseAddress, field.count > 0 {
            (buffer + count).copyMemory(from: base, byteCount: field.count)
            count += field.count
        }
        put(UInt8(ascii: "|"))
    }

    private mutating func put(_ byte: UInt8) {
        buffer.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        capacity = max(capacity * 2, count + extra)
        let larger = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
        larger.copyMemory(from: buffer, byteCount: count)
        buffer.deallocate()
        buffer = larger
    }

    /// SHA-256 of the bytes, as 64 lowercase hex digits.
    func hexDigest() -> [UInt8] {
        var hex = [UInt8](repeating: 0, count: 64)
        hex.withUnsafeMutableBytes { writeHexDigest(into: $0) }
        return hex
    }

    /// Writes the digest's 64 hex digits into `hex` (the hot path reuses one buffer).
    func writeHexDigest(into hex: UnsafeMutableRawBufferPointer) {
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: count))
        var index = 0
        for byte in hasher.finalize() {
            hex[index] = Self.hexDigit(byte >> 4)
            hex[index + 1] = Self.hexDigit(byte & 0x0F)
            index += 2
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
