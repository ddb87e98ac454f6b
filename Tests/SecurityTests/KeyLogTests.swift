import Foundation
import NIOCore
import NIOPosix
import Testing
import V2GPKI
import V2GTLS

final class DatagramCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let lines = Box<[String]>([])
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let text = String(buffer: unwrapInboundIn(data).data)
        lines.value.append(text)
    }
}

@Suite(.serialized) struct KeyLogTests {
    /// The NSS key log reaches a file and UDP datagrams, one line per datagram.
    @Test func keyLogToFileAndDatagrams() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keylog-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let collector = DatagramCollector()
        let receiver = try await DatagramBootstrap(group: Loopback.group)
            .channelInitializer { ch in ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(collector) } }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { receiver.close(promise: nil) }
        let toFile = try KeyLog.file(path)
        let toUDP = try KeyLog.datagrams(host: "127.0.0.1", port: UInt16(try #require(receiver.localAddress?.port)))
        var secc = TLSHandshakeTests.secc
        secc.keyLog = { line in toFile(line); toUDP(line) }
        // The loopback helper installs its own key-log sink on the server; use ours on the client.
        var evcc = TLSHandshakeTests.evcc()
        evcc.keyLog = { line in toFile(line); toUDP(line) }
        let o = try await Loopback.handshake(server: secc, client: evcc)
        #expect(o.ok)
        // Datagrams arrive on the receiver's event loop; allow for a loaded machine.
        for _ in 0..<200 where !collector.lines.value.contains(where: { $0.hasPrefix("CLIENT_TRAFFIC_SECRET_0 ") }) {
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        let file = try String(contentsOfFile: path, encoding: .utf8)
        for label in ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"] {
            #expect(file.contains(label + " "), "\(label) in key log file")
        }
        #expect(collector.lines.value.contains { $0.hasPrefix("CLIENT_TRAFFIC_SECRET_0 ") })
        #expect(collector.lines.value.allSatisfy { !$0.contains("\n") })
    }
}
