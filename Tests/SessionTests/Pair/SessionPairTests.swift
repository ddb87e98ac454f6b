import AppProtocol
import EXI
import ISO20AC
import ISO20Common
import ISO20DC
import Testing
import TestSupport
import V2GSession
import V2GSimulation
import V2GTP

/// Whole sessions of our EVCC and our SECC on the simulated plant (`SessionPair`): through the wire
/// format, on a manual clock, in milliseconds.
@Suite(.offPool) struct SessionPairTests {
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
@Suite(.offPool) struct UnusableServiceTests {
    @Test(arguments: [EnergyService.dcBPTServiceID, EnergyService.acBPTServiceID, EnergyService.dcServiceID, EnergyService.acServiceID])
    func chargerOffersOnlyScheduledAndTheEVWantsDynamic(service: UInt16) throws {
        let offered: EnergyService = switch service {
        case EnergyService.dcServiceID: .dc(controlModes: [.scheduled])
        case EnergyService.dcBPTServiceID: .dcBPT(controlModes: [.scheduled])
        case EnergyService.acServiceID: .ac(controlModes: [.scheduled])
        default: .acBPT(controlModes: [.scheduled])
        }
        let secc = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567", energyServices: [offered]))
        var pair = SessionPair(secc: secc, evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: service, controlMode: .dynamic))
        let o = try pair.run()
        #expect(o.requests.suffix(2) == [.serviceDetail, .sessionStop])
        #expect(o.stop == .terminate)
        #expect(o.secc?.reason == .terminated)
        #expect(o.evcc?.reason == .noUsableService)
        #expect(o.evcc?.detail.contains("control mode") == true, "\(o.evcc?.detail ?? "")")
        #expect(!pair.plant.contactorsClosed)
    }

    @Test(arguments: [EnergyService.dcBPTServiceID, EnergyService.acBPTServiceID])
    func bidirectionalWantedButOnlyUnidirectionalOfferedStops(service: UInt16) throws {
        let ac = service == EnergyService.acBPTServiceID
        let only = SECCConfiguration(evseID: "DE*SWI*E1234567", energyServices: [ac ? .ac : .dc])
        var strict = SessionPair(secc: SECCSession(configuration: only),
                                 evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: service))
        let stopped = try strict.run()
        #expect(stopped.requests.suffix(2) == [.serviceDiscovery, .sessionStop])
        #expect(stopped.evcc?.reason == .noUsableService)
        #expect(stopped.secc?.reason == .terminated)
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
@Suite(.offPool) struct AnnouncedLimitsTests {
    @Test(arguments: [EnergyService.dcServiceID, EnergyService.dcBPTServiceID])
    func scheduledTargetsStayWithinTheAnnouncedLimits(service: UInt16) throws {
        var battery = SimulatedPlant.Battery()
        battery.soc = 80
        battery.targetSOC = 82
        battery.minimumSOC = 70
        let discharge = service == EnergyService.dcBPTServiceID
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: service, controlMode: .scheduled),
                               battery: battery, discharge: discharge)
        // The vehicle asks for more than the charger's 350 A, or 150 A of discharge against its 120 A.
        if !discharge { pair.driver = { _, ev in ev.dc.targetCurrent = 500 } }
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

extension AnnouncedLimitsTests {
    /// AC and AC_BPT: the EV asks 20 kW each way; the charger announces 10 A (6.9 kW) to charge
    /// and 8 A (5.52 kW) to discharge on three phases: the EV's power profile and the power its
    /// on-board charger draws stay within them.
    @Test(arguments: [EnergyService.acServiceID, EnergyService.acBPTServiceID])
    func acPowerStaysWithinTheAnnouncedLimits(service: UInt16) throws {
        var battery = SimulatedPlant.Battery()
        battery.soc = 70
        battery.minimumSOC = 69
        battery.targetSOC = 71
        let discharge = service == EnergyService.acBPTServiceID
        let limits = ACLimits(maximumChargeCurrent: 10, maximumDischargeCurrent: 8)
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: service, controlMode: .scheduled),
                               battery: battery, discharge: discharge, acLimits: limits)
        pair.driver = { _, ev in
            ev.ac.limits.maximumChargePower = 20_000
            ev.ac.limits.maximumDischargePower = 20_000
            ev.ac.targetPower = discharge ? -20_000 : 20_000
        }
        let o = try pair.run()
        var present: [Double] = []
        for case .ac(.ac_ChargeLoopReq(let m)) in o.sent {
            switch m.clReqControlMode {
            case .scheduled_AC_CLReqControlMode(let q) where !discharge: present.append(q.evPresentActivePower.doubleValue)
            case .bpt_Scheduled_AC_CLReqControlMode(let q) where discharge: present.append(q.evPresentActivePower.doubleValue)
            default: Issue.record("control mode out of kind")
            }
        }
        #expect(present.count > 1)
        let bound = discharge ? -limits.maximumDischargePower : limits.maximumChargePower
        #expect(present.dropFirst().allSatisfy { abs($0 - bound) < 1 }, "\(present) against \(bound) W")
        for case .common(.powerDeliveryReq(let m)) in o.sent where m.chargeProgress == .start {
            let planned = try #require(m.evPowerProfile?.evPowerProfileEntries.evPowerProfileEntry.first?.power.doubleValue)
            #expect(abs(planned - bound) < 1, "planned \(planned) W")
        }
        #expect(o.evcc?.reason == .terminated)
    }
}

/// In a Scheduled BPT session a ScheduleTuple without a DischargingSchedule grants no discharge:
/// the EV's power profile and its targets stay at or above zero (issue 10, point 6).
@Suite(.offPool) struct DischargeGrantTests {
    @Test(arguments: [true, false], [EnergyService.dcBPTServiceID, EnergyService.acBPTServiceID])
    func scheduledDischargeNeedsADischargingSchedule(granted: Bool, service: UInt16) throws {
        var battery = SimulatedPlant.Battery()
        battery.soc = 60
        battery.minimumSOC = 55
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: service,
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
        // DC: the EV's target current; AC: the power its on-board charger draws (from the second
        // loop on: the first goes out before any power flows).
        var targets: [Double] = []
        for case .dc(.dc_ChargeLoopReq(let m)) in o.sent {
            if case .bpt_Scheduled_DC_CLReqControlMode(let q) = m.clReqControlMode { targets.append(q.evTargetCurrent.doubleValue) }
        }
        for case .ac(.ac_ChargeLoopReq(let m)) in o.sent {
            if case .bpt_Scheduled_AC_CLReqControlMode(let q) = m.clReqControlMode { targets.append(q.evPresentActivePower.doubleValue) }
        }
        if service == EnergyService.acBPTServiceID { targets.removeFirst() }
        #expect(!targets.isEmpty)
        #expect(granted ? targets.allSatisfy { $0 < 0 } : targets.allSatisfy { $0 >= 0 }, "\(targets)")
        #expect(granted ? pair.plant.energyWh < 0 : pair.plant.energyWh >= 0)
        #expect(o.evcc?.reason == .terminated)
    }
}


/// The sign of a DischargingSchedule. -20 counts power from the EV as negative ([V2G20-1034],
/// [V2G20-1035]; the schedule entry table's note: every power of a DischargingSchedule is ≤ 0);
/// Josev 0.31's SECC sends +10 kW there. Our SECC writes the standard's form; our EVCC reads a
/// DischargingSchedule as a grant of discharge in either form.
@Suite(.offPool) struct DischargingScheduleSignTests {
    @Test(arguments: [EnergyService.dcBPTServiceID, EnergyService.acBPTServiceID])
    func ourSECCWritesDischargeAsNegative(service: UInt16) throws {
        var battery = SimulatedPlant.Battery()
        battery.soc = 60
        battery.minimumSOC = 59
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: Fixtures.evccID, preferredService: service, controlMode: .scheduled),
                               battery: battery, discharge: true)
        let o = try pair.run()
        let schedule = o.responses.lazy.compactMap { r -> ScheduleTupleType? in
            guard case .common(.scheduleExchangeRes(let m)) = r, case .scheduled_SEResControlMode(let s) = m.seResControlMode else { return nil }
            return s.scheduleTuple.first
        }.first
        let entries = try #require(schedule?.dischargingSchedule?.powerSchedule.powerScheduleEntries.powerScheduleEntry)
        #expect(!entries.isEmpty && entries.allSatisfy { $0.power.doubleValue < 0 })
        #expect(schedule?.chargingSchedule.powerSchedule.powerScheduleEntries.powerScheduleEntry.allSatisfy { $0.power.doubleValue > 0 } == true)
    }

    /// Both forms, from a charger like Josev's (positive) and a conformant one (negative).
    @Test(arguments: [1.0, -1.0], [EnergyService.dcBPTServiceID, EnergyService.acBPTServiceID])
    func ourEVCCReadsEitherSignAsAGrant(sign: Double, service: UInt16) throws {
        var battery = SimulatedPlant.Battery()
        battery.soc = 60
        battery.minimumSOC = 59
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: Fixtures.evccID, preferredService: service, controlMode: .scheduled),
                               battery: battery, discharge: true)
        pair.answer = { response in
            // Only ScheduleExchangeRes changes: its DischargingSchedule gets the sign under test.
            if case .common(.scheduleExchangeRes(var m)) = response, case .scheduled_SEResControlMode(var s) = m.seResControlMode {
                for i in s.scheduleTuple.indices {
                    s.scheduleTuple[i].dischargingSchedule?.powerSchedule.powerScheduleEntries.powerScheduleEntry = [
                        PowerScheduleEntryType(duration: 86_400, power: RationalNumberType(sign * 10_000))]
                }
                m.seResControlMode = .scheduled_SEResControlMode(s)
                response = .common(.scheduleExchangeRes(m))
            }
        }
        let o = try pair.run()
        for case .common(.powerDeliveryReq(let m)) in o.sent where m.chargeProgress == .start {
            #expect(m.bpt_ChannelSelection == .discharge)
        }
        #expect(pair.plant.energyWh < 0, "the EV discharged under a \(sign > 0 ? "positive" : "negative") DischargingSchedule")
        #expect(o.evcc?.reason == .terminated)
    }
}

/// The EV's energy requests in Dynamic control: EVMinimumEnergyRequest is the real need (to the
/// minimum SOC; negative above it in a bidirectional service), and a bidirectional EV states its
/// V2X window, both ends, in order Min ≤ MinV2X ≤ MaxV2X ≤ Max ([V2G20-2124], [V2G20-2125]).
@Suite(.offPool) struct EnergyRequestTests {
    @Test(arguments: [EnergyService.dcServiceID, EnergyService.dcBPTServiceID, EnergyService.acServiceID, EnergyService.acBPTServiceID])
    func dynamicRequestsStateTheRealNeedAndTheV2XWindow(service: UInt16) throws {
        var battery = SimulatedPlant.Battery()
        battery.soc = 40
        battery.minimumSOC = 30
        battery.targetSOC = 42
        let bpt = service == EnergyService.dcBPTServiceID || service == EnergyService.acBPTServiceID
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: service, controlMode: .dynamic),
                               battery: battery, dynamicPowerSetpoint: 5_000, discharge: bpt)
        pair.driver = { loops, ev in if loops >= 3 { ev.chargingComplete = true } }
        let o = try pair.run()
        var requests: [(minimum: Double, target: Double, maximum: Double, minimumV2X: Double?, maximumV2X: Double?)] = []
        for request in o.sent {
            switch request {
            case .dc(.dc_ChargeLoopReq(let m)):
                if case .dynamic_DC_CLReqControlMode(let q) = m.clReqControlMode {
                    requests.append((q.evMinimumEnergyRequest.doubleValue, q.evTargetEnergyRequest.doubleValue, q.evMaximumEnergyRequest.doubleValue, nil, nil))
                }
                if case .bpt_Dynamic_DC_CLReqControlMode(let q) = m.clReqControlMode {
                    requests.append((q.evMinimumEnergyRequest.doubleValue, q.evTargetEnergyRequest.doubleValue, q.evMaximumEnergyRequest.doubleValue,
                                     q.evMinimumV2XEnergyRequest?.doubleValue, q.evMaximumV2XEnergyRequest?.doubleValue))
                }
            case .ac(.ac_ChargeLoopReq(let m)):
                if case .dynamic_AC_CLReqControlMode(let q) = m.clReqControlMode {
                    requests.append((q.evMinimumEnergyRequest.doubleValue, q.evTargetEnergyRequest.doubleValue, q.evMaximumEnergyRequest.doubleValue, nil, nil))
                }
                if case .bpt_Dynamic_AC_CLReqControlMode(let q) = m.clReqControlMode {
                    requests.append((q.evMinimumEnergyRequest.doubleValue, q.evTargetEnergyRequest.doubleValue, q.evMaximumEnergyRequest.doubleValue,
                                     q.evMinimumV2XEnergyRequest?.doubleValue, q.evMaximumV2XEnergyRequest?.doubleValue))
                }
            case .common(.scheduleExchangeReq(let m)):
                if case .dynamic_SEReqControlMode(let q) = m.seReqControlMode {
                    requests.append((q.evMinimumEnergyRequest.doubleValue, q.evTargetEnergyRequest.doubleValue, q.evMaximumEnergyRequest.doubleValue,
                                     q.evMinimumV2XEnergyRequest?.doubleValue, q.evMaximumV2XEnergyRequest?.doubleValue))
                }
            default: break
            }
        }
        #expect(requests.count >= 3, "ScheduleExchange and the loops")
        let first = try #require(requests.first)
        // 60 kWh at 40 %: 1.2 kWh to the 42 % target, 36 kWh to full, 6 kWh above the 30 % minimum.
        #expect(abs(first.target - 1_200) < 10)
        #expect(abs(first.maximum - 36_000) < 100)
        if bpt {
            #expect(abs(first.minimum - -6_000) < 10, "the charger may take 6 kWh")
        } else {
            #expect(first.minimum == 0, "no need below the minimum SOC, and no discharge")
        }
        for r in requests {
            #expect((r.minimumV2X != nil) == bpt && (r.maximumV2X != nil) == bpt, "V2X both ends, in BPT only")
            if let low = r.minimumV2X, let high = r.maximumV2X {
                #expect(r.minimum <= low && low <= high && high <= r.maximum, "\(r)")
            }
            #expect(r.minimum <= r.target && r.target <= r.maximum)
        }
        #expect(o.evcc?.reason == .terminated)
    }
}
