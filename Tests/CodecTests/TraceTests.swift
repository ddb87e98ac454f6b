import Foundation
import Testing
import TestSupport
import V2GCapture
import V2GTP
import SDP
import V2GTrace

/// `v2g trace`'s reading: the shared captures reproduce their reference decode frame by frame,
/// and hand-made captures cover what real ones seldom show (reassembly, link types, pcapng,
/// broken files).
@Suite(.offPool) struct TraceTests {
    typealias B = CaptureBuilder

    /// The reference decode next to each capture (`*.messages.jsonl`): from, payload type, hex, JSON.
    @Test(.enabled(if: TestData.available, "no test data: set V2G_TEST_DATA or place shared/ beside the package"),
          arguments: ["josev-dc-eim-notls.pcap", "ISO-20_BPT_AC_DS5366_Josev.pcapng"])
    func sharedCapturesReproduceTheirReferenceDecode(capture: String) throws {
        let root = try #require(TestData.root)
        let file = try [UInt8](Data(contentsOf: root.appendingPathComponent("captures/\(capture)")))
        let base = capture.replacingOccurrences(of: ".pcapng", with: "").replacingOccurrences(of: ".pcap", with: "")
        let reference = try String(contentsOf: root.appendingPathComponent("captures/\(base).messages.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        // Through the parser in odd-sized pieces, as a stream.
        var parser = CaptureFileParser()
        var trace = Trace()
        var at = 0
        while at < file.count {
            for record in try parser.feed(file[at..<min(file.count, at + 1021)]) { trace.add(record) }
            at += 1021
        }
        try parser.finish()
        trace.finish()
        #expect(trace.notes.isEmpty, "\(trace.notes.map(\.text))")
        #expect(trace.entries.count == reference.count)
        for (entry, ref) in zip(trace.entries, reference) {
            let line = try #require(JSONSerialization.jsonObject(with: Data(TraceOutput.json(entry, start: 0).utf8)) as? [String: Any])
            #expect(line["from"] as? String == ref["from"] as? String, "frame \(entry.index)")
            #expect(line["payload_type"] as? String == ref["payload_type"] as? String, "frame \(entry.index)")
            #expect(line["hex"] as? String == ref["hex"] as? String, "frame \(entry.index)")
            if let theirs = ref["json"] {
                let ours = try #require(line["json"], "frame \(entry.index) \(entry.name): \(entry.error ?? "no JSON")")
                #expect(JSONCompare.equal(ours, theirs), "frame \(entry.index) \(entry.name)")
            }
        }
        print("trace \(capture): \(trace.entries.count) frames as in \(base).messages.jsonl")
    }

    /// Frames split over segments, several in one segment, segments out of order, a
    /// retransmission and an overlap: the same frames, in order.
    @Test func reassemblyPutsTheStreamBackTogether() throws {
        let f1 = B.frame(0x8002, Array(repeating: 0xA1, count: 30)), f2 = B.frame(0x8002, Array(repeating: 0xB2, count: 5))
        let f3 = B.frame(0x8004, Array(repeating: 0xC3, count: 40))
        let stream = f1 + f2 + f3  // 38 + 13 + 48 bytes
        let isn: UInt32 = 0xFFFF_FFF0  // the sequence numbers wrap inside the stream
        let packets = [
            B.segment(fromEVCC: true, seq: isn, flags: 0x02, []),                                       // SYN
            B.segment(fromEVCC: true, seq: isn &+ 1, Array(stream[0..<20])),                            // f1, first part
            B.segment(fromEVCC: true, seq: isn &+ 1 &+ 45, Array(stream[45..<99])),                     // out of order: rest of f2 and f3
            B.segment(fromEVCC: true, seq: isn &+ 1, Array(stream[0..<20])),                            // retransmission
            B.segment(fromEVCC: true, seq: isn &+ 1 &+ 10, Array(stream[10..<50])),                     // overlaps both sides
        ]
        let events = try B.read(B.pcap(packets))
        let frames = B.frames(events)
        #expect(frames.map(\.frame.bytes) == [f1, f2, f3])
        #expect(frames.allSatisfy { $0.from == .evcc && $0.transport == .tcp })
        #expect(events.contains { if case .retransmission(_, _, 20, _) = $0 { return true }; return false })
        #expect(!events.contains { if case .gap = $0 { return true }; return false })
    }

    /// A segment the capture missed: reported as a gap with its size; the stream is picked up at
    /// the next V2GTP header, and the frames after it decode.
    @Test func aMissingSegmentIsAGapNotAGuess() throws {
        let f1 = B.frame(0x8002, Array(repeating: 1, count: 10)), f2 = B.frame(0x8002, Array(repeating: 2, count: 10))
        let f3 = B.frame(0x8002, Array(repeating: 3, count: 10))
        let stream = f1 + f2 + f3  // 18 bytes each
        let packets = [
            B.segment(fromEVCC: false, seq: 100, flags: 0x12, []),                // SYN-ACK from the SECC: seq 101 on
            B.segment(fromEVCC: false, seq: 101, Array(stream[0..<25])),          // f1 and the start of f2
            B.segment(fromEVCC: false, seq: 101 + 30, Array(stream[30..<54])),    // 5 bytes of f2 missing, the rest
        ]
        let events = try B.read(B.pcap(packets))
        #expect(events.contains { if case .gap(_, _, 5, _, _) = $0 { return true }; return false })
        #expect(B.frames(events).map(\.frame.bytes) == [f1, f3])
        #expect(events.contains { if case .notV2GTP = $0 { return true }; return false }, "the rest of the broken f2")
    }

    /// SDP over UDP on IPv4 in 802.1Q-tagged Ethernet, Linux cooked v2, raw IP and BSD loopback.
    @Test func linkTypes() throws {
        let request = B.frame(0x9000, [0x10, 0x00])
        let ip4 = B.ipv4([10, 0, 0, 1], [10, 0, 0, 2], proto: 17, B.udp(from: 40_000, to: 15118, request))
        let sll2 = B.be16(0x0800) + [0, 0] + B.be32(1) + [0, 1, 1, 6] + Array(repeating: 0, count: 8) + ip4
        for (link, packet) in [(UInt32(1), B.ethernet(ip4, vlan: true)), (276, sll2), (101, ip4), (0, B.le32(2) + ip4), (108, B.be32(2) + ip4)] {
            let frames = B.frames(try B.read(B.pcap([packet], linkType: link)))
            #expect(frames.map(\.frame.bytes) == [request], "link type \(link)")
            #expect(frames.first?.from == .evcc, "to port 15118: the EVCC's request")
            #expect(frames.first?.source.description == "10.0.0.1:40000")
        }
    }

    /// SDP in a trace: the wired and wireless request and response decoded with our SDP codec,
    /// the "SDP EMSP" payload types (0x9004/0x9005, named by dsV2Gshark, layout not public) named
    /// and shown as bytes, a broken SDP frame shown with its typed error.
    @Test func sdpInATrace() throws {
        let evcc = B.evcc, secc = B.secc
        let packets: [[UInt8]] = [
            SDPRequest(security: .tls).frame, SDPResponse(address: secc, port: 50_000, security: .tls).frame,
            SDPRequestWireless(security: .tls, transport: .tcp, flags: 0x0100, couplingType: 0x10, evID: "EV1", evseID: "").frame,
            B.frame(0x9004, [0x01, 0x02, 0x03]), B.frame(0x9005, [0xAB]), B.frame(0x9000, [0x10]),
        ].enumerated().map { index, frame in
            let fromEVCC = index != 1 && index != 4
            return B.ethernet(B.ipv6(fromEVCC ? evcc : secc, fromEVCC ? secc : evcc, proto: 17,
                                     B.udp(from: fromEVCC ? 40_000 : 15118, to: fromEVCC ? 15118 : 40_000, frame)))
        }
        var parser = CaptureFileParser()
        var trace = Trace()
        for record in try parser.feed(B.pcap(packets)) { trace.add(record) }
        trace.finish()
        let lines = trace.entries.map { "\($0.name)\($0.error.map { " error: \($0)" } ?? "")" }
        #expect(lines.count == 6, "\(lines)")
        #expect(lines[0] == "SDP request (TLS, TCP)" && lines[1].hasPrefix("SDP response: SECC at [fe80::2]:50000 (TLS, TCP)"), "\(lines)")
        #expect(lines[2].hasPrefix("SDP request, wireless (TLS, TCP)"), "\(lines)")
        #expect(lines[3] == "SDP EMSP request (layout not public): 3 bytes 010203" && lines[4] == "SDP EMSP response (layout not public): 1 bytes ab", "\(lines)")
        #expect(lines[5].contains("error:"), "a truncated SDP request: \(lines[5])")
    }

    /// pcapng: two interfaces with their own link types and resolutions, a Decryption Secrets
    /// Block (kept for TLS), timestamps scaled to nanoseconds.
    @Test func pcapngInterfacesResolutionsAndSecrets() throws {
        let request = B.frame(0x9000, [0x10, 0x00])
        let ip6 = B.ipv6(B.evcc, B.secc, proto: 17, B.udp(from: 40_000, to: 15118, request))
        let keylog = Array("CLIENT_HANDSHAKE_TRAFFIC_SECRET 00 11\n".utf8)
        let file = B.pcapng(interfaces: [(1, nil), (101, 9)], [
            B.enhanced(interface: 0, time: 1_700_000_000_123_456, B.ethernet(ip6)),
            B.block(0x0A, B.le32(0x544C_534B) + B.le32(UInt32(keylog.count)) + keylog),
            B.enhanced(interface: 1, time: 1_700_000_000_123_456_789, ip6),
        ])
        let events = try B.read(file, chunk: 13)
        let frames = B.frames(events)
        #expect(frames.map(\.time) == [1_700_000_000_123_456_000, 1_700_000_000_123_456_789])
        #expect(events.contains(.secrets(type: 0x544C_534B, data: keylog)))
        #expect(frames.first?.source.description == "[fe80::1]:40000")
    }

    /// Broken files: a clear typed error, never a crash.
    @Test func brokenFilesAreTypedErrors() throws {
        let good = B.pcap([B.segment(fromEVCC: true, seq: 1, B.frame(0x8002, [1, 2, 3]))])
        #expect(throws: CaptureError.truncated(offset: 24, needed: 16 + good.count - 40, available: good.count - 24 - 5)) {
            _ = try B.read(Array(good.dropLast(5)))
        }
        #expect(throws: CaptureError.unknownFormat(Array("GET ".utf8))) { _ = try B.read(Array("GET / HTTP/1.1\r\n".utf8)) }
        var lying = B.pcap([[1, 2, 3, 4]])
        lying[24 + 8] = 0xFF; lying[24 + 9] = 0xFF; lying[24 + 10] = 0xFF; lying[24 + 11] = 0x7F
        #expect(throws: CaptureError.badLength(offset: 24, length: 0x7FFF_FFFF, maximum: CaptureFileParser.maximumRecord)) { _ = try B.read(lying) }
        var block = B.pcapng(interfaces: [(1, nil)], [B.enhanced(interface: 0, time: 0, [1, 2, 3, 4])])
        block[block.count - 1] ^= 0xFF
        #expect(throws: CaptureError.self) { _ = try B.read(block) }
        let unknownInterface = B.pcapng(interfaces: [(1, nil)], [B.enhanced(interface: 3, time: 0, [1, 2, 3, 4])])
        #expect(throws: CaptureError.self) { _ = try B.read(unknownInterface) }
    }

    /// A capture of something else: no frames, and the bytes that are not V2GTP are reported; a
    /// TLS connection is reported as encrypted.
    @Test func nonV2GAndTLSCaptures() throws {
        let http = Array("GET / HTTP/1.1\r\nHost: example\r\n\r\n".utf8)
        let events = try B.read(B.pcap([B.segment(fromEVCC: true, seq: 1, flags: 0x02, []), B.segment(fromEVCC: true, seq: 2, http)]))
        #expect(B.frames(events).isEmpty)
        #expect(events.contains { if case .notV2GTP = $0 { return true }; return false })

        let hello: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0x05, 1, 0, 0, 1, 0]
        let tls = try B.read(B.pcap([B.segment(fromEVCC: true, seq: 1, flags: 0x02, []), B.segment(fromEVCC: true, seq: 2, hello)]))
        #expect(tls.contains { if case .tls = $0 { return true }; return false })
        #expect(B.frames(tls).isEmpty)
    }

    /// Many sessions, one after another, written by our own pcapng writer around made-up TCP
    /// conversations: every frame is read, and each connection is forgotten once both sides
    /// closed it (a capture of any length is read in bounded memory).
    @Test func manyConnectionsAreReadAndForgotten() throws {
        var file = PcapNGWriter.header()
        let frames = [B.frame(0x8002, Array(repeating: 7, count: 40)), B.frame(0x8002, Array(repeating: 9, count: 3000))]
        for n in 0..<300 {
            var c = TCPConversation(client: Endpoint(IPAddress(B.evcc), UInt16(40_000 + n)), server: Endpoint(IPAddress(B.secc), 61_000))
            let packets = c.open() + c.data(fromClient: true, frames[0]) + c.data(fromClient: false, frames[1]) + c.close()
            for (i, p) in packets.enumerated() { file += PcapNGWriter.packet(time: Int64(n) * 1_000_000_000 + Int64(i) * 1000, p) }
        }
        var parser = CaptureFileParser()
        var reader = V2GCaptureReader()
        var count = 0, closed = 0, most = 0
        var at = 0
        while at < file.count {
            for record in try parser.feed(file[at..<min(file.count, at + 4096)]) {
                for event in reader.record(record) {
                    if case .frame = event { count += 1 }
                    if case .connectionClosed = event { closed += 1 }
                }
                most = max(most, reader.openConnections)
            }
            at += 4096
        }
        try parser.finish()
        #expect(count == 600, "the 3,000-byte frame spans three segments: \(count)")
        #expect(closed == 300)
        #expect(reader.openConnections == 0)
        #expect(most <= 1)
    }
}
