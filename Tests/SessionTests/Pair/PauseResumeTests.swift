import AppProtocol
import EXI
import ISO20Common
import ISO20DC
import Testing
import TestSupport
import V2GSession
import V2GSimulation
import V2GTP

/// Pause and resume, both engines on the simulated plant ([V2G20-1032], [V2G20-2098]).
@Suite(.offPool) struct PauseResumeTests {
    typealias T = Fixtures

    /// The driver pauses: PowerDelivery(Stop), WeldingDetection, SessionStop(Pause); both sides
    /// keep the session. A new connection resumes it: SessionSetup with the old SessionID gets
    /// OK_OldSessionJoined and goes straight to ChargeParameterDiscovery, then charges to the end.
    @Test(arguments: [ControlMode.dynamic, .scheduled])
    func pauseThenResume(mode: ControlMode) throws {
        var secc = SECCSession(configuration: T.seccConfiguration())
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: T.evccID, controlMode: mode))
        let first = try T.runPair(&secc, &evcc, pauseAfter: 3)
        #expect(first.stop == .pause)
        #expect(first.secc?.reason == .paused)
        #expect(first.evcc?.reason == .paused)
        let seccPaused = try #require(secc.pausedSession)
        let evccPaused = try #require(evcc.pausedSession)
        #expect(seccPaused == evccPaused)
        #expect(Array(first.requests.suffix(3)) == [.powerDelivery, .dcWeldingDetection, .sessionStop])

        var resumedSECC = SECCSession(configuration: T.seccConfiguration(), resumable: [seccPaused])
        var resumedEVCC = EVCCSession(configuration: EVCCConfiguration(evccID: T.evccID, controlMode: mode, resume: evccPaused))
        let second = try T.runPair(&resumedSECC, &resumedEVCC)
        #expect(Array(second.requests.prefix(3)) == [.supportedAppProtocol, .sessionSetup, .dcChargeParameterDiscovery])
        #expect(!second.requests.contains(.authorization) && !second.requests.contains(.serviceSelection))
        #expect(resumedSECC.sessionID == seccPaused.sessionID)
        #expect(resumedSECC.selectedService == seccPaused.selectedService)
        #expect(second.secc?.reason == .terminated)
        #expect(second.evcc?.reason == .terminated)
    }

    /// The EVCC falls back to a whole new session when the SECC does not join the old one.
    @Test func resumeRefusedStartsAfresh() throws {
        let stale = PausedSession(sessionID: [9, 8, 7, 6, 5, 4, 3, 2], evccID: T.evccID,
                                  selectedService: SelectedServiceType(serviceID: 2, parameterSetID: 2))
        var secc = SECCSession(configuration: T.seccConfiguration())
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: T.evccID, resume: stale))
        let run = try T.runPair(&secc, &evcc)
        #expect(run.requests.contains(.authorization))
        #expect(run.evcc?.reason == .terminated)
        #expect(evcc.sessionID != stale.sessionID)
    }
}
