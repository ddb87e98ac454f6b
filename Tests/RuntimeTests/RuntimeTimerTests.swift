import Logging
import NIOCore
import NIOEmbedded
import Testing
@testable import V2GRuntime
import V2GSession
import V2GSimulation
import V2GTLS
import V2GTP

/// The runtimes carry out the engine's timers on their event loop. On NIO's embedded event loop
/// time is advanced by hand, so the standard's 20 s and 60 s limits are tested in microseconds.
@Suite struct RuntimeTimerTests {
    final class Charger: EVSEController, @unchecked Sendable {
        var ended: SessionEnd?
        func inputs(timestamp: UInt64) -> EVSEInputs { EVSEInputs(timestamp: timestamp) }
        func perform(_ command: EVSECommand) {}
        func sessionEnded(_ end: SessionEnd) { ended = end }
    }

    /// A peer that connects and says nothing is dropped after V2G_SECC_Sequence_Timeout (60 s).
    @Test func silentPeerIsDroppedAfterTheSequenceTimeout() throws {
        let loop = EmbeddedEventLoop()
        let charger = Charger()
        let results = NIOLockedValueBoxForTests<[SessionResult]>([])
        let handler = SECCConnection(configuration: SECCServer.Configuration(session: SECCConfiguration(evseID: "DE*SWI*E1234567"),
                                                                      security: .plainTCPNonConformant), controller: charger,
                                     paused: PausedSessions(), connections: SECCConnections(), logger: Logger(label: "test"),
                                     onSessionEnd: { r in results.append(r) })
        let channel = EmbeddedChannel(handler: handler, loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "::1", port: 1)).wait()
        loop.advanceTime(by: .seconds(59))
        #expect(channel.isActive)
        #expect(charger.ended == nil)
        loop.advanceTime(by: .seconds(1))
        #expect(charger.ended?.reason == .sequenceTimeout)
        #expect(results.value.first?.end.reason == .sequenceTimeout)
        #expect(!channel.isActive, "the connection is closed")
    }

    /// A charger that accepts the TCP connection and never completes the TLS handshake: the EV
    /// gives up after V2G_EVCC_CommunicationSetup_Timeout (20 s) instead of waiting for ever.
    @Test func stalledHandshakeEndsAfterCommunicationSetupTimeout() throws {
        let loop = EmbeddedEventLoop()
        let pki = LoopbackSessionTests.pki
        let profile = TLSProfile(role: .evcc, certificateChain: pki.vehicleChain, privateKey: pki.vehicle.privateKey, trustedRoots: [pki.v2gRoot.certificate])
        let done = loop.makePromise(of: SessionResult.self)
        let handler = EVCCConnection(configuration: .init(session: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX"), host: "::1", port: 1,
                                                          security: .tls(profile)),
                                     controller: SimulatedEV(plant: SimulatedPlant(clock: .manual())), logger: Logger(label: "test"), done: done)
        let channel = EmbeddedChannel(handler: handler, loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "::1", port: 1)).wait()
        #expect(try channel.readOutbound(as: V2GTPFrame.self) == nil, "nothing is sent before the handshake")
        loop.advanceTime(by: .milliseconds(19_999))
        #expect(channel.isActive)
        loop.advanceTime(by: .milliseconds(1))
        let result = try done.futureResult.wait()
        #expect(result.end.reason == .phaseTimeout, "\(result.end)")
        #expect(!channel.isActive)
    }
}

/// A box the tests' callbacks write into (the embedded loop runs them on this thread).
final class NIOLockedValueBoxForTests<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

extension NIOLockedValueBoxForTests where Value == [SessionResult] {
    func append(_ r: SessionResult) { value.append(r) }
}
