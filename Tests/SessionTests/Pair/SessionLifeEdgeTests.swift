import ISO20Common
import ISO20DC
import Testing
import TestSupport
import V2GSession
import V2GSimulation
import V2GTP

/// Where standby, side streams, notifications and value-added services meet: the cases a second
/// read of the change found, each pinned.
@Suite(.offPool) struct SessionLifeEdgeTests {
    typealias T = Fixtures
    typealias S = SideStreamSessionTests

    static func powerDelivery(_ progress: ChargeProgressType) -> V2GRequest {
        .common(.powerDeliveryReq(PowerDeliveryReqType(header: T.header(), evProcessing: .finished, chargeProgress: progress)))
    }

    static func loop(_ s: inout SECCSession, _ evse: EVSEInputs = T.evse) -> [SECCAction] {
        s.receive(.dc(.dc_ChargeLoopReq(DC_ChargeLoopReqType(
            header: T.header(), meterInfoRequested: false, evPresentVoltage: T.r(400),
            clReqControlMode: .scheduled_DC_CLReqControlMode(Scheduled_DC_CLReqControlModeType(evTargetCurrent: T.r(100), evTargetVoltage: T.r(410)))))), evse: evse)
    }

    static func closes(_ a: [SECCAction]) -> Bool { a.contains(.evse(.powerDelivery(on: true))) }

    /// Standby before the first Start, then a renegotiation (beside the loop or on the main
    /// stream): the contactor still does not close until PowerDeliveryReq(Start) ([V2G20-1317]).
    @Test func noPowerBeforeStartThroughARenegotiation() throws {
        var (s, _) = try T.preCharged()
        #expect(T.responseCode(try T.sent(s.receive(Self.powerDelivery(.standby), evse: T.evse)).first) == .ok)
        let side = try S.side(&s, Self.powerDelivery(.scheduleRenegotiation), on: .scheduleRenegotiation)
        #expect(S.sideResponse(side)?.1.responseCode == .ok)
        #expect(s.standby, "a renegotiation beside the loop leaves standby to the main stream")
        #expect(!Self.closes(Self.loop(&s)), "no contactor in the loop before Start")
        let start = s.receive(Self.powerDelivery(.start), evse: T.evse)
        #expect(T.responseCode(try T.sent(start).first) == .ok)
        #expect(Self.closes(start), "Start closes it, the pilot being in C")

        var (m, _) = try T.preCharged()
        _ = m.receive(Self.powerDelivery(.standby), evse: T.evse)
        _ = m.receive(Self.powerDelivery(.scheduleRenegotiation), evse: T.evse)
        let exchange = m.receive(S.scheduleExchange, evse: T.evse)
        #expect(!Self.closes(exchange))
        #expect(Self.closes(m.receive(Self.powerDelivery(.start), evse: T.evse)), "power starts with Start after the renegotiation")
    }

    /// DC standby right after ScheduleExchange ([V2G20-1390]): the cable check and pre-charge are
    /// still to come, so the SECC declines with WARNING_StandbyNotAllowed; the session goes on.
    @Test func dcStandbyBeforeTheCableCheckIsDeclined() throws {
        var s = T.session()
        try T.toChargeParameterDiscovery(&s)
        _ = s.receive(.dc(.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(
            header: T.h(), dc_CPDReqEnergyTransferMode: .dc_CPDReqEnergyTransferMode(T.cpd)))), evse: T.evse)
        _ = s.receive(S.scheduleExchange, evse: T.evse)
        #expect(s.state == .energyTransfer(.dcCableCheck))
        let a = s.receive(Self.powerDelivery(.standby), evse: T.evse)
        #expect(T.responseCode(try T.sent(a).first) == .warning_StandbyNotAllowed)
        #expect(T.ended(a) == nil)
        #expect(s.state == .energyTransfer(.dcCableCheck))
    }

    /// NotificationMaxDelay: a Terminate is not answered by renegotiating (beside the loop or
    /// not); a second ScheduleRenegotiation while one runs beside the loop arms nothing.
    @Test func notificationDeadlinesAreAnsweredOnlyByTheirAnswer() throws {
        var s = try S.charging()
        var told = T.evse
        told.notification = .terminate
        told.notificationMaxDelay = 1
        _ = Self.loop(&s, told)
        _ = try S.side(&s, Self.powerDelivery(.scheduleRenegotiation), on: .scheduleRenegotiation)
        var later = T.evse
        later.timestamp += 5
        #expect(T.ended(Self.loop(&s, later)) == .failed(.failed), "Terminate still due")

        var r = try S.charging()
        _ = try S.side(&r, Self.powerDelivery(.scheduleRenegotiation), on: .scheduleRenegotiation)
        var again = T.evse
        again.notification = .scheduleRenegotiation
        again.notificationMaxDelay = 1
        _ = Self.loop(&r, again)
        #expect(T.ended(Self.loop(&r, later)) == nil, "the running renegotiation answers it")
    }

    /// A notification the charger raised while a side-stream request was answered goes out with
    /// the next charge loop response (side-stream responses carry no EVSEStatus).
    @Test func aNotificationRaisedDuringASideExchangeIsNotLost() throws {
        var s = try S.charging()
        var told = T.evse
        told.notification = .terminate
        told.notificationMaxDelay = 30
        _ = s.receive(frame: try Self.powerDelivery(.scheduleRenegotiation).frame(on: .side(.scheduleRenegotiation)), evse: told)
        guard case .dc(.dc_ChargeLoopRes(let res))? = try T.sent(Self.loop(&s)).first else { Issue.record("no DC_ChargeLoopRes"); return }
        #expect(res.evseStatus?.evseNotification == .terminate)
        #expect(res.evseStatus?.notificationMaxDelay == 30)
    }

    /// SessionStop(ServiceRenegotiation) from standby in the loop: power off and standby left
    /// before the new selection, nothing carried over.
    @Test func serviceRenegotiationStartsClean() throws {
        var configuration = SECCConfiguration(evseID: "DE*SWI*E1234567")
        configuration.serviceRenegotiationSupported = true
        var s = SECCSession(configuration: configuration, makeSessionID: { T.id })
        T.select(&s, service: 2, parameterSet: 1)
        _ = s.receive(.dc(.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(
            header: T.h(), dc_CPDReqEnergyTransferMode: .dc_CPDReqEnergyTransferMode(T.cpd)))), evse: T.evse)
        _ = s.receive(S.scheduleExchange, evse: T.evse)
        _ = s.receive(.dc(.dc_CableCheckReq(DC_CableCheckReqType(header: T.h()))), evse: T.evse)
        _ = s.receive(.dc(.dc_PreChargeReq(DC_PreChargeReqType(header: T.h(), evProcessing: .ongoing, evPresentVoltage: T.r(400), evTargetVoltage: T.r(400)))), evse: T.evse)
        #expect(Self.closes(s.receive(Self.powerDelivery(.start), evse: T.evse)))
        _ = s.receive(Self.powerDelivery(.standby), evse: T.evse)
        let stop = s.receive(.common(.sessionStopReq(SessionStopReqType(header: T.header(), chargingSession: .serviceRenegotiation))), evse: T.evse)
        #expect(T.responseCode(try T.sent(stop).first) == .ok)
        #expect(stop.contains(.evse(.standby(false))))
        #expect(stop.contains(.evse(.powerDelivery(on: false))))
        #expect(!s.standby && !s.contactorClosed && s.state == .waitingForServiceDiscovery)
    }

    /// An EV whose policy answers Pause with standby, at a charger that refuses standby: it
    /// pauses as asked (SessionStop(Pause)), not a FAILED end at NotificationMaxDelay. And the
    /// charger's Pause while the EV is already in standby: the EV without that policy pauses.
    @Test func pauseAndStandbyTogether() throws {
        var refusing = SECCConfiguration(evseID: "DE*SWI*E1234567")
        refusing.standbyAllowed = false
        var config = EVCCConfiguration(evccID: "WMIV1234567890ABCDEX")
        config.policy.standbyInsteadOfPause = true
        var pair = SessionPair(secc: SECCSession(configuration: refusing), evcc: config)
        pair.charger = { _, loops, evse in if loops == 10 { evse.notification = .pause; evse.notificationMaxDelay = 5 } }
        let o = try pair.run()
        #expect(o.secc?.reason == .paused, "\(String(describing: o.secc))")
        #expect(o.stop == .pause)

        var plain = SessionPair(evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX"))
        plain.driver = { loops, ev in ev.standbyRequested = loops >= 5 }
        plain.charger = { _, loops, evse in if loops == 20 { evse.notification = .pause; evse.notificationMaxDelay = 5 } }
        let p = try plain.run()
        #expect(p.secc?.reason == .paused, "\(String(describing: p.secc))")
        #expect(StandbyTests.progress(p) == [.start, .standby, .stop])
    }

    /// A resumed session keeps the value-added services selected before the pause (a resume
    /// skips ServiceSelection); both runtimes hear of them again.
    @Test func valueAddedServicesSurviveAPause() throws {
        var configuration = T.seccConfiguration()
        configuration.valueAddedServices = [.internet()]
        var vehicle = EVCCConfiguration(evccID: T.evccID)
        vehicle.valueAddedServices = [ValueAddedService.internetServiceID]
        var secc = SECCSession(configuration: configuration)
        var evcc = EVCCSession(configuration: vehicle)
        _ = try T.runPair(&secc, &evcc, pauseAfter: 3)
        let paused = try #require(secc.pausedSession)
        #expect(paused.valueAddedServices.map(\.serviceID) == [65])
        let evccPaused: PausedSession = try #require(evcc.pausedSession)
        vehicle.resume = evccPaused
        var resumed = SessionPair(secc: SECCSession(configuration: configuration, resumable: [paused]), evcc: vehicle)
        let o = try resumed.run()
        #expect(o.secc?.reason == .terminated)
        #expect(resumed.secc.selectedVAS.first?.internetAccess == .https)
        #expect(resumed.seccValueAddedServices.first?.map(\.serviceID) == [65])
        #expect(resumed.evccValueAddedServices.first?.map(\.serviceID) == [65])
    }

    /// SupportedServiceIDs that name no value-added service get no VASList ([V2G20-1249]), and
    /// a VAS not listed cannot be described or selected.
    @Test func vasListFollowsSupportedServiceIDs() throws {
        var configuration = SECCConfiguration(evseID: "DE*SWI*E1234567")
        configuration.valueAddedServices = [.internet()]
        var s = SECCSession(configuration: configuration, makeSessionID: { T.id })
        let discovery = T.toServiceDiscovery(&s, supportedServiceIDs: [2])
        guard case .common(.serviceDiscoveryRes(let r))? = try T.sent(discovery).first else { Issue.record("no ServiceDiscoveryRes"); return }
        #expect(r.vasList == nil)
        let detail = s.receive(.common(.serviceDetailReq(ServiceDetailReqType(header: T.header(), serviceID: 65))), evse: T.evse)
        #expect(T.ended(detail) == .failed(.failed_ServiceIDInvalid))
    }
}
