import AppProtocol
import EXI
import ISO20Common
import ISO20DC
import Testing
import TestSupport
import V2GSession
import V2GSimulation
import V2GTP

/// The charger's notifications honoured by the EV, service and schedule renegotiation, both engines on
/// the simulated plant ([V2G20-1477]).
@Suite(.offPool) struct RenegotiationTests {
    typealias T = Fixtures

    /// The SECC's EVSENotification in the charge loop: Pause and Terminate both stop power; the
    /// session ends the way the SECC asked.
    @Test(arguments: [(EvseNotificationType.pause, ChargingSessionType.pause), (.terminate, .terminate)])
    func evseNotificationIsHonoured(notification: EvseNotificationType, expected: ChargingSessionType) throws {
        var secc = SECCSession(configuration: T.seccConfiguration())
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: T.evccID))
        let run = try T.runPair(&secc, &evcc, notification: notification, notifyAt: 2)
        #expect(run.stop == expected)
        // The EV reacts to the first response carrying it: the loop ends right after.
        #expect(run.requests.filter { $0 == .dcChargeLoop }.count == 2)
        #expect(run.evcc?.reason == (expected == .pause ? .paused : .terminated))
    }

    /// ServiceRenegotiation from the SECC: the EV stops power, SessionStop(ServiceRenegotiation),
    /// and the same session goes on from ServiceDiscovery through every DC phase to the end. A
    /// charger that does not offer renegotiation refuses it, which ends the session.
    @Test func serviceRenegotiation() throws {
        var config = T.seccConfiguration()
        config.serviceRenegotiationSupported = true
        var secc = SECCSession(configuration: config)
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: T.evccID))
        let run = try T.runPair(&secc, &evcc, notification: .serviceRenegotiation, notifyAt: 2, completeAfter: 5)
        #expect(run.requests.filter { $0 == .serviceDiscovery }.count == 2)
        #expect(run.requests.filter { $0 == .serviceSelection }.count == 2)
        #expect(run.phases(.dcCableCheck) == 2)
        #expect(run.requests.filter { $0 == .sessionStop }.count == 2)
        #expect(run.secc?.reason == .terminated)
        #expect(run.evcc?.reason == .terminated)

        var refusing = SECCSession(configuration: T.seccConfiguration())
        var evcc2 = EVCCSession(configuration: EVCCConfiguration(evccID: T.evccID))
        let refused = try T.runPair(&refusing, &evcc2, notification: .serviceRenegotiation, notifyAt: 2)
        #expect(refused.secc?.reason == .failed(.failed_NoServiceRenegotiationSupported))
        #expect(refused.evcc?.reason == .failed(.failed_NoServiceRenegotiationSupported))
    }

    /// ScheduleRenegotiation from the SECC: PowerDelivery(ScheduleRenegotiation) with power on, a
    /// new ScheduleExchange, PowerDelivery(Start), and the charge loop goes on (no cable check, no
    /// pre-charge, contactors never opened) to the end.
    @Test(arguments: [ControlMode.scheduled, .dynamic])
    func scheduleRenegotiation(mode: ControlMode) throws {
        var secc = SECCSession(configuration: T.seccConfiguration())
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: T.evccID, controlMode: mode))
        let run = try T.runPair(&secc, &evcc, notification: .scheduleRenegotiation, notifyAt: 2, completeAfter: 5)
        let afterLoop = Array(run.requests.drop { $0 != .dcChargeLoop })
        let i = try #require(afterLoop.firstIndex(of: .powerDelivery))
        #expect(Array(afterLoop[i...].prefix(4)) == [.powerDelivery, .scheduleExchange, .powerDelivery, .dcChargeLoop])
        #expect(run.phases(.dcCableCheck) == 1, "no second cable check")
        #expect(run.phases(.scheduleExchange) == 2)
        #expect(run.secc?.reason == .terminated)
        #expect(run.evcc?.reason == .terminated)
    }
}
