/// Helpers for the generated `exiRandom` factories: random values inside schema facets, with a
/// bias towards the edges (minimum, maximum, empty, longest) where codecs break.
public enum EXIRandom {
    /// Pass as `depth` to get the largest value the schema allows: every optional present, every
    /// array at its maxOccurs (unbounded ones at minOccurs + 3).
    public static let maximal = 1_000

    public static func integer<R: RandomNumberGenerator>(_ min: Int64, _ max: Int64, _ r: inout R) -> Int64 {
        switch UInt8.random(in: 0..<8, using: &r) {
        case 0: return min
        case 1: return max
        case 2: return Swift.min(Swift.max(0, min), max)
        default: return Int64.random(in: min...max, using: &r)
        }
    }

    public static func unsigned<R: RandomNumberGenerator>(_ min: UInt64, _ max: UInt64, _ r: inout R) -> UInt64 {
        switch UInt8.random(in: 0..<8, using: &r) {
        case 0: return min
        case 1: return max
        default: return UInt64.random(in: min...max, using: &r)
        }
    }

    /// Strings mix ASCII with multi-byte characters (EXI counts code points, not bytes).
    public static func string<R: RandomNumberGenerator>(_ minLength: Int, _ maxLength: Int, _ r: inout R) -> String {
        let upper = Swift.min(maxLength, minLength + 48)
        let n = Bool.random(using: &r) && maxLength <= 1024 ? maxLength : Int.random(in: minLength...Swift.max(minLength, upper), using: &r)
        let alphabet: [Unicode.Scalar] = ["A", "z", "0", "_", "-", " ", ":", "/", "é", "€", "😀", "ß"]
        var s = String.UnicodeScalarView()
        for _ in 0..<n { s.append(alphabet.randomElement(using: &r)!) }
        return String(s)
    }

    public static func bytes<R: RandomNumberGenerator>(_ minLength: Int, _ maxLength: Int, _ r: inout R) -> [UInt8] {
        let upper = Swift.min(maxLength, minLength + 64)
        let n = Bool.random(using: &r) && maxLength <= 2048 ? maxLength : Int.random(in: minLength...Swift.max(minLength, upper), using: &r)
        return (0..<n).map { _ in UInt8.random(in: 0...255, using: &r) }
    }

    /// Occurrence count: often the minimum, sometimes the maximum the schema allows.
    public static func count<R: RandomNumberGenerator>(_ min: Int, _ max: Int?, _ depth: Int, _ r: inout R) -> Int {
        if depth > 100 { return max ?? (min + 3) }
        if depth <= 0 { return min }
        let top = max ?? (min + 3)
        switch UInt8.random(in: 0..<4, using: &r) {
        case 0: return min
        case 1: return depth >= 4 ? top : Swift.min(top, min + 2)
        default: return Int.random(in: min...Swift.min(top, min + 4), using: &r)
        }
    }

    public static func present<R: RandomNumberGenerator>(_ depth: Int, _ r: inout R) -> Bool {
        depth > 100 || depth > 0 && Bool.random(using: &r)
    }
}

/// SplitMix64: a small, fast, seedable generator, so property and fuzz tests reproduce.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
