/// An IPv4 or IPv6 address, as captured.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        // RFC 5952: lower-case hex groups, the longest run of zero groups (two or more) as "::".
        var groups: [UInt16] = []
        for i in stride(from: 0, to: bytes.count - 1, by: 2) { groups.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])) }
        var best = (start: -1, length: 0), run = (start: -1, length: 0)
        for (i, g) in groups.enumerated() {
            if g == 0 { run = run.start < 0 ? (i, 1) : (run.start, run.length + 1); if run.length > best.length { best = run } }
            else { run = (-1, 0) }
        }
        let text = groups.map { String($0, radix: 16) }
        guard best.length >= 2 else { return text.joined(separator: ":") }
        let head = text[..<best.start].joined(separator: ":"), tail = text[(best.start + best.length)...].joined(separator: ":")
        return head + "::" + tail
    }
}

/// The IP layer of a packet: addresses, the transport protocol and its bytes.
public struct IPPacket: Sendable, Hashable {
    public var source: IPAddress
    public var destination: IPAddress
    /// IANA protocol number: 6 TCP, 17 UDP.
    public var transport: UInt8
    public var payload: [UInt8]

    /// Why an IP packet is not read further.
    public enum Skip: Error, Sendable, Hashable {
        case notIP
        case truncated
        /// A fragment: V2G messages are small and travel in whole packets; fragments are reported, not reassembled.
        case fragment
    }

    /// Parses an IPv4 or IPv6 packet (IPv6 extension headers skipped up to the transport).
    public init(_ b: [UInt8]) throws(Skip) {
        guard let first = b.u8(0) else { throw .truncated }
        switch first >> 4 {
        case 4:
            let headerLength = Int(first & 0x0F) * 4
            guard headerLength >= 20, let total = b.u16(2), let flags = b.u16(6), let proto = b.u8(9),
                  let src = b.slice(12, 4), let dst = b.slice(16, 4) else { throw .truncated }
            if flags & 0x3FFF != 0 { throw .fragment }  // more fragments, or an offset
            let end = min(b.count, max(Int(total), headerLength))
            guard end >= headerLength else { throw .truncated }
            self.init(source: IPAddress(src), destination: IPAddress(dst), transport: proto, payload: Array(b[headerLength..<end]))
        case 6:
            guard let length = b.u16(4), var next = b.u8(6), let src = b.slice(8, 16), let dst = b.slice(24, 16) else { throw .truncated }
            var at = 40
            let end = min(b.count, 40 + Int(length))
            // Hop-by-hop, routing, destination options, mobility: skip; a fragment header: report.
            while [0, 43, 60, 135, 51, 44].contains(next) {
                if next == 44 { throw .fragment }
                guard let nextHeader = b.u8(at), let extensionLength = b.u8(at + 1) else { throw .truncated }
                let size = next == 51 ? (Int(extensionLength) + 2) * 4 : (Int(extensionLength) + 1) * 8
                next = nextHeader
                at += size
            }
            guard at <= end else { throw .truncated }
            self.init(source: IPAddress(src), destination: IPAddress(dst), transport: next, payload: Array(b[at..<end]))
        default:
            throw .notIP
        }
    }

    public init(source: IPAddress, destination: IPAddress, transport: UInt8, payload: [UInt8]) {
        self.source = source; self.destination = destination; self.transport = transport; self.payload = payload
    }

    /// The IP packet inside a captured link-layer frame (Ethernet with 802.1Q tags, Linux cooked
    /// v1 and v2, raw IP, BSD loopback); nil for anything that is not IP.
    public static func ipBytes(of packet: CapturedPacket) -> [UInt8]? {
        let d = packet.data
        switch packet.linkType {
        case .ethernet:
            var at = 12
            while let type = d.u16(at), type == 0x8100 || type == 0x88A8 { at += 4 }
            guard let type = d.u16(at), type == 0x0800 || type == 0x86DD else { return nil }
            return Array(d.dropFirst(at + 2))
        case .linuxSLL:
            guard let type = d.u16(14), type == 0x0800 || type == 0x86DD else { return nil }
            return Array(d.dropFirst(16))
        case .linuxSLL2:
            guard let type = d.u16(0), type == 0x0800 || type == 0x86DD else { return nil }
            return Array(d.dropFirst(20))
        case .raw, .ipv4, .ipv6, LinkType(rawValue: 12), LinkType(rawValue: 14):
            return d
        case .null, .loop:
            // The address family: 2 IPv4; 24, 28, 30 IPv6 (BSDs differ); either byte order for null.
            guard let family = d.u32(0), let swapped = d.u32(0, bigEndian: false) else { return nil }
            let families: Set<UInt32> = [2, 24, 28, 30]
            guard families.contains(family) || (packet.linkType == .null && families.contains(swapped)) else { return nil }
            return Array(d.dropFirst(4))
        default:
            return nil
        }
    }
}

/// A UDP datagram or TCP segment's header fields and payload.
public struct TransportSegment: Sendable, Hashable {
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// TCP only.
    public var sequence: UInt32 = 0
    public var flags: UInt8 = 0
    public var payload: [UInt8]

    public static let fin: UInt8 = 0x01, syn: UInt8 = 0x02, rst: UInt8 = 0x04, ack: UInt8 = 0x10

    public static func udp(_ b: [UInt8]) -> TransportSegment? {
        guard let s = b.u16(0), let d = b.u16(2), let length = b.u16(4), length >= 8 else { return nil }
        return TransportSegment(sourcePort: s, destinationPort: d, payload: Array(b[8..<min(b.count, Int(length))]))
    }

    public static func tcp(_ b: [UInt8]) -> TransportSegment? {
        guard let s = b.u16(0), let d = b.u16(2), let seq = b.u32(4), let offset = b.u8(12), let flags = b.u8(13) else { return nil }
        let header = Int(offset >> 4) * 4
        guard header >= 20, header <= b.count else { return nil }
        return TransportSegment(sourcePort: s, destinationPort: d, sequence: seq, flags: flags, payload: Array(b[header...]))
    }
}
