/// Integers out of a byte array, bounds-checked: nil past the end (the callers turn that into a
/// typed error with the position). Big-endian for network headers; pcap and pcapng fields in the
/// byte order their file declares.
extension Array where Element == UInt8 {
    // Public for the trace's TLS reading (`V2GTrace`), which parses the same way.
    public func u8(_ at: Int) -> UInt8? { at >= 0 && at < count ? self[at] : nil }

    public func u16(_ at: Int, bigEndian: Bool = true) -> UInt16? {
        guard at >= 0, at + 2 <= count else { return nil }
        let a = UInt16(self[at]), b = UInt16(self[at + 1])
        return bigEndian ? a << 8 | b : b << 8 | a
    }

    public func u32(_ at: Int, bigEndian: Bool = true) -> UInt32? {
        guard at >= 0, at + 4 <= count else { return nil }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(self[at + (bigEndian ? i : 3 - i)]) << (8 * (3 - i)) }
        return v
    }

    public func u64(_ at: Int, bigEndian: Bool = true) -> UInt64? {
        guard let a = u32(at, bigEndian: bigEndian), let b = u32(at + 4, bigEndian: bigEndian) else { return nil }
        return bigEndian ? UInt64(a) << 32 | UInt64(b) : UInt64(b) << 32 | UInt64(a)
    }

    public func slice(_ at: Int, _ length: Int) -> [UInt8]? {
        guard at >= 0, length >= 0, at + length <= count else { return nil }
        return Array(self[at..<(at + length)])
    }
}
