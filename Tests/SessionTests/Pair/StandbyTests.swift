import ISO20Common
import Testing
import TestSupport
import V2GSession
import V2GSimulation

/// Standby (PowerDeliveryReq ChargeProgress=Standby, `SECCStandby`): the session stays, the charge
/// loop goes on as its keep-alive at zero power ([V2G20-2113], [V2G20-2116]), and the EV wakes with
/// PowerDelivery(Start) on its own or on the charger's ExitStandby ([V2G20-1854]); a charger that
/// does not allow it answers WARNING_StandbyNotAllowed and the session goes on ([V2G20-1387], [V2G20-1396]).
@Suite(.offPool) struct StandbyTests {
    typealias T = Fixtures

    /// The ChargeProgress of every PowerDeliveryReq, in order.
    static func progress(_ o: SessionPair.Outcome) -> [ChargeProgressType] {
        o.sent.compactMap { r -> ChargeProgressType? in if case .common(.powerDeliveryReq(let m)) = r { return m.chargeProgress }; return nil }
    }

    /// Energy at given loop numbers, read from the plant as the EV reports.
    final class Meter: @unchecked Sendable {
        var energy: [Int: Double] = [:]
        var contactorClosed: [Int: Bool] = [:]
    }

    static func evcc(_ service: UInt16, _ mode: ControlMode = .dynamic) -> EVCCConfiguration {
        EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: service, controlMode: mode)
    }

    /// The pair for `service`: AC charges a few percent only (11 kW takes ten times the loops of DC).
    static func pair(_ service: UInt16, _ mode: ControlMode = .dynamic, secc: SECCConfiguration = SECCConfiguration(evseID: "DE*SWI*E1234567"),
                     evcc: EVCCConfiguration? = nil) -> SessionPair {
        var battery = SimulatedPlant.Battery()
        if service == EnergyService.acServiceID { battery.soc = 60; battery.targetSOC = 64 }
        return SessionPair(secc: SECCSession(configuration: secc), evcc: evcc ?? Self.evcc(service, mode), battery: battery)
    }

    /// The EV goes to standby from the charge loop and wakes on its own: no energy flows in
    /// between, the loop keeps the session alive, and charging resumes without a new cable check.
    @Test(arguments: [(EnergyService.dcServiceID, ControlMode.dynamic), (EnergyService.dcServiceID, .scheduled),
                      (EnergyService.acServiceID, .dynamic), (EnergyService.acServiceID, .scheduled)])
    func evEntersAndLeavesStandbyFromTheLoop(service: UInt16, mode: ControlMode) throws {
        var pair = Self.pair(service, mode)
        let meter = Meter()
        pair.driver = { [plant = pair.plant] loops, ev in
            ev.standbyRequested = (20..<80).contains(loops)
            meter.energy[loops] = plant.energyWh
        }
        let o = try pair.run()
        #expect(o.secc?.reason == .terminated)
        #expect(o.evcc?.reason == .terminated)
        #expect(Self.progress(o) == [.start, .standby, .start, .stop])
        #expect(pair.plant.standbyEntries == 1)
        #expect(pair.plant.standbySince == nil, "standby left")
        // Standby began after loop 20; from a few loops in (the power ramps down) to its end nothing flows.
        let during = (meter.energy[79] ?? 0) - (meter.energy[25] ?? 0)
        #expect(abs(during) < 1, "\(during) Wh in standby")
        #expect((meter.energy[120] ?? 0) - (meter.energy[80] ?? 0) > 1, "charging resumed")
        #expect(service != EnergyService.dcServiceID || o.phases(.dcCableCheck) == 1, "no new cable check after standby")
        #expect(pair.plant.soc >= pair.plant.battery.targetSOC)
    }

    /// Standby before the first Start (DC after pre-charge, [V2G20-1380]; AC after ScheduleExchange,
    /// [V2G20-1390]): the contactor stays open until the EV wakes with Start ([V2G20-1317]).
    @Test(arguments: [EnergyService.dcServiceID, EnergyService.acServiceID])
    func standbyBeforeTheFirstStartKeepsTheContactorOpen(service: UInt16) throws {
        var pair = Self.pair(service)
        let meter = Meter()
        pair.driver = { [plant = pair.plant] loops, ev in
            ev.standbyRequested = loops < 30
            meter.contactorClosed[loops] = plant.contactorsClosed
        }
        let o = try pair.run()
        #expect(o.secc?.reason == .terminated)
        #expect(Self.progress(o).prefix(2) == [.standby, .start])
        #expect((1..<30).allSatisfy { meter.contactorClosed[$0] == false }, "contactor open in standby before Start")
        #expect(meter.contactorClosed[40] == true)
        #expect(!o.contactorClosedOutOfStateC)
        #expect(pair.plant.energyWh > 0)
    }

    /// The charger sends ExitStandby: the EV wakes although it would have stayed, and does not
    /// go back to standby while its wish lasts.
    @Test(arguments: [EnergyService.dcServiceID, EnergyService.acServiceID])
    func chargerEndsStandbyWithExitStandby(service: UInt16) throws {
        var pair = Self.pair(service)
        pair.driver = { loops, ev in ev.standbyRequested = loops >= 10 && loops < 400 }
        pair.charger = { _, loops, evse in
            if loops == 40 { evse.notification = .exitStandby; evse.notificationMaxDelay = 0 }
        }
        let o = try pair.run()
        #expect(o.secc?.reason == .terminated)
        #expect(Self.progress(o) == [.start, .standby, .start, .stop])
        let exit = o.responses.firstIndex { r in
            if case .dc(.dc_ChargeLoopRes(let m)) = r { return m.evseStatus?.evseNotification == .exitStandby }
            if case .ac(.ac_ChargeLoopRes(let m)) = r { return m.evseStatus?.evseNotification == .exitStandby }
            return false
        }
        #expect(exit != nil, "ExitStandby sent in a ChargeLoopRes")
        if let exit { #expect(o.requests[exit + 1] == .powerDelivery, "the EV wakes at once") }
    }

    /// The charger's Pause answered with standby ([V2G20-1850]) by an EV whose policy prefers it:
    /// the session and the connection stay, NotificationMaxDelay no longer runs, and ExitStandby
    /// brings power back.
    @Test(arguments: [EnergyService.dcServiceID, EnergyService.acServiceID])
    func pauseNotificationAnsweredWithStandby(service: UInt16) throws {
        var config = Self.evcc(service)
        config.policy.standbyInsteadOfPause = true
        var pair = Self.pair(service, evcc: config)
        pair.charger = { _, loops, evse in
            if loops == 10 { evse.notification = .pause; evse.notificationMaxDelay = 1 }
            if loops == 110 { evse.notification = .exitStandby }
        }
        let o = try pair.run()
        #expect(o.secc?.reason == .terminated, "\(String(describing: o.secc))")
        #expect(o.stop == .terminate)
        #expect(Self.progress(o) == [.start, .standby, .start, .stop])
        #expect(pair.clock.now > .seconds(5), "in standby well past NotificationMaxDelay")
    }

    /// A charger that does not allow standby answers WARNING_StandbyNotAllowed; the EV charges
    /// on without asking again, and the session ends normally.
    @Test(arguments: [EnergyService.dcServiceID, EnergyService.acServiceID])
    func standbyNotAllowed(service: UInt16) throws {
        var configuration = SECCConfiguration(evseID: "DE*SWI*E1234567")
        configuration.standbyAllowed = false
        var pair = Self.pair(service, secc: configuration)
        pair.driver = { loops, ev in ev.standbyRequested = loops >= 10 }
        let o = try pair.run()
        #expect(o.secc?.reason == .terminated)
        #expect(Self.progress(o) == [.start, .standby, .stop])
        let refusal = o.responses.contains { r in
            if case .common(.powerDeliveryRes(let m)) = r { return m.responseCode == .warning_StandbyNotAllowed }
            return false
        }
        #expect(refusal)
        #expect(pair.plant.soc >= pair.plant.battery.targetSOC, "charged on")
        #expect(pair.evcc.standby == .refused)
    }

    /// Standby where power cannot start yet (DC before pre-charge) is out of sequence; after
    /// PowerDeliveryRes(Standby) the SECC waits for the loop's keep-alive only 0.5 s ([V2G20-2192]).
    @Test func standbyOutOfSequenceAndItsTimer() throws {
        var s = T.session()
        try T.toChargeParameterDiscovery(&s)
        let early = s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: T.header(), evProcessing: .finished, chargeProgress: .standby))), evse: T.evse)
        #expect(T.ended(early) == .failed(.failed_SequenceError))

        var (charging, _) = try T.preCharged()
        let a = charging.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: T.header(), evProcessing: .finished, chargeProgress: .standby))), evse: T.evse)
        #expect(T.responseCode(try T.sent(a).first) == .ok)
        #expect(a.contains(.startTimer(.sequence, V2GTiming.seccSequenceTimeoutChargeLoop)))
        #expect(a.contains(.evse(.standby(true))))
        #expect(!a.contains(.evse(.powerDelivery(on: true))), "no contactor in standby before Start")
        #expect(charging.standby)
        let expired = charging.timerExpired(.sequence, evse: T.evse)
        #expect(T.ended(expired) == .sequenceTimeout)
    }
}
