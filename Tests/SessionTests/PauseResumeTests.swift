import ISO20Common
import ISO20DC
import Testing
import V2GSession

/// Pause and resume ([V2G20-1032], [V2G20-2098], [V2G20-2545], [V2G20-2626]) and the EVSE's
/// notifications, both state machines through the EXI codec, no sockets.
@Suite struct PauseResumeTests {
    typealias T = SECCSessionTests
    typealias D = SECCDCSessionTests

    /// Drives a pair to the end on the simulated plant. `notifyAt`: in this charge loop, the
    /// charger reports `notification`; `pauseAfter`: from this loop on, the driver asks to pause;
    /// the EV is done after `completeAfter` loops.
    static func run(_ secc: inout SECCSession, _ evcc: inout EVCCSession, notification: EvseNotificationType? = nil,
                    notifyAt: Int = .max, pauseAfter: Int = .max, completeAfter: Int = 6) throws -> SessionPair.Outcome {
        var pair = SessionPair(secc: secc, evcc: evcc.configuration)
        pair.evcc = evcc
        pair.charger = { request, loops, inputs in
            guard case .dc(.dc_ChargeLoopReq) = request, loops == notifyAt, let notification else { return }
            inputs.notification = notification
            inputs.notificationMaxDelay = 60
        }
        pair.driver = { loops, inputs in
            if loops >= pauseAfter { inputs.pauseRequested = true }
            if loops >= completeAfter { inputs.chargingComplete = true }
        }
        let out = try pair.run()
        secc = pair.secc
        evcc = pair.evcc
        return out
    }

    static let evccID = "WMIV1234567890ABCDEX"
    static func seccConfiguration() -> SECCConfiguration { SECCConfiguration(evseID: "DE*SWI*E1234567") }

    /// The driver pauses: PowerDelivery(Stop), WeldingDetection, SessionStop(Pause); both sides
    /// keep the session. A new connection resumes it: SessionSetup with the old SessionID gets
    /// OK_OldSessionJoined and goes straight to ChargeParameterDiscovery, then charges to the end.
    @Test(arguments: [ControlMode.dynamic, .scheduled])
    func pauseThenResume(mode: ControlMode) throws {
        var secc = SECCSession(configuration: Self.seccConfiguration())
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: Self.evccID, controlMode: mode))
        let first = try Self.run(&secc, &evcc, pauseAfter: 3)
        #expect(first.stop == .pause)
        #expect(first.secc?.reason == .paused)
        #expect(first.evcc?.reason == .paused)
        let seccPaused = try #require(secc.pausedSession)
        let evccPaused = try #require(evcc.pausedSession)
        #expect(seccPaused == evccPaused)
        #expect(Array(first.requests.suffix(3)) == [.powerDelivery, .dcWeldingDetection, .sessionStop])

        var resumedSECC = SECCSession(configuration: Self.seccConfiguration(), resumable: [seccPaused])
        var resumedEVCC = EVCCSession(configuration: EVCCConfiguration(evccID: Self.evccID, controlMode: mode, resume: evccPaused))
        let second = try Self.run(&resumedSECC, &resumedEVCC)
        #expect(Array(second.requests.prefix(3)) == [.supportedAppProtocol, .sessionSetup, .dcChargeParameterDiscovery])
        #expect(!second.requests.contains(.authorization) && !second.requests.contains(.serviceSelection))
        #expect(resumedSECC.sessionID == seccPaused.sessionID)
        #expect(resumedSECC.selectedService == seccPaused.selectedService)
        #expect(second.secc?.reason == .terminated)
        #expect(second.evcc?.reason == .terminated)
    }

    /// SessionSetup with a paused SessionID: joined only by the EVCC that paused it, and only with
    /// an ID that was paused here; anything else is a new session with a new ID.
    @Test func resumeIsCheckedAgainstThePausedSession() throws {
        let paused = PausedSession(sessionID: [9, 8, 7, 6, 5, 4, 3, 2], evccID: Self.evccID,
                                   selectedService: SelectedServiceType(serviceID: 2, parameterSetID: 2))
        func setup(id: [UInt8], evccID: String) -> (SECCSession, [SECCAction]) {
            var s = SECCSession(configuration: Self.seccConfiguration(), resumable: [paused], makeSessionID: { T.id })
            _ = s.receive(.supportedAppProtocol(T.sap), evse: T.evse)
            let a = s.receive(.common(.sessionSetupReq(SessionSetupReqType(header: T.header(id), evccid: evccID))), evse: T.evse)
            return (s, a)
        }
        var (s, a) = setup(id: paused.sessionID, evccID: Self.evccID)
        #expect(T.responseCode(try D.response(a)) == .ok_OldSessionJoined)
        #expect(a.contains(.resumed(paused)))
        #expect(s.state == .energyTransfer(.dcChargeParameterDiscovery))
        // After a resume, authorization is out of sequence.
        a = s.receive(.common(.authorizationSetupReq(AuthorizationSetupReqType(header: T.header(paused.sessionID)))), evse: T.evse)
        #expect(T.ended(a) == .failed(.failed_SequenceError))

        (s, a) = setup(id: paused.sessionID, evccID: "WMIV0000000000OTHER")
        #expect(T.responseCode(try D.response(a)) == .ok_NewSessionEstablished, "another EVCC cannot join the paused session")
        #expect(s.sessionID == T.id)
        #expect(s.state == .waitingForAuthorizationSetup)

        (s, a) = setup(id: [1, 1, 1, 1, 1, 1, 1, 1], evccID: Self.evccID)
        #expect(T.responseCode(try D.response(a)) == .ok_NewSessionEstablished)
        #expect(s.sessionID == T.id)
    }

    /// The EVCC falls back to a whole new session when the SECC does not join the old one.
    @Test func resumeRefusedStartsAfresh() throws {
        let stale = PausedSession(sessionID: [9, 8, 7, 6, 5, 4, 3, 2], evccID: Self.evccID,
                                  selectedService: SelectedServiceType(serviceID: 2, parameterSetID: 2))
        var secc = SECCSession(configuration: Self.seccConfiguration())
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: Self.evccID, resume: stale))
        let run = try Self.run(&secc, &evcc)
        #expect(run.requests.contains(.authorization))
        #expect(run.evcc?.reason == .terminated)
        #expect(evcc.sessionID != stale.sessionID)
    }

    /// The SECC's EVSENotification in the charge loop: Pause and Terminate both stop power; the
    /// session ends the way the SECC asked.
    @Test(arguments: [(EvseNotificationType.pause, ChargingSessionType.pause), (.terminate, .terminate)])
    func evseNotificationIsHonoured(notification: EvseNotificationType, expected: ChargingSessionType) throws {
        var secc = SECCSession(configuration: Self.seccConfiguration())
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: Self.evccID))
        let run = try Self.run(&secc, &evcc, notification: notification, notifyAt: 2)
        #expect(run.stop == expected)
        // The EV reacts to the first response carrying it: the loop ends right after.
        #expect(run.requests.filter { $0 == .dcChargeLoop }.count == 2)
        #expect(run.evcc?.reason == (expected == .pause ? .paused : .terminated))
    }

    /// ServiceRenegotiation from the SECC: the EV stops power, SessionStop(ServiceRenegotiation),
    /// and the same session goes on from ServiceDiscovery through every DC phase to the end. A
    /// charger that does not offer renegotiation refuses it, which ends the session.
    @Test func serviceRenegotiation() throws {
        var config = Self.seccConfiguration()
        config.serviceRenegotiationSupported = true
        var secc = SECCSession(configuration: config)
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: Self.evccID))
        let run = try Self.run(&secc, &evcc, notification: .serviceRenegotiation, notifyAt: 2, completeAfter: 5)
        #expect(run.requests.filter { $0 == .serviceDiscovery }.count == 2)
        #expect(run.requests.filter { $0 == .serviceSelection }.count == 2)
        #expect(run.phases(.dcCableCheck) == 2)
        #expect(run.requests.filter { $0 == .sessionStop }.count == 2)
        #expect(run.secc?.reason == .terminated)
        #expect(run.evcc?.reason == .terminated)

        var refusing = SECCSession(configuration: Self.seccConfiguration())
        var evcc2 = EVCCSession(configuration: EVCCConfiguration(evccID: Self.evccID))
        let refused = try Self.run(&refusing, &evcc2, notification: .serviceRenegotiation, notifyAt: 2)
        #expect(refused.secc?.reason == .failed(.failed_NoServiceRenegotiationSupported))
        #expect(refused.evcc?.reason == .failed(.failed_NoServiceRenegotiationSupported))
    }

    /// NotificationMaxDelay from the charger's side: an EV that keeps charging past the delay
    /// after Terminate is stopped by the SECC (FAILED, session over, power off); one that stops in
    /// time ends normally.
    @Test func evIgnoringTheNotificationIsStoppedAfterTheDelay() throws {
        let loop = V2GRequest.dc(.dc_ChargeLoopReq(DC_ChargeLoopReqType(
            header: D.h(), meterInfoRequested: false, evPresentVoltage: D.r(400),
            clReqControlMode: .scheduled_DC_CLReqControlMode(Scheduled_DC_CLReqControlModeType(evTargetCurrent: D.r(100), evTargetVoltage: D.r(400))))))
        let start = V2GRequest.common(.powerDeliveryReq(PowerDeliveryReqType(header: D.h(), evProcessing: .finished, chargeProgress: .start)))
        var evse = T.evse
        evse.notification = .terminate
        evse.notificationMaxDelay = 2

        var (s, _) = try PowerDeliveryAndPricingTests.preCharged()
        _ = s.receive(start, evse: T.evse)
        for t: UInt64 in [100, 101, 102] {
            evse.timestamp = t
            let a = s.receive(loop, evse: evse)
            guard case .dc(.dc_ChargeLoopRes(let res))? = try D.response(a) else { Issue.record("no ChargeLoopRes"); return }
            #expect(res.responseCode == .ok)
            #expect(res.evseStatus == EVSEStatusType(notificationMaxDelay: 2, evseNotification: .terminate))
        }
        evse.timestamp = 103
        let late = s.receive(loop, evse: evse)
        #expect(T.ended(late) == .failed(.failed))
        #expect(s.state == .ended)

        var (s2, _) = try PowerDeliveryAndPricingTests.preCharged()
        _ = s2.receive(start, evse: T.evse)
        evse.timestamp = 100
        _ = s2.receive(loop, evse: evse)
        evse.timestamp = 105
        let stop = s2.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: D.h(), evProcessing: .finished, chargeProgress: .stop))), evse: evse)
        #expect(T.responseCode(try D.response(stop)) == .ok, "stopping is always allowed")
        #expect(stop.contains(.evse(.powerDelivery(on: false))))
    }

    /// ScheduleRenegotiation from the SECC: PowerDelivery(ScheduleRenegotiation) with power on, a
    /// new ScheduleExchange, PowerDelivery(Start), and the charge loop goes on (no cable check, no
    /// pre-charge, contactors never opened) to the end.
    @Test(arguments: [ControlMode.scheduled, .dynamic])
    func scheduleRenegotiation(mode: ControlMode) throws {
        var secc = SECCSession(configuration: Self.seccConfiguration())
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: Self.evccID, controlMode: mode))
        let run = try Self.run(&secc, &evcc, notification: .scheduleRenegotiation, notifyAt: 2, completeAfter: 5)
        let afterLoop = Array(run.requests.drop { $0 != .dcChargeLoop })
        let i = try #require(afterLoop.firstIndex(of: .powerDelivery))
        #expect(Array(afterLoop[i...].prefix(4)) == [.powerDelivery, .scheduleExchange, .powerDelivery, .dcChargeLoop])
        #expect(run.phases(.dcCableCheck) == 1, "no second cable check")
        #expect(run.phases(.scheduleExchange) == 2)
        #expect(run.secc?.reason == .terminated)
        #expect(run.evcc?.reason == .terminated)
    }

    /// After a renegotiated schedule the EV may stop instead of restarting: power goes off.
    @Test func stopAfterScheduleRenegotiation() throws {
        var (s, _) = try PowerDeliveryAndPricingTests.preCharged()
        func pd(_ p: ChargeProgressType) -> V2GRequest {
            .common(.powerDeliveryReq(PowerDeliveryReqType(header: D.h(), evProcessing: .finished, chargeProgress: p)))
        }
        _ = s.receive(pd(.start), evse: T.evse)
        _ = s.receive(pd(.scheduleRenegotiation), evse: T.evse)
        #expect(s.state == .renegotiatingSchedule)
        _ = s.receive(.common(.scheduleExchangeReq(ScheduleExchangeReqType(
            header: D.h(), maximumSupportingPoints: 24, seReqControlMode: .scheduled_SEReqControlMode(Scheduled_SEReqControlModeType())))), evse: T.evse)
        #expect(s.state == .waitingForPowerDeliveryAfterRenegotiation)
        let a = s.receive(pd(.stop), evse: T.evse)
        #expect(a.contains(.evse(.powerDelivery(on: false))))
        #expect(s.state == .energyTransfer(.dcWeldingDetection))
    }

    /// Out of the charge loop a ScheduleRenegotiation is not applicable.
    @Test func scheduleRenegotiationOutsideTheLoopIsRefused() throws {
        var (s, _) = try PowerDeliveryAndPricingTests.preCharged()
        let a = s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: D.h(), evProcessing: .finished, chargeProgress: .scheduleRenegotiation))), evse: T.evse)
        #expect(T.ended(a) == .failed(.failed_PowerDeliveryNotApplied))
    }
}
