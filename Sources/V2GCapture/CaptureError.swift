/// Why a capture (or a packet in it) cannot be read: what was wrong and where (the byte offset in
/// the file, or the packet's number). Every error is typed; nothing in a capture can crash the reader.
public enum CaptureError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not pcap or pcapng: the first four bytes.
    case unknownFormat([UInt8])
    /// The file ends inside a header, record or block that began at `offset`.
    case truncated(offset: Int, needed: Int, available: Int)
    /// A record or block whose length is impossible or beyond the bound this reader keeps
    /// (a capture streams in constant memory).
    case badLength(offset: Int, length: Int, maximum: Int)
    /// A pcapng block that breaks the format (its trailing length, a missing section header).
    case malformedBlock(offset: Int, String)
    /// A packet on an interface the section never described.
    case unknownInterface(offset: Int, Int)

    public var description: String {
        switch self {
        case .unknownFormat(let magic):
            return "not a pcap or pcapng capture (starts with \(magic.map { String($0, radix: 16) }.joined(separator: " ")))"
        case .truncated(let offset, let needed, let available):
            return "the capture is truncated: the record at byte \(offset) needs \(needed) bytes, \(available) remain"
        case .badLength(let offset, let length, let maximum):
            return "the record at byte \(offset) claims \(length) bytes (at most \(maximum) are accepted)"
        case .malformedBlock(let offset, let what):
            return "malformed pcapng block at byte \(offset): \(what)"
        case .unknownInterface(let offset, let id):
            return "the packet at byte \(offset) names interface \(id), which its section does not describe"
        }
    }
}
