import V2GCapture

/// Hand-made captures for the reader's edge cases: link-layer frames, IPv4/IPv6, UDP and TCP
/// segments, and pcap or pcapng files around them.
enum CaptureBuilder {
    static let evcc: [UInt8] = [0xFE, 0x80] + Array(repeating: 0, count: 13) + [0x01]
    static let secc: [UInt8] = [0xFE, 0x80] + Array(repeating: 0, count: 13) + [0x02]

    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8((v >> $0) & 0xFF) } }
    static func le16(_ v: UInt16) -> [UInt8] { be16(v).reversed() }
    static func le32(_ v: UInt32) -> [UInt8] { be32(v).reversed() }

    static func tcp(from: UInt16, to: UInt16, seq: UInt32, flags: UInt8 = 0x18, _ payload: [UInt8] = []) -> [UInt8] {
        be16(from) + be16(to) + be32(seq) + be32(0) + [0x50, flags] + be16(65535) + [0, 0, 0, 0] + payload
    }

    static func udp(from: UInt16, to: UInt16, _ payload: [UInt8]) -> [UInt8] {
        be16(from) + be16(to) + be16(UInt16(8 + payload.count)) + [0, 0] + payload
    }

    static func ipv6(_ src: [UInt8], _ dst: [UInt8], proto: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0x60, 0, 0, 0] + be16(UInt16(payload.count)) + [proto, 64] + src + dst + payload
    }

    static func ipv4(_ src: [UInt8], _ dst: [UInt8], proto: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0x45, 0] + be16(UInt16(20 + payload.count)) + [0, 0, 0, 0, 64, proto, 0, 0] + src + dst + payload
    }

    static func ethernet(_ ip: [UInt8], vlan: Bool = false) -> [UInt8] {
        let type: UInt16 = ip.first.map { $0 >> 4 == 6 ? 0x86DD : 0x0800 } ?? 0x0800
        return Array(repeating: 0x02, count: 12) + (vlan ? [0x81, 0x00, 0x00, 0x05] : []) + be16(type) + ip
    }

    /// A TCP segment EVCC → SECC (or back) on IPv6 over Ethernet.
    static func segment(fromEVCC: Bool, seq: UInt32, flags: UInt8 = 0x18, _ payload: [UInt8]) -> [UInt8] {
        let (s, d, sp, dp): ([UInt8], [UInt8], UInt16, UInt16) = fromEVCC ? (evcc, secc, 50_000, 61_000) : (secc, evcc, 61_000, 50_000)
        return ethernet(ipv6(s, d, proto: 6, tcp(from: sp, to: dp, seq: seq, flags: flags, payload)))
    }

    /// A classic pcap (little-endian, microseconds) of these packets, 1 ms apart.
    static func pcap(_ packets: [[UInt8]], linkType: UInt32 = 1) -> [UInt8] {
        var out = le32(0xA1B2_C3D4) + le16(2) + le16(4) + le32(0) + le32(0) + le32(262_144) + le32(linkType)
        for (i, p) in packets.enumerated() {
            out += le32(1_700_000_000) + le32(UInt32(i * 1000)) + le32(UInt32(p.count)) + le32(UInt32(p.count)) + p
        }
        return out
    }

    static func block(_ type: UInt32, _ body: [UInt8]) -> [UInt8] {
        let padded = body + Array(repeating: 0, count: (4 - body.count % 4) % 4)
        let length = UInt32(12 + padded.count)
        return le32(type) + le32(length) + padded + le32(length)
    }

    /// A pcapng section: interfaces (link type, if_tsresol) and blocks after them.
    static func pcapng(interfaces: [(UInt16, UInt8?)], _ blocks: [[UInt8]]) -> [UInt8] {
        var out = block(0x0A0D_0D0A, le32(0x1A2B_3C4D) + le16(1) + le16(0) + le32(0xFFFF_FFFF) + le32(0xFFFF_FFFF))
        for (link, resolution) in interfaces {
            var options: [UInt8] = []
            if let r = resolution { options += le16(9) + le16(1) + [r, 0, 0, 0] }
            options += le16(0) + le16(0)
            out += block(1, le16(link) + le16(0) + le32(262_144) + options)
        }
        for b in blocks { out += b }
        return out
    }

    static func enhanced(interface: UInt32, time: UInt64, _ data: [UInt8]) -> [UInt8] {
        block(6, le32(interface) + le32(UInt32(time >> 32)) + le32(UInt32(time & 0xFFFF_FFFF)) + le32(UInt32(data.count)) + le32(UInt32(data.count)) + data)
    }

    /// A V2GTP frame with a payload of `n` bytes (EXI need not decode for framing).
    static func frame(_ type: UInt16, _ payload: [UInt8]) -> [UInt8] {
        [0x01, 0xFE] + be16(type) + be32(UInt32(payload.count)) + payload
    }

    /// Reads a whole capture through the parser (in pieces of `chunk` bytes) and the V2G reader.
    static func read(_ file: [UInt8], chunk: Int = 7) throws -> [CaptureEvent] {
        var parser = CaptureFileParser()
        var reader = V2GCaptureReader()
        var events: [CaptureEvent] = []
        var at = 0
        while at < file.count {
            for record in try parser.feed(file[at..<min(file.count, at + chunk)]) { events += reader.record(record) }
            at += chunk
        }
        try parser.finish()
        return events + reader.finish()
    }

    static func frames(_ events: [CaptureEvent]) -> [CapturedFrame] {
        events.compactMap { if case .frame(let f) = $0 { return f }; return nil }
    }
}
