import Foundation

/// Seeded inputs for fuzz tests: the same seed makes the same inputs, so a failure replays.
///
/// `FUZZ_ITERATIONS` sets how many inputs each target gets (2,000 in `scripts/test`, 100,000 in
/// `scripts/soak`); `FUZZ_SEED` the seed.
public struct Fuzz: RandomNumberGenerator {
    public static var iterations: Int {
        ProcessInfo.processInfo.environment["FUZZ_ITERATIONS"].flatMap(Int.init) ?? 2_000
    }

    public static var seed: UInt64 {
        ProcessInfo.processInfo.environment["FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_201
    }

    private var state: UInt64

    public init(seed: UInt64 = Fuzz.seed) {
        state = seed
    }

    /// SplitMix64.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Up to `length` characters drawn from `alphabet`.
    public mutating func text(from alphabet: [String], length: Int) -> String {
        (0..<Int.random(in: 0...length, using: &self)).map { _ in alphabet.randomElement(using: &self)! }.joined()
    }

    /// `sample` with a few random edits: bytes flipped, dropped, repeated, or replaced by `tokens`.
    public mutating func mutate(_ sample: String, tokens: [String]) -> [UInt8] {
        var bytes = Array(sample.utf8)
        for _ in 0..<Int.random(in: 1...4, using: &self) {
            let at = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &self)
            switch Int.random(in: 0..<5, using: &self) {
            case 0 where !bytes.isEmpty: bytes[at] = UInt8.random(in: 0...255, using: &self)
            case 1 where !bytes.isEmpty:
                bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...8, using: &self)))
            case 2 where !bytes.isEmpty:
                let end = min(bytes.count, at + Int.random(in: 1...16, using: &self))
                bytes.insert(contentsOf: bytes[at..<end], at: at)
            case 3: bytes.insert(contentsOf: Array(tokens.randomElement(using: &self)!.utf8), at: at)
            default: bytes = Array(bytes.prefix(at))
            }
        }
        return bytes
    }
}
