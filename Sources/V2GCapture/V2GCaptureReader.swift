import V2GTP

/// An IP address and port.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16
    public init(_ address: IPAddress, _ port: UInt16) { self.address = address; self.port = port }
    public var description: String { address.bytes.count == 16 ? "[\(address)]:\(port)" : "\(address):\(port)" }
}

/// Which side of the cable sent a frame.
public enum V2GRole: String, Sendable, Hashable {
    case evcc = "EVCC"
    case secc = "SECC"
}

/// A V2GTP frame found in a capture.
public struct CapturedFrame: Sendable, Hashable {
    public enum Transport: String, Sendable, Hashable { case udp, tcp }
    /// Nanoseconds since the Unix epoch, of the packet that completed the frame.
    public var time: Int64
    /// The packet that completed it.
    public var packet: Int
    public var transport: Transport
    public var source: Endpoint
    public var destination: Endpoint
    /// The sender's role: UDP to port 15118 is the EVCC's SDP request; on TCP the side that
    /// opened the connection (SYN) is the EVCC, or, for a connection already open when the
    /// capture began, the side that is not the SECC's port learned from SDP.
    public var from: V2GRole?
    public var frame: V2GTPFrame

    public init(time: Int64, packet: Int, transport: Transport, source: Endpoint, destination: Endpoint, from: V2GRole?, frame: V2GTPFrame) {
        self.time = time; self.packet = packet; self.transport = transport; self.source = source; self.destination = destination
        self.from = from; self.frame = frame
    }
}

/// What a capture holds for V2G, in order: frames, and what stood in their way.
public enum CaptureEvent: Sendable, Hashable {
    case frame(CapturedFrame)
    case connectionOpened(client: Endpoint, server: Endpoint, time: Int64)
    case connectionClosed(client: Endpoint, server: Endpoint, time: Int64, reset: Bool)
    /// Bytes of a TCP direction that never arrived: reported, not guessed.
    case gap(source: Endpoint, destination: Endpoint, missing: Int, time: Int64, packet: Int)
    case retransmission(source: Endpoint, destination: Endpoint, bytes: Int, packet: Int)
    /// Bytes that are not V2GTP (another protocol on the port, or a stream out of step after a gap).
    case notV2GTP(source: Endpoint, destination: Endpoint, bytes: Int, first: [UInt8], packet: Int)
    /// A TCP connection that runs TLS: its frames need the key log.
    case tls(client: Endpoint, server: Endpoint, time: Int64)
    /// The reassembled bytes of a TLS connection, one direction, in order (for a decryptor).
    case tlsData(client: Endpoint, server: Endpoint, fromClient: Bool, bytes: [UInt8], time: Int64, packet: Int)
    /// A frame cut off by the end of the capture.
    case truncatedFrame(source: Endpoint, destination: Endpoint, bytes: Int)
    /// A packet not read further (an IP fragment, a truncated header).
    case skipped(packet: Int, reason: String)
    /// A pcapng Decryption Secrets Block (type 0x544c534b: an NSS key log).
    case secrets(type: UInt32, data: [UInt8])
}

/// Turns captured packets into V2G frames: link layer, IP, UDP (SDP on port 15118) and TCP with
/// per-connection reassembly, then V2GTP framing per direction. Sans I/O: packets in, events
/// out; `finish` when the capture ends. Memory is bounded per connection (`TCPStreamReassembler`,
/// `V2GTPStreamFramer`); packets of other protocols are passed over.
public struct V2GCaptureReader: Sendable {
    public static let sdpPort: UInt16 = 15118

    private struct Direction: Sendable {
        var reassembler = TCPStreamReassembler()
        var framer = V2GTPStreamFramer()
    }

    private struct Connection: Sendable {
        var client: Endpoint?
        var directions: [Endpoint: Direction] = [:]
        var announcedTLS = false
        var closed = false
    }

    /// By the unordered pair of endpoints.
    private var connections: [Set<Endpoint>: Connection] = [:]
    /// SECC endpoints announced in SDP responses.
    private var seccEndpoints: Set<Endpoint> = []
    public private(set) var packets = 0
    public private(set) var ipPackets = 0

    public init() {}

    public mutating func record(_ record: CaptureRecord) -> [CaptureEvent] {
        switch record {
        case .packet(let p): return packet(p)
        case .decryptionSecrets(let type, let data): return [.secrets(type: type, data: data)]
        }
    }

    public mutating func packet(_ p: CapturedPacket) -> [CaptureEvent] {
        packets += 1
        guard let bytes = IPPacket.ipBytes(of: p) else { return [] }
        let ip: IPPacket
        do { ip = try IPPacket(bytes) } catch {
            switch error {
            case .notIP: return []
            case .fragment: return [.skipped(packet: p.number, reason: "an IP fragment (not reassembled)")]
            case .truncated: return [.skipped(packet: p.number, reason: "a truncated IP header")]
            }
        }
        ipPackets += 1
        switch ip.transport {
        case 17:
            guard let udp = TransportSegment.udp(ip.payload) else { return [.skipped(packet: p.number, reason: "a truncated UDP header")] }
            return datagram(udp, ip, p)
        case 6:
            guard let tcp = TransportSegment.tcp(ip.payload) else { return [.skipped(packet: p.number, reason: "a truncated TCP header")] }
            return segment(tcp, ip, p)
        default:
            return []
        }
    }

    /// The capture ended: waiting segments after their gaps, frames cut off.
    public mutating func finish() -> [CaptureEvent] {
        var events: [CaptureEvent] = []
        for key in connections.keys.sorted(by: { "\($0)" < "\($1)" }) {
            guard var connection = connections[key] else { continue }
            for source in connection.directions.keys.sorted(by: { "\($0)" < "\($1)" }) {
                guard var direction = connection.directions[source], let destination = key.first(where: { $0 != source }) ?? key.first else { continue }
                let flushed = direction.reassembler.flush()
                events += deliver(flushed, &direction, &connection, source: source, destination: destination, time: 0, packet: packets)
                if direction.framer.leftover > 0 {
                    events.append(.truncatedFrame(source: source, destination: destination, bytes: direction.framer.leftover))
                }
                connection.directions[source] = direction
            }
            connections[key] = connection
        }
        return events
    }

    private mutating func datagram(_ udp: TransportSegment, _ ip: IPPacket, _ p: CapturedPacket) -> [CaptureEvent] {
        guard udp.sourcePort == Self.sdpPort || udp.destinationPort == Self.sdpPort else { return [] }
        let source = Endpoint(ip.source, udp.sourcePort), destination = Endpoint(ip.destination, udp.destinationPort)
        guard V2GTPStreamFramer.plausibleHeader(udp.payload, 0), let length = udp.payload.u32(4), udp.payload.count >= 8 + Int(length) else {
            return [.notV2GTP(source: source, destination: destination, bytes: udp.payload.count, first: Array(udp.payload.prefix(8)), packet: p.number)]
        }
        let frame = V2GTPFrame(payloadType: udp.payload.u16(2)!, payload: Array(udp.payload[8..<(8 + Int(length))]))
        let from: V2GRole = udp.destinationPort == Self.sdpPort ? .evcc : .secc
        // An SDP response names the SECC's address and port (16 + 2 bytes first).
        if from == .secc, frame.payloadType == 0x9001 || frame.payloadType == 0x9003,
           let address = frame.payload.slice(0, 16), let port = frame.payload.u16(16) {
            seccEndpoints.insert(Endpoint(IPAddress(address), port))
        }
        return [.frame(CapturedFrame(time: p.time, packet: p.number, transport: .udp, source: source, destination: destination, from: from, frame: frame))]
    }

    private mutating func segment(_ tcp: TransportSegment, _ ip: IPPacket, _ p: CapturedPacket) -> [CaptureEvent] {
        let source = Endpoint(ip.source, tcp.sourcePort), destination = Endpoint(ip.destination, tcp.destinationPort)
        let key: Set<Endpoint> = [source, destination]
        // A bare ACK, FIN or RST of a connection not (or no longer) followed: nothing to read.
        if connections[key] == nil, tcp.payload.isEmpty, tcp.flags & TransportSegment.syn == 0 { return [] }
        var connection = connections[key] ?? Connection()
        var events: [CaptureEvent] = []
        let syn = tcp.flags & TransportSegment.syn != 0, ack = tcp.flags & TransportSegment.ack != 0
        if syn && !ack && connection.client == nil {
            connection.client = source
            events.append(.connectionOpened(client: source, server: destination, time: p.time))
        }
        if connection.client == nil, tcp.flags & TransportSegment.syn == 0 {
            // Already open when the capture began: the SECC's port from SDP, if announced, else the
            // side sending from the lower port is taken for the server.
            if seccEndpoints.contains(where: { $0.port == destination.port }) { connection.client = source }
            else if seccEndpoints.contains(where: { $0.port == source.port }) { connection.client = destination }
            else { connection.client = source.port > destination.port ? source : destination }
        }
        var direction = connection.directions[source] ?? Direction()
        let reassembled = direction.reassembler.segment(sequence: tcp.sequence, flags: tcp.flags, payload: tcp.payload)
        events += deliver(reassembled, &direction, &connection, source: source, destination: destination, time: p.time, packet: p.number)
        connection.directions[source] = direction
        // Closed when both sides sent FIN, or either RST: what waited beyond a hole is passed on,
        // a frame cut off reported, and the connection forgotten (memory stays bounded over a
        // capture of any number of connections).
        let reset = tcp.flags & TransportSegment.rst != 0
        if reset || (connection.directions.count == 2 && connection.directions.values.allSatisfy(\.reassembler.finished)),
           !connection.closed, let client = connection.client {
            connection.closed = true
            for end in connection.directions.keys.sorted(by: { "\($0)" < "\($1)" }) {
                guard var d = connection.directions[end] else { continue }
                let other = end == source ? destination : source
                events += deliver(d.reassembler.flush(), &d, &connection, source: end, destination: other, time: p.time, packet: p.number)
                if d.framer.leftover > 0 { events.append(.truncatedFrame(source: end, destination: other, bytes: d.framer.leftover)) }
                connection.directions[end] = d
            }
            events.append(.connectionClosed(client: client, server: client == source ? destination : source, time: p.time, reset: reset))
            connections[key] = nil
            return events
        }
        connections[key] = connection
        return events
    }

    /// Connections open now (for tests of the memory bound).
    public var openConnections: Int { connections.count }

    private func deliver(_ reassembled: [TCPStreamReassembler.Event], _ direction: inout Direction, _ connection: inout Connection,
                         source: Endpoint, destination: Endpoint, time: Int64, packet: Int) -> [CaptureEvent] {
        var events: [CaptureEvent] = []
        let from: V2GRole? = connection.client.map { $0 == source ? .evcc : .secc }
        for r in reassembled {
            switch r {
            case .gap(let missing):
                events.append(.gap(source: source, destination: destination, missing: missing, time: time, packet: packet))
                direction.framer.gap(missing)
            case .retransmission(let bytes):
                events.append(.retransmission(source: source, destination: destination, bytes: bytes, packet: packet))
            case .data(let bytes):
                if direction.framer.isTLS, let client = connection.client {
                    events.append(.tlsData(client: client, server: client == source ? destination : source, fromClient: client == source,
                                           bytes: bytes, time: time, packet: packet))
                    continue
                }
                for f in direction.framer.append(bytes) {
                    switch f {
                    case .frame(let frame, _):
                        events.append(.frame(CapturedFrame(time: time, packet: packet, transport: .tcp, source: source, destination: destination, from: from, frame: frame)))
                    case .notV2GTP(_, let count, let first):
                        events.append(.notV2GTP(source: source, destination: destination, bytes: count, first: first, packet: packet))
                    case .tls:
                        guard let client = connection.client else { break }
                        let server = client == source ? destination : source
                        if !connection.announcedTLS {
                            connection.announcedTLS = true
                            events.append(.tls(client: client, server: server, time: time))
                        }
                        events.append(.tlsData(client: client, server: server, fromClient: client == source, bytes: bytes, time: time, packet: packet))
                    }
                }
            }
        }
        return events
    }
}
