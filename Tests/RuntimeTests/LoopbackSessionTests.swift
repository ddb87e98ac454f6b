import Foundation
import NIOPosix
import Testing
import TestSupport
import V2GRuntime
import V2GPKI
import V2GTLS
import V2GSession
import V2GSimulation

/// Whole sessions over real sockets: our SECC and our EVCC runtimes on loopback, TLS 1.3 with the
/// -20 test PKI, the simulated charger and vehicle behind them.
@Suite(.serialized) struct LoopbackSessionTests {
    /// A charge loop every 20 ms, so whole sessions take seconds.
    static let fastLoop = EVCCPolicy(chargeLoopInterval: .milliseconds(20))

    static let pki: TestPKI = { try! TestPKI() }()  // fixture: defaults cannot fail

    static func tls() -> (secc: TransportSecurity, evcc: TransportSecurity) {
        (.tls(TLSProfile(role: .secc, certificateChain: pki.seccChain, privateKey: pki.secc.privateKey,
                         trustedRoots: [pki.oemRoot.certificate, pki.v2gRoot.certificate])),
         .tls(TLSProfile(role: .evcc, certificateChain: pki.vehicleChain, privateKey: pki.vehicle.privateKey,
                         trustedRoots: [pki.v2gRoot.certificate])))
    }

    static func run(service: UInt16, mode: ControlMode, discharge: Bool = false) async throws -> (SessionResult, SessionResult, SimulatedPlant) {
        try await TimingSensitive.run { try await session(service: service, mode: mode, discharge: discharge) }
    }

    static func session(service: UInt16, mode: ControlMode, discharge: Bool) async throws -> (SessionResult, SessionResult, SimulatedPlant) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var battery = SimulatedPlant.Battery()
        battery.soc = discharge ? 60 : 40
        let plant = SimulatedPlant(battery: battery, timeFactor: 600)
        let (seccSecurity, evccSecurity) = tls()
        let seccResult = Box<SessionResult?>(nil)
        let server = try await SECCServer.start(
            group: group,
            configuration: .init(session: SECCConfiguration(evseID: "DE*SWI*E1234567"), host: "127.0.0.1", port: 0, security: seccSecurity),
            controller: SimulatedEVSE(plant: plant, dynamicPowerSetpoint: discharge ? -30_000 : nil)) { seccResult.value = $0 }
        let evccResult = try await EVCCClient.run(
            group: group,
            configuration: .init(session: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: service, controlMode: mode,
                                                                   policy: Self.fastLoop),
                                 host: "127.0.0.1", port: server.port, security: evccSecurity),
            controller: SimulatedEV(plant: plant, discharge: discharge))
        // The SECC reports when it has closed its side.
        for _ in 0..<100 where seccResult.value == nil { try await Task.sleep(nanoseconds: 10_000_000) }
        try await server.close()
        try await group.shutdownGracefully()
        return (try #require(seccResult.value), evccResult, plant)
    }

    @Test(arguments: [ControlMode.dynamic, .scheduled])
    func dcSessionOverTLS(mode: ControlMode) async throws {
        let (secc, evcc, plant) = try await Self.run(service: 2, mode: mode)
        #expect(secc.end.reason == .terminated)
        #expect(evcc.end.reason == .terminated)
        #expect(plant.energyWh > 1_000)
        #expect(plant.soc >= 79)
        print("runtime DC \(mode): \(evcc); energy \(Int(plant.energyWh)) Wh; SECC: \(secc)")
    }

    @Test func dcBPTSessionDischargesOverTLS() async throws {
        let (secc, evcc, plant) = try await Self.run(service: 6, mode: .dynamic, discharge: true)
        #expect(secc.end.reason == .terminated)
        #expect(evcc.end.reason == .terminated)
        #expect(plant.energyWh < -1_000, "energy went from the EV to the grid")
        print("runtime DC_BPT: energy \(Int(plant.energyWh)) Wh, SOC \(Int(plant.soc))%")
    }
}

extension LoopbackSessionTests {
    /// The EV vanishes mid charge loop (its process dies: the connection closes). The SECC ends the
    /// session with the reason and leaves the charger safe: no current, contactors open.
    @Test func peerVanishingMidLoopLeavesTheChargerSafe() async throws {
        try await TimingSensitive.run { try await peerVanishes() }
    }

    func peerVanishes() async throws {
        let seccGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let evccGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let plant = SimulatedPlant(timeFactor: 60)
        let (seccSecurity, evccSecurity) = Self.tls()
        let seccResult = Box<SessionResult?>(nil)
        let server = try await SECCServer.start(
            group: seccGroup,
            configuration: .init(session: SECCConfiguration(evseID: "DE*SWI*E1234567"), host: "127.0.0.1", port: 0, security: seccSecurity),
            controller: SimulatedEVSE(plant: plant)) { seccResult.value = $0 }
        let port = server.port
        let client = Task {
            try await EVCCClient.run(
                group: evccGroup,
                configuration: .init(session: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", policy: Self.fastLoop),
                                     host: "127.0.0.1", port: port, security: evccSecurity),
                controller: SimulatedEV(plant: plant))
        }
        // Wait until power flows, then kill the EV's side.
        for _ in 0..<500 where !(plant.contactorsClosed && plant.outputCurrent > 0) { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(plant.contactorsClosed && plant.outputCurrent > 0, "power flowed before the EV vanished")
        try await evccGroup.shutdownGracefully()
        _ = await client.result
        for _ in 0..<200 where seccResult.value == nil { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(seccResult.value?.end.reason == .connectionLost)
        #expect(!plant.contactorsClosed)
        #expect(plant.outputCurrent == 0)
        try await server.close()
        try await seccGroup.shutdownGracefully()
    }
}

/// A value the runtime's callbacks set on their event loop and the test reads: locked.
final class Box<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ v: T) { stored = v }
    var value: T {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

extension LoopbackSessionTests {
    /// Over TLS with two connections: the driver pauses at 50 % (SessionStop(Pause)); the charger
    /// keeps the session; a new connection resumes it (OK_OldSessionJoined) and charges to the end.
    @Test func pauseAndResumeOverTLS() async throws {
        try await TimingSensitive.run { try await pauseAndResume() }
    }

    func pauseAndResume() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let plant = SimulatedPlant(timeFactor: 600)
        let (seccSecurity, evccSecurity) = Self.tls()
        let seccResults = Box<[SessionResult]>([])
        let server = try await SECCServer.start(
            group: group,
            configuration: .init(session: SECCConfiguration(evseID: "DE*SWI*E1234567"), host: "127.0.0.1", port: 0, security: seccSecurity),
            controller: SimulatedEVSE(plant: plant)) { seccResults.value.append($0) }
        func connect(resume: PausedSession?, pauseAtSOC: Double?) async throws -> SessionResult {
            try await EVCCClient.run(
                group: group,
                configuration: .init(session: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", resume: resume, policy: Self.fastLoop),
                                     host: "127.0.0.1", port: server.port, security: evccSecurity),
                controller: SimulatedEV(plant: plant, pauseAtSOC: pauseAtSOC))
        }
        let first = try await connect(resume: nil, pauseAtSOC: 50)
        for _ in 0..<100 where seccResults.value.isEmpty { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(first.end.reason == .paused)
        let paused = try #require(first.paused)
        #expect(server.pausedSessions.all == [paused], "the charger keeps the paused session")
        #expect(!plant.contactorsClosed && plant.outputCurrent == 0, "no power while paused")
        let socAtPause = plant.soc
        #expect(socAtPause >= 50 && socAtPause < 79)

        let second = try await connect(resume: paused, pauseAtSOC: nil)
        for _ in 0..<100 where seccResults.value.count < 2 { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(second.end.reason == .terminated)
        #expect(seccResults.value.map(\.end.reason) == [.paused, .terminated])
        #expect(server.pausedSessions.all.isEmpty, "a resume consumes the paused session")
        #expect(plant.soc >= 79)
        try await server.close()
        try await group.shutdownGracefully()
    }
}
