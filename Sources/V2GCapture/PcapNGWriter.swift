/// Writes pcapng (the bytes; the caller stores them): a section header, one interface of raw IP
/// packets with nanosecond timestamps, Enhanced Packet Blocks, and Decryption Secrets Blocks
/// carrying an NSS key log, so that `v2g trace` and Wireshark/tshark decrypt the TLS in it.
public enum PcapNGWriter {
    /// Section header and one interface: LINKTYPE_RAW (101, IPv4 or IPv6 by the version nibble),
    /// if_tsresol 9 (nanoseconds).
    public static func header(application: String = "swift-iso15118") -> [UInt8] {
        var shbOptions = option(4, Array(application.utf8)) + endOfOptions
        shbOptions = le32(0x1A2B_3C4D) + le16(1) + le16(0) + le64(UInt64.max) + shbOptions
        let idb = le16(101) + le16(0) + le32(0) + option(9, [9]) + endOfOptions
        return block(0x0A0D_0D0A, shbOptions) + block(1, idb)
    }

    /// An Enhanced Packet Block of the one interface.
    public static func packet(time nanoseconds: Int64, _ data: [UInt8]) -> [UInt8] {
        let t = UInt64(max(0, nanoseconds))
        return block(6, le32(0) + le32(UInt32(t >> 32)) + le32(UInt32(t & 0xFFFF_FFFF)) + le32(UInt32(data.count)) + le32(UInt32(data.count)) + data)
    }

    /// A Decryption Secrets Block with NSS key-log lines (secrets type "TLSK").
    public static func secrets(keyLog lines: String) -> [UInt8] {
        let data = Array(lines.utf8)
        return block(0x0000_000A, le32(0x544C_534B) + le32(UInt32(data.count)) + data)
    }

    static let endOfOptions: [UInt8] = [0, 0, 0, 0]

    static func option(_ code: UInt16, _ value: [UInt8]) -> [UInt8] {
        le16(code) + le16(UInt16(value.count)) + value + Array(repeating: 0, count: (4 - value.count % 4) % 4)
    }

    static func block(_ type: UInt32, _ body: [UInt8]) -> [UInt8] {
        let padded = body + Array(repeating: 0, count: (4 - body.count % 4) % 4)
        let length = UInt32(12 + padded.count)
        return le32(type) + le32(length) + padded + le32(length)
    }

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
    static func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8((v >> (8 * UInt64($0))) & 0xFF) } }
}

/// A TCP connection's packets made up from what its two ends sent (a runtime sees the bytes, not
/// the packets): the three-way handshake, data in segments of at most `segmentSize` with
/// consistent sequence and acknowledgement numbers, and the close. IPv6 or IPv4 by the
/// addresses' size; checksums are left zero (captures of loopback have them unset too).
public struct TCPConversation: Sendable {
    public let client: Endpoint
    public let server: Endpoint
    public var segmentSize = 1400
    private var clientSequence: UInt32 = 0x1000_0000
    private var serverSequence: UInt32 = 0x2000_0000

    public init(client: Endpoint, server: Endpoint) { self.client = client; self.server = server }

    public mutating func open() -> [[UInt8]] {
        let syn = packet(fromClient: true, flags: 0x02, [])
        clientSequence &+= 1
        let synAck = packet(fromClient: false, flags: 0x12, [])
        serverSequence &+= 1
        return [syn, synAck, packet(fromClient: true, flags: 0x10, [])]
    }

    public mutating func data(fromClient: Bool, _ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var at = 0
        while at < bytes.count {
            let chunk = Array(bytes[at..<min(bytes.count, at + segmentSize)])
            out.append(packet(fromClient: fromClient, flags: 0x18, chunk))
            if fromClient { clientSequence &+= UInt32(chunk.count) } else { serverSequence &+= UInt32(chunk.count) }
            at += chunk.count
        }
        return out
    }

    public mutating func close() -> [[UInt8]] {
        let fin = packet(fromClient: true, flags: 0x11, [])
        clientSequence &+= 1
        let finAck = packet(fromClient: false, flags: 0x11, [])
        serverSequence &+= 1
        return [fin, finAck, packet(fromClient: true, flags: 0x10, [])]
    }

    private func packet(fromClient: Bool, flags: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let (s, d) = fromClient ? (client, server) : (server, client)
        let (seq, ack) = fromClient ? (clientSequence, serverSequence) : (serverSequence, clientSequence)
        let tcp = be16(s.port) + be16(d.port) + be32(seq) + be32(flags & 0x10 != 0 ? ack : 0) + [0x50, flags] + be16(65535) + [0, 0, 0, 0] + payload
        if s.address.bytes.count == 16 {
            return [0x60, 0, 0, 0] + be16(UInt16(tcp.count)) + [6, 64] + s.address.bytes + d.address.bytes + tcp
        }
        return [0x45, 0] + be16(UInt16(20 + tcp.count)) + [0, 0, 0x40, 0, 64, 6, 0, 0] + s.address.bytes + d.address.bytes + tcp
    }

    func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    func be32(_ v: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8((v >> $0) & 0xFF) } }
}
