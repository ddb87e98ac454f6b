#if OpenSSL
import Foundation
import NIOCore
import NIOEmbedded
import NIOPosix
import Testing
import TestSupport
import V2GPKI
import V2GTLS
import V2GTLSOpenSSL

/// Bad input at the TLS layer on the OpenSSL backend: every case ends the connection with a
/// typed `TLSError` and leaves nothing behind.
@Suite(.serialized, .offPool) struct OpenSSLBadInputTests {
    static var secc: TLSProfile { OpenSSLBackendTests.secc }

    /// Our SECC's TLS handler on an embedded channel: what it does with `chunks` and, with
    /// `peerCloses`, with the peer's close after them. `closed`: the handler closed the channel
    /// itself, or had to (the peer closed first) and said why.
    static func feed(_ chunks: [[UInt8]], closeAfter: Bool = false) throws -> (errors: [Error], closed: Bool, sent: [UInt8]) {
        let channel = EmbeddedChannel()
        let errors = Box<[Error]>([])
        try OpenSSLBackend().prepare(secc) { _ in }.addHandler(to: channel.pipeline.syncOperations)
        try channel.pipeline.syncOperations.addHandler(ErrorRecorder(errors))
        _ = try channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        for chunk in chunks where channel.isActive { _ = try? channel.writeInbound(ByteBuffer(bytes: chunk)) }
        var closed = !channel.isActive
        if closeAfter && channel.isActive {
            channel.pipeline.fireChannelInactive()
            closed = errors.value.contains { $0 as? TLSError == .closedDuringHandshake }
        }
        var sent: [UInt8] = []
        while let out = try? channel.readOutbound(as: ByteBuffer.self) { sent += out.readableBytesView }
        _ = try? channel.finish()
        return (errors.value, closed, sent)
    }

    final class ErrorRecorder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        let errors: Box<[Error]>
        init(_ errors: Box<[Error]>) { self.errors = errors }
        func errorCaught(context: ChannelHandlerContext, error: Error) { errors.value.append(error) }
    }

    @Test func randomBytesEndTheConnectionWithATypedError() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let garbage = (0..<Int.random(in: 1...600, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let (errors, closed, _) = try Self.feed([garbage], closeAfter: true)
            #expect(closed)
            #expect(errors.count == 1 && errors.allSatisfy { $0 is TLSError }, "\(errors)")
        }
    }

    /// A handshake record longer than TLS allows (2^14 + 256): record_overflow, before anything is buffered.
    @Test func oversizeRecordIsRefused() throws {
        let (errors, closed, sent) = try Self.feed([[0x16, 0x03, 0x01, 0x48, 0x01] + [UInt8](repeating: 0, count: 64)])
        #expect(closed)
        guard case .alertSent(let alert, _)? = errors.first as? TLSError else { Issue.record("\(errors)"); return }
        #expect(["record_overflow", "decode_error", "unexpected_message", "illegal_parameter"].contains(alert), "\(alert)")
        #expect(sent.first == 0x15, "the alert went out as an alert record")
    }

    /// A peer that stops halfway through its ClientHello and closes.
    @Test func peerStoppingMidHandshake() throws {
        let (errors, closed, _) = try Self.feed([[0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03]], closeAfter: true)
        #expect(closed)
        #expect(errors.first as? TLSError == .closedDuringHandshake, "\(errors)")
    }

    /// 1,000 connections that send garbage or stop mid-handshake against one SECC listener: the
    /// process's file descriptors for sockets on the listener's port (the listener, accepted and
    /// client sockets) come back to where they were, and its memory stays put. (Counting every
    /// descriptor of the process is not exact: the other suites open and close theirs meanwhile.)
    @Test func aThousandBrokenHandshakesLeaveNothingBehind() async throws {
        let listener = try await Seam.serve(Self.secc, OpenSSLBackend())
        defer { listener.channel.close(promise: nil) }
        let group = Seam.group
        func brokenHandshakes(_ count: Int) async throws {
            for i in 0..<count {
                let channel = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: listener.port).get()
                let bytes: [UInt8] = i % 2 == 0 ? [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00] : (0..<40).map { _ in UInt8.random(in: 0...255) }
                try? await channel.writeAndFlush(ByteBuffer(bytes: bytes))
                try? await channel.close()
            }
        }
        try await brokenHandshakes(100)  // warm up: allocator pools, lazy OpenSSL state
        try await Task.sleep(nanoseconds: 200_000_000)
        let port = listener.port
        let fdsBefore = OpenSockets.count(port: port), memoryBefore = Self.residentKB()
        #expect(fdsBefore == 1, "only the listener is open on port \(port)")
        try await brokenHandshakes(1_000)
        for _ in 0..<100 where OpenSockets.count(port: port) > fdsBefore { try await Task.sleep(nanoseconds: 20_000_000) }
        let fdsAfter = OpenSockets.count(port: port), memoryAfter = Self.residentKB()
        #expect(fdsAfter <= fdsBefore, "socket file descriptors on port \(port): \(fdsBefore) → \(fdsAfter)")
        #expect(memoryAfter - memoryBefore < 8_192, "resident memory \(memoryBefore) → \(memoryAfter) KB")
        print("1,000 broken handshakes: sockets on the port \(fdsBefore) → \(fdsAfter), RSS \(memoryBefore) → \(memoryAfter) KB")
    }

    /// This process's open file descriptors that are TCP sockets with `port` at either end: the
    /// socket inodes behind /proc/self/fd, matched against /proc/net/tcp and tcp6.
    static func residentKB() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let pages = Int(statm.split(separator: " ").dropFirst().first ?? "") ?? 0
        return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
    }
}
#endif
