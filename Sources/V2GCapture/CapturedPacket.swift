/// A packet as the capture holds it: when, on which link type, its bytes.
public struct CapturedPacket: Sendable, Hashable {
    /// Nanoseconds since the Unix epoch (the file's resolution, scaled).
    public var time: Int64
    public var linkType: LinkType
    /// The pcapng interface it came on (0 for pcap).
    public var interface: Int
    /// The bytes captured (possibly fewer than `originalLength`: the snap length).
    public var data: [UInt8]
    public var originalLength: Int
    /// Its number in the capture, from 1, as Wireshark counts.
    public var number: Int

    public init(time: Int64, linkType: LinkType, interface: Int = 0, data: [UInt8], originalLength: Int, number: Int) {
        self.time = time; self.linkType = linkType; self.interface = interface; self.data = data
        self.originalLength = originalLength; self.number = number
    }
}

/// What a capture file yields, in file order.
public enum CaptureRecord: Sendable, Hashable {
    case packet(CapturedPacket)
    /// A pcapng Decryption Secrets Block: its type (0x544c534b "TLSK": an NSS key log) and data.
    case decryptionSecrets(type: UInt32, data: [UInt8])
}

/// The link-layer header types a V2G capture comes with (tcpdump.org LINKTYPE_* values).
public struct LinkType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// BSD loopback: a 4-byte address family in the capturing host's byte order.
    public static let null = LinkType(rawValue: 0)
    public static let ethernet = LinkType(rawValue: 1)
    public static let raw = LinkType(rawValue: 101)
    /// OpenBSD loopback: the address family big-endian.
    public static let loop = LinkType(rawValue: 108)
    public static let linuxSLL = LinkType(rawValue: 113)
    public static let ipv4 = LinkType(rawValue: 228)
    public static let ipv6 = LinkType(rawValue: 229)
    public static let linuxSLL2 = LinkType(rawValue: 276)

    public var description: String {
        switch self {
        case .null: return "null/loopback"
        case .ethernet: return "Ethernet"
        case .raw, .ipv4, .ipv6: return "raw IP"
        case .loop: return "loop"
        case .linuxSLL: return "Linux cooked v1"
        case .linuxSLL2: return "Linux cooked v2"
        default: return "link type \(rawValue)"
        }
    }
}
