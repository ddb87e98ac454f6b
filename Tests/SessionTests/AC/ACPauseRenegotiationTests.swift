import ISO20Common
import Testing
import TestSupport
import V2GSession
import V2GSimulation

/// Pause/resume and both renegotiations work for AC as for DC, both engines on the simulated plant.
@Suite(.offPool) struct ACPauseRenegotiationTests {
    typealias T = Fixtures

    static func evcc(_ service: UInt16, _ mode: ControlMode = .dynamic, resume: PausedSession? = nil) -> EVCCSession {
        EVCCSession(configuration: EVCCConfiguration(evccID: T.evccID, preferredService: service, controlMode: mode, resume: resume))
    }

    /// Pause: PowerDelivery(Stop), then SessionStop(Pause) (no welding detection in AC); the resume
    /// joins the session and goes straight to AC_ChargeParameterDiscovery ([V2G20-2097]).
    @Test(arguments: [EnergyService.acServiceID, EnergyService.acBPTServiceID])
    func pauseThenResume(service: UInt16) throws {
        var secc = SECCSession(configuration: T.seccConfiguration())
        var evcc = Self.evcc(service)
        let first = try T.runPair(&secc, &evcc, pauseAfter: 3)
        #expect(first.stop == .pause)
        #expect(first.secc?.reason == .paused && first.evcc?.reason == .paused)
        #expect(Array(first.requests.suffix(3)) == [.acChargeLoop, .powerDelivery, .sessionStop])
        let paused = try #require(secc.pausedSession)
        #expect(paused == evcc.pausedSession)

        var resumedSECC = SECCSession(configuration: T.seccConfiguration(), resumable: [paused])
        var resumedEVCC = Self.evcc(service, resume: evcc.pausedSession)
        let second = try T.runPair(&resumedSECC, &resumedEVCC)
        #expect(Array(second.requests.prefix(3)) == [.supportedAppProtocol, .sessionSetup, .acChargeParameterDiscovery])
        #expect(resumedSECC.agreedProtocol == .iso20AC)
        #expect(resumedSECC.selectedService == paused.selectedService)
        #expect(second.secc?.reason == .terminated && second.evcc?.reason == .terminated)
    }

    /// ServiceRenegotiation: SessionStop(ServiceRenegotiation), then ServiceDiscovery again (AC
    /// services, the session's message set) through every AC phase to the end.
    @Test func serviceRenegotiation() throws {
        var config = T.seccConfiguration()
        config.serviceRenegotiationSupported = true
        var secc = SECCSession(configuration: config)
        var evcc = Self.evcc(EnergyService.acServiceID)
        let run = try T.runPair(&secc, &evcc, notification: .serviceRenegotiation, notifyAt: 2, completeAfter: 5)
        #expect(run.requests.filter { $0 == .serviceDiscovery }.count == 2)
        #expect(run.phases(.acChargeParameterDiscovery) == 2)
        #expect(run.requests.filter { $0 == .sessionStop }.count == 2)
        #expect(run.secc?.reason == .terminated && run.evcc?.reason == .terminated)
    }

    /// ScheduleRenegotiation: PowerDelivery(ScheduleRenegotiation) with the contactor closed, a new
    /// ScheduleExchange, PowerDelivery(Start), and the loop goes on.
    @Test(arguments: [ControlMode.scheduled, .dynamic])
    func scheduleRenegotiation(mode: ControlMode) throws {
        var secc = SECCSession(configuration: T.seccConfiguration())
        var evcc = Self.evcc(EnergyService.acServiceID, mode)
        let run = try T.runPair(&secc, &evcc, notification: .scheduleRenegotiation, notifyAt: 2, completeAfter: 5)
        let afterLoop = Array(run.requests.drop { $0 != .acChargeLoop })
        let i = try #require(afterLoop.firstIndex(of: .powerDelivery))
        #expect(Array(afterLoop[i...].prefix(4)) == [.powerDelivery, .scheduleExchange, .powerDelivery, .acChargeLoop])
        #expect(run.phases(.scheduleExchange) == 2)
        #expect(run.secc?.reason == .terminated && run.evcc?.reason == .terminated)
    }
}
