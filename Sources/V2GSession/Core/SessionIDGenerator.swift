import EXI

/// SessionIDs: 8 bytes from the system CSPRNG, never all zero ([V2G20-2621]: ≥ 58 bits of entropy;
/// [V2G20-2106]: a new, non-zero SessionID for a new session).
public enum SessionIDGenerator {
    public static let zero: ShortBinary = [0, 0, 0, 0, 0, 0, 0, 0]

    @Sendable public static func random() -> ShortBinary {
        var g = SystemRandomNumberGenerator()
        while true {
            let v = g.next()
            if v != 0 { return withUnsafeBytes(of: v) { ShortBinary($0) } }
        }
    }
}
