import Foundation
import NIOCore
import NIOPosix
import SDP
import Testing
import TestSupport
import V2GTP

@Suite struct SDPTests {
    static let shared: URL? = {
        if let env = ProcessInfo.processInfo.environment["V2G_TEST_DATA"] { return URL(fileURLWithPath: env) }
        let s = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: s.path) ? s : nil
    }()


    /// Every frame of `vectors/sdp.jsonl` (real sessions and unit-test buffers) decodes and
    /// re-encodes to the same bytes; the fields are what the capture's decode says.
    @Test(.enabled(if: shared != nil, "no test data: set V2G_TEST_DATA or place shared/ beside the package"))
    func sdpVectorsDecode() throws {
        let text = try String(contentsOf: try #require(Self.shared).appendingPathComponent("vectors/sdp.jsonl"), encoding: .utf8)
        var count = 0
        for line in text.split(separator: "\n") {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let bytes = Array(hex: try #require(o["v2gtp_hex"] as? String))
            let decoded = try #require(o["decoded"] as? String)
            switch o["message"] as? String {
            case "SDPReq":
                let r = try SDPRequest(frame: bytes)
                #expect(r.frame == bytes)
                #expect(decoded.contains(r.security == .none ? "0x10" : "TLS"))
            case "SDPRes":
                let r = try SDPResponse(frame: bytes)
                #expect(r.frame == bytes)
                // One unit-test buffer's description writes fe80:1:2:3:4:5:6:7 as "fe80::1:2:…:7", which
                // is not valid IPv6 text (eight groups and "::"); its bytes are checked by the round trip.
                #expect(decoded.contains(r.addressText) || decoded.contains("unit test buffer"), "\(r.addressText) in \(decoded)")
                #expect(decoded.contains(String(r.port)) || decoded.contains(String(r.port, radix: 16)))
            default:
                Issue.record("unknown message")
            }
            count += 1
        }
        #expect(count == 8)
    }

    @Test func malformedFramesAreTypedErrors() {
        #expect(throws: SDPError.frame(.unsupportedVersion(2))) { try SDPRequest(frame: [2, 0xFD, 0x90, 0, 0, 0, 0, 2, 0, 0]) }
        #expect(throws: SDPError.frame(.inverseVersionMismatch(0xFF))) { try SDPRequest(frame: [1, 0xFF, 0x90, 0, 0, 0, 0, 2, 0, 0]) }
        #expect(throws: SDPError.wrongPayloadType(0x9001)) { try SDPRequest(frame: [1, 0xFE, 0x90, 1, 0, 0, 0, 2, 0, 0]) }
        #expect(throws: SDPError.wrongLength(expected: 2, actual: 3)) { try SDPRequest(frame: [1, 0xFE, 0x90, 0, 0, 0, 0, 3, 0, 0, 0]) }
        #expect(throws: SDPError.frame(.truncatedPayload(expected: 2, actual: 1))) { try SDPRequest(frame: [1, 0xFE, 0x90, 0, 0, 0, 0, 2, 0]) }
        #expect(throws: SDPError.invalidSecurity(0x20)) { try SDPRequest(frame: [1, 0xFE, 0x90, 0, 0, 0, 0, 2, 0x20, 0]) }
        #expect(throws: SDPError.invalidTransport(0x01)) { try SDPRequest(frame: [1, 0xFE, 0x90, 0, 0, 0, 0, 2, 0, 1]) }
    }

    @Test func wirelessMessagesRoundTrip() throws {
        let req = SDPRequestWireless(security: .tls, flags: 0x0C00, couplingType: 0x10, evID: "EV1", evseID: "DE*SWI*E1")
        #expect(try SDPRequestWireless(frame: req.frame) == req)
        let res = SDPResponseWireless(address: [0xFE, 0x80] + [UInt8](repeating: 0, count: 13) + [1], port: 50_000, security: .tls,
                                      diagnosticStatus: 1, couplingType: 0x10, evseID: "DE*SWI*E1")
        #expect(try SDPResponseWireless(frame: res.frame) == res)
    }

    @Test func ipv6TextFollowsRFC5952() {
        #expect(IPv6Text.format([0xFE, 0x80] + [UInt8](repeating: 0, count: 6) + [0x66, 0x4D, 0x70, 0xFF, 0xFE, 0x01, 0x03, 0xBF]) == "fe80::664d:70ff:fe01:3bf")
        #expect(IPv6Text.format([UInt8](repeating: 0, count: 15) + [1]) == "::1")
        #expect(IPv6Text.format([0xFE, 0x80, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7]) == "fe80:1:2:3:4:5:6:7")
    }

    /// A client finds a server over loopback unicast: no multicast needed.
    @Test func discoveryOverLoopback() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let address: [UInt8] = [UInt8](repeating: 0, count: 15) + [1]
        let server = try await SDPServer.start(group: group, configuration: .init(
            bindHost: "127.0.0.1", port: 0, seccAddress: address, seccPort: 50_123, security: .tls))
        let port = try #require(server.localPort)
        let response = try await SDPClient.discover(group: group, target: try SocketAddress(ipAddress: "127.0.0.1", port: port),
                                                    request: SDPRequest(security: .tls), tries: 4)
        #expect(response.port == 50_123)
        #expect(response.addressText == "::1")
        // A server that offers no TLS does not answer a TLS request with a match: the client gives up.
        let plain = try await SDPServer.start(group: group, configuration: .init(
            bindHost: "127.0.0.1", port: 0, seccAddress: address, seccPort: 50_124, security: .none))
        await #expect(throws: SDPNetworkError.self) {
            _ = try await SDPClient.discover(group: group, target: try SocketAddress(ipAddress: "127.0.0.1", port: plain.localPort ?? 0),
                                             request: SDPRequest(security: .tls), tries: 2, interval: .milliseconds(50))
        }
        try await server.close()
        try await plain.close()
        try await group.shutdownGracefully()
    }
}
