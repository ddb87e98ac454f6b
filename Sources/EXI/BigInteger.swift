/// An arbitrary-precision integer for `xs:integer` (X509SerialNumber can be 20 bytes long).
/// Stored as sign and magnitude in base-128 digits, least significant first — the layout of the
/// EXI unsigned integer, so encoding is a copy.
public struct BigInteger: Sendable, Hashable, CustomStringConvertible {
    public let isNegative: Bool
    /// |value| in base 128, least significant digit first, no leading zero digits; empty for 0.
    public let groups: [UInt8]

    public init(_ v: Int64) {
        isNegative = v < 0
        var m = v.magnitude
        var g: [UInt8] = []
        while m > 0 { g.append(UInt8(m & 0x7F)); m >>= 7 }
        groups = g
    }

    /// From an EXI integer: the sign bit and the unsigned magnitude groups (|v| - 1 when negative).
    public init(negative: Bool, exiMagnitude: [UInt8]) {
        var g = exiMagnitude
        while let last = g.last, last == 0 { g.removeLast() }
        if negative { g = BigInteger.increment(g) }
        isNegative = negative && !g.isEmpty
        groups = g
    }

    /// Parses an optional '-' and decimal digits.
    public init?(decimal: String) {
        var digits = Substring(decimal)
        var neg = false
        if digits.first == "-" { neg = true; digits = digits.dropFirst() } else if digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 4096 else { return nil }
        var g: [UInt8] = []
        for ch in digits {
            guard let d = ch.wholeNumberValue, ch.isASCII else { return nil }
            // g = g * 10 + d, in base 128
            var carry = d
            for i in 0..<g.count {
                let v = Int(g[i]) * 10 + carry
                g[i] = UInt8(v & 0x7F)
                carry = v >> 7
            }
            while carry > 0 { g.append(UInt8(carry & 0x7F)); carry >>= 7 }
        }
        while let last = g.last, last == 0 { g.removeLast() }
        groups = g
        isNegative = neg && !g.isEmpty
    }

    /// The value as Int64 when it fits.
    public var int64: Int64? {
        guard groups.count <= 10 else { return nil }
        var m: UInt64 = 0
        for g in groups.reversed() {
            if m > (UInt64.max >> 7) { return nil }
            m = m << 7 | UInt64(g)
        }
        if isNegative { return m <= UInt64(Int64.max) + 1 ? (m == UInt64(Int64.max) + 1 ? Int64.min : -Int64(m)) : nil }
        return m <= UInt64(Int64.max) ? Int64(m) : nil
    }

    public var description: String {
        if groups.isEmpty { return "0" }
        var g = groups
        var out: [UInt8] = []
        while !g.isEmpty {
            // divide g by 10
            var rem = 0
            for i in stride(from: g.count - 1, through: 0, by: -1) {
                let v = rem << 7 | Int(g[i])
                g[i] = UInt8(v / 10)
                rem = v % 10
            }
            out.append(UInt8(ascii: "0") + UInt8(rem))
            while let last = g.last, last == 0 { g.removeLast() }
        }
        if isNegative { out.append(UInt8(ascii: "-")) }
        return String(decoding: out.reversed(), as: UTF8.self)
    }

    static func increment(_ g: [UInt8]) -> [UInt8] {
        var g = g
        var i = 0
        while true {
            if i == g.count { g.append(1); return g }
            if g[i] < 0x7F { g[i] += 1; return g }
            g[i] = 0
            i += 1
        }
    }

    static func decrement(_ g: [UInt8]) -> [UInt8] {
        var g = g
        for i in 0..<g.count {
            if g[i] > 0 { g[i] -= 1; break }
            g[i] = 0x7F
        }
        while let last = g.last, last == 0 { g.removeLast() }
        return g
    }
}

extension BigInteger: Codable {
    /// JSON: a number when it fits 64 bits, otherwise a decimal string.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Int64.self) { self.init(v); return }
        if let v = try? c.decode(UInt64.self), let b = BigInteger(decimal: String(v)) { self = b; return }
        if let s = try? c.decode(String.self), let b = BigInteger(decimal: s) { self = b; return }
        if let d = try? c.decode(Double.self), d.rounded() == d, abs(d) < 9.0e15 { self.init(Int64(d)); return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an integer")
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let v = int64 { try c.encode(v) } else { try c.encode(description) }
    }
}
