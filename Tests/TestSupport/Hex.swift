extension Array where Element == UInt8 {
    /// Bytes from a hexadecimal string written in a test (pairs of digits, no separators); a
    /// malformed fixture traps, as it is the test's own text.
    public init(hex: String) {
        let digits = Array(hex.utf8)
        precondition(digits.count.isMultiple(of: 2), "odd hex fixture")
        self = stride(from: 0, to: digits.count, by: 2).map { i in
            UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16)!  // fixture: the test's own text
        }
    }
}
