import AppProtocol
import EXI
import ISO20Common
import ISO20DC
import Testing
import V2GSession
import V2GSimulation
import V2GTP

/// Whole sessions of our EVCC and our SECC on the simulated plant (`SessionPair`): through the wire
/// format, on a manual clock, in milliseconds.
@Suite struct SessionPairTests {
    typealias T = Fixtures

    @Test(arguments: [ControlMode.dynamic, .scheduled])
    func fullDCSessionEndsInSessionStopTerminate(mode: ControlMode) throws {
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", controlMode: mode))
        let o = try pair.run()
        #expect(o.secc?.reason == .terminated)
        #expect(o.evcc?.reason == .terminated)
        #expect(o.stop == .terminate)
        #expect(pair.plant.soc >= 80)
        #expect(pair.plant.energyWh > 0)
        #expect(!pair.plant.contactorsClosed, "power off at the end")
        // The standard's order, each phase once (Ongoing repeats aside).
        let phases = o.requests.reduce(into: [MessageKind]()) { if $0.last != $1 { $0.append($1) } }
        #expect(phases == [.supportedAppProtocol, .sessionSetup, .authorizationSetup, .authorization, .serviceDiscovery, .serviceDetail,
                           .serviceSelection, .dcChargeParameterDiscovery, .scheduleExchange, .dcCableCheck, .dcPreCharge, .powerDelivery,
                           .dcChargeLoop, .powerDelivery, .dcWeldingDetection, .sessionStop])
        print("session pair DC \(mode): \(o.messages) messages, \(o.loops) charge loops, \(Int(pair.plant.energyWh)) Wh, SOC \(pair.plant.soc)%, \(pair.clock.now) simulated")
    }

    @Test func bptSessionDischarges() throws {
        var battery = SimulatedPlant.Battery()
        battery.soc = 80
        battery.minimumSOC = 60
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: EnergyService.dcBPTServiceID),
                               battery: battery, dynamicPowerSetpoint: -40_000, discharge: true)
        let o = try pair.run()
        #expect(o.secc?.reason == .terminated)
        #expect(o.evcc?.reason == .terminated)
        #expect(pair.plant.energyWh < 0, "energy flowed from the EV")
        #expect(pair.plant.soc <= 60)
    }
}

/// An EV that cannot use what the charger offers stops with SessionStop(Terminate) and says why;
/// a fallback happens only where its policy allows it, and is reported.
@Suite struct UnusableServiceTests {
    @Test func chargerOffersOnlyScheduledAndTheEVWantsDynamic() throws {
        let secc = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567", energyServices: [.dc(controlModes: [.scheduled])]))
        var pair = SessionPair(secc: secc, evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", controlMode: .dynamic))
        let o = try pair.run()
        #expect(o.requests.suffix(2) == [.serviceDetail, .sessionStop])
        #expect(o.stop == .terminate)
        #expect(o.secc?.reason == .terminated)
        #expect(o.evcc?.reason == .noUsableService)
        #expect(o.evcc?.detail.contains("control mode") == true, "\(o.evcc?.detail ?? "")")
        #expect(!pair.plant.contactorsClosed)
    }

    @Test func bidirectionalWantedButOnlyDCOfferedStopsUnlessFallbackIsAllowed() throws {
        let onlyDC = SECCConfiguration(evseID: "DE*SWI*E1234567", energyServices: [.dc])
        var strict = SessionPair(secc: SECCSession(configuration: onlyDC),
                                 evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: EnergyService.dcBPTServiceID))
        let stopped = try strict.run()
        #expect(stopped.requests.suffix(2) == [.serviceDiscovery, .sessionStop])
        #expect(stopped.evcc?.reason == .noUsableService)
        #expect(stopped.secc?.reason == .terminated)

        // With DC as an allowed fallback the EV charges on DC and reports the fallback.
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: EnergyService.dcBPTServiceID,
                                                                policy: EVCCPolicy(fallbackServices: [EnergyService.dcServiceID])))
        var notes: [String] = []
        var actions = evcc.start(ev: EVInputs())
        var secc = SECCSession(configuration: onlyDC)
        for _ in 0..<8 {
            for case .note(let text) in actions { notes.append(text) }
            guard let request = actions.sentRequest, let response = secc.receive(request, evse: Fixtures.evse).sentResponse else { break }
            actions = evcc.receivePaced(response, ev: EVInputs())
        }
        #expect(evcc.service?.serviceID == EnergyService.dcServiceID)
        #expect(notes.count == 1 && notes[0].contains("falling back"), "\(notes)")
    }
}

/// The EV's targets stay within what the charger announced in DC_ChargeParameterDiscoveryRes
/// ([V2G20-2654]/[V2G20-2655] bound the charger; the EV asking beyond them is refused power).
@Suite struct AnnouncedLimitsTests {
    @Test(arguments: [EnergyService.dcServiceID, EnergyService.dcBPTServiceID])
    func scheduledTargetsStayWithinTheAnnouncedLimits(service: UInt16) throws {
        var battery = SimulatedPlant.Battery()
        battery.soc = 80
        battery.minimumSOC = 70
        let discharge = service == EnergyService.dcBPTServiceID
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: service, controlMode: .scheduled),
                               battery: battery, discharge: discharge)
        // The vehicle asks for more than the charger's 350 A, or 150 A of discharge against its 120 A.
        if !discharge { pair.driver = { _, ev in ev.dc.targetCurrent = 500; ev.chargingComplete = ev.chargingComplete || ev.soc >= 82 } }
        let o = try pair.run()
        let limits = DCLimits()
        var loops = 0
        for case .dc(.dc_ChargeLoopReq(let m)) in o.sent {
            loops += 1
            switch m.clReqControlMode {
            case .scheduled_DC_CLReqControlMode(let q):
                #expect(q.evTargetCurrent.doubleValue <= limits.maximumChargeCurrent)
            case .bpt_Scheduled_DC_CLReqControlMode(let q):
                #expect(q.evTargetCurrent.doubleValue >= -limits.maximumDischargeCurrent)
                #expect(q.evTargetCurrent.doubleValue == -limits.maximumDischargeCurrent, "150 A asked, 120 A announced")
            default: Issue.record("control mode out of kind")
            }
        }
        #expect(loops > 0)
        for case .common(.powerDeliveryReq(let m)) in o.sent where m.chargeProgress == .start {
            let planned = try #require(m.evPowerProfile?.evPowerProfileEntries.evPowerProfileEntry.first?.power.doubleValue)
            #expect(planned >= -limits.maximumDischargePower && planned <= limits.maximumChargePower)
        }
        #expect(o.evcc?.reason == .terminated)
    }
}

/// In a Scheduled BPT session a ScheduleTuple without a DischargingSchedule grants no discharge:
/// the EV's power profile and its targets stay at or above zero (issue 10, point 6).
@Suite struct DischargeGrantTests {
    @Test(arguments: [true, false])
    func scheduledDischargeNeedsADischargingSchedule(granted: Bool) throws {
        var battery = SimulatedPlant.Battery()
        battery.soc = 60
        battery.minimumSOC = 55
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: EnergyService.dcBPTServiceID,
                                                       controlMode: .scheduled), battery: battery, discharge: true)
        // A charger whose schedule tuple carries (or leaves out) the discharging schedule.
        pair.answer = { response in
            if !granted, case .common(.scheduleExchangeRes(var m)) = response,
               case .scheduled_SEResControlMode(var scheduled) = m.seResControlMode {
                for i in scheduled.scheduleTuple.indices { scheduled.scheduleTuple[i].dischargingSchedule = nil }
                m.seResControlMode = .scheduled_SEResControlMode(scheduled)
                response = .common(.scheduleExchangeRes(m))
            }
        }
        pair.driver = { loops, ev in if loops >= 5 { ev.chargingComplete = true } }
        let o = try pair.run()
        for case .common(.powerDeliveryReq(let m)) in o.sent where m.chargeProgress == .start {
            let planned = try #require(m.evPowerProfile?.evPowerProfileEntries.evPowerProfileEntry.first?.power.doubleValue)
            #expect(granted ? planned < 0 : planned >= 0, "planned \(planned) W")
            #expect(m.bpt_ChannelSelection == (granted ? .discharge : .charge))
        }
        var targets: [Double] = []
        for case .dc(.dc_ChargeLoopReq(let m)) in o.sent {
            if case .bpt_Scheduled_DC_CLReqControlMode(let q) = m.clReqControlMode { targets.append(q.evTargetCurrent.doubleValue) }
        }
        #expect(!targets.isEmpty)
        #expect(granted ? targets.allSatisfy { $0 < 0 } : targets.allSatisfy { $0 >= 0 }, "\(targets)")
        #expect(granted ? pair.plant.energyWh < 0 : pair.plant.energyWh >= 0)
        #expect(o.evcc?.reason == .terminated)
    }
}
