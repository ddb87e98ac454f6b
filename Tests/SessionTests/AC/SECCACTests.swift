import ISO20AC
import ISO20Common
import ISO20DC
import Testing
import TestSupport
import V2GSession

/// The SECC's AC module sans I/O: the sequence across message sets, the contactor held for the
/// pilot, limits and their per-phase form, FAILED answers that end the session safely.
@Suite(.offPool) struct SECCACTests {
    typealias T = Fixtures

    static let evMaximum = 11_000.0

    static func cpd(bpt: Bool = false, perPhase: Bool = false) -> AC_ChargeParameterDiscoveryReqType {
        let l2 = perPhase ? T.r(evMaximum / 3) : nil
        let max = T.r(perPhase ? evMaximum / 3 : evMaximum)
        let mode: AC_ChargeParameterDiscoveryReqType.AC_CPDReqEnergyTransferMode = bpt
            ? .bpt_AC_CPDReqEnergyTransferMode(BPT_AC_CPDReqEnergyTransferModeType(
                evMaximumChargePower: max, evMaximumChargePower_L2: l2, evMaximumChargePower_L3: l2, evMinimumChargePower: T.r(1_000),
                evMaximumDischargePower: max, evMaximumDischargePower_L2: l2, evMaximumDischargePower_L3: l2, evMinimumDischargePower: T.r(1_000)))
            : .ac_CPDReqEnergyTransferMode(AC_CPDReqEnergyTransferModeType(
                evMaximumChargePower: max, evMaximumChargePower_L2: l2, evMaximumChargePower_L3: l2, evMinimumChargePower: T.r(1_000)))
        return AC_ChargeParameterDiscoveryReqType(header: T.h(), ac_CPDReqEnergyTransferMode: mode)
    }

    /// An AC session after AC_ChargeParameterDiscovery and ScheduleExchange, the EV still in B.
    static func readyToStart(service: UInt16 = EnergyService.acServiceID, parameterSet: UInt16 = 2,
                             evse: EVSEInputs = T.evse) throws -> SECCSession {
        var s = T.session()
        T.select(&s, service: service, parameterSet: parameterSet)
        let a = s.receive(.ac(.ac_ChargeParameterDiscoveryReq(cpd(bpt: service == EnergyService.acBPTServiceID))), evse: evse)
        #expect(T.responseCode(try T.response(a)) == .ok)
        let mode: ScheduleExchangeReqType.SEReqControlMode = parameterSet == 1
            ? .scheduled_SEReqControlMode(Scheduled_SEReqControlModeType())
            : .dynamic_SEReqControlMode(Dynamic_SEReqControlModeType(departureTime: 7200, evTargetEnergyRequest: T.r(1), evMaximumEnergyRequest: T.r(1), evMinimumEnergyRequest: T.r(0)))
        _ = s.receive(.common(.scheduleExchangeReq(ScheduleExchangeReqType(header: T.h(), maximumSupportingPoints: 24, seReqControlMode: mode))), evse: evse)
        #expect(s.state == .energyTransfer(.acReadyToStart))
        return s
    }

    static func start(_ s: inout SECCSession, _ evse: EVSEInputs) -> [SECCAction] {
        let profile = EVPowerProfileType(timeAnchor: 0, evpptControlMode: .dynamic_EVPPTControlMode(Dynamic_EVPPTControlModeType()),
                                         evPowerProfileEntries: EVPowerProfileEntryListType(evPowerProfileEntry: [PowerScheduleEntryType(duration: 3600, power: T.r(11_000))]))
        return s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: T.h(), evProcessing: .finished, chargeProgress: .start,
                                                                        evPowerProfile: profile))), evse: evse)
    }

    static func dynamicLoop(maximum: Double = evMaximum, present: Double = 0) -> V2GRequest {
        .ac(.ac_ChargeLoopReq(AC_ChargeLoopReqType(header: T.h(), displayParameters: nil, meterInfoRequested: true, clReqControlMode:
            .dynamic_AC_CLReqControlMode(Dynamic_AC_CLReqControlModeType(
                evTargetEnergyRequest: T.r(10_000), evMaximumEnergyRequest: T.r(20_000), evMinimumEnergyRequest: T.r(0),
                evMaximumChargePower: T.r(maximum), evMinimumChargePower: T.r(1_000), evPresentActivePower: T.r(present),
                evPresentReactivePower: T.r(0))))))
    }

    static func inState(_ pilot: ControlPilotState) -> EVSEInputs {
        var evse = T.evse
        evse.controlPilot = pilot
        return evse
    }

    @Test func startIsHeldUntilTheEVIsInStateC() throws {
        var s = try Self.readyToStart(evse: Self.inState(.b))
        var a = Self.start(&s, Self.inState(.b))
        #expect(a == [.startTimer(.contactor, .milliseconds(50))], "no answer and no contactor in state B")
        a = s.timerExpired(.contactor, evse: Self.inState(.b))
        #expect(a == [.startTimer(.contactor, .milliseconds(50))])
        // The EV reaches C within its 250 ms ([V2G20-847]): contactor first, then the answer.
        a = s.timerExpired(.contactor, evse: Self.inState(.c))
        #expect(a.first == .evse(.powerDelivery(on: true)))
        #expect(T.responseCode(try T.response(a)) == .ok)
        #expect(s.state == .energyTransfer(.acChargeLoop))
        #expect(s.contactorClosed)
    }

    @Test func startWithoutStateCFailsWithContactorError() throws {
        var s = try Self.readyToStart(evse: Self.inState(.b))
        var a = Self.start(&s, Self.inState(.b))
        var polls = 0
        while a == [.startTimer(.contactor, .milliseconds(50))] {
            polls += 1
            a = s.timerExpired(.contactor, evse: Self.inState(.b))
        }
        // 1.4 s of polling, inside V2G_SECC_Msg_Performance_Time ([V2G20-862]).
        #expect(polls == 28, "28 polls of 50 ms")
        #expect(T.responseCode(try T.response(a)) == .failed_ContactorError)
        #expect(a.ended?.reason == .failed(.failed_ContactorError))
        #expect(!a.contains(.evse(.powerDelivery(on: true))))
        #expect(!s.contactorClosed)
    }

    @Test func requestWhileStartIsHeldIsASequenceError() throws {
        var s = try Self.readyToStart(evse: Self.inState(.b))
        _ = Self.start(&s, Self.inState(.b))
        let a = s.receive(Self.dynamicLoop(), evse: Self.inState(.c))
        #expect(T.responseCode(try T.response(a)) == .failed_SequenceError)
        #expect(!s.contactorClosed)
    }

    @Test func pilotLeavingStateCInTheLoopOpensTheContactor() throws {
        var s = try Self.readyToStart()
        #expect(Self.start(&s, T.evse).first == .evse(.powerDelivery(on: true)))
        let a = s.receive(Self.dynamicLoop(), evse: Self.inState(.b))
        #expect(a.first == .evse(.powerDelivery(on: false)))
        #expect(!s.contactorClosed)
        // Every end opens it too: here a FAILED.
        var t = try Self.readyToStart()
        _ = Self.start(&t, T.evse)
        let failed = t.receive(.dc(.dc_ChargeLoopReq(DC_ChargeLoopReqType(header: T.h(), meterInfoRequested: false, evPresentVoltage: T.r(400),
            clReqControlMode: .scheduled_DC_CLReqControlMode(Scheduled_DC_CLReqControlModeType(evTargetCurrent: T.r(10), evTargetVoltage: T.r(400)))))), evse: T.evse)
        #expect(T.responseCode(try T.response(failed)) == .failed_SequenceError)
        #expect(failed.contains(.evse(.powerDelivery(on: false))))
        #expect(failed.ended != nil)
    }

    @Test func acMessageInADCSessionAndDCMessageInAnACSessionAreSequenceErrors() throws {
        var dc = T.session()
        try T.toChargeParameterDiscovery(&dc)
        var a = dc.receive(.ac(.ac_ChargeParameterDiscoveryReq(Self.cpd())), evse: T.evse)
        #expect(T.responseCode(try T.response(a)) == .failed_SequenceError)
        #expect(a.ended?.reason == .failed(.failed_SequenceError))

        var ac = T.session()
        T.select(&ac, service: EnergyService.acServiceID, parameterSet: 2)
        #expect(ac.state == .energyTransfer(.acChargeParameterDiscovery))
        a = ac.receive(.dc(.dc_ChargeParameterDiscoveryReq(T.cpdRequest(T.h()))), evse: T.evse)
        #expect(T.responseCode(try T.response(a)) == .failed_SequenceError)
    }

    @Test func servicesFollowTheAgreedMessageSet() throws {
        var ac = T.session()
        var a = T.toServiceDiscovery(&ac, protocol: T.sapAC)
        guard case .common(.serviceDiscoveryRes(let m))? = try T.response(a) else { Issue.record("no ServiceDiscoveryRes"); return }
        #expect(m.energyTransferServiceList.service.map(\.serviceID) == [1, 5])
        // DC in a session that agreed on -20:AC was not offered.
        a = ac.receive(.common(.serviceSelectionReq(ServiceSelectionReqType(header: T.h(), selectedEnergyTransferService: SelectedServiceType(serviceID: 2, parameterSetID: 1)))), evse: T.evse)
        #expect(T.responseCode(try T.response(a)) == .failed_ServiceSelectionInvalid)

        var detail = T.session()
        T.toServiceDiscovery(&detail, protocol: T.sapAC)
        a = detail.receive(.common(.serviceDetailReq(ServiceDetailReqType(header: T.h(), serviceID: 5))), evse: T.evse)
        guard case .common(.serviceDetailRes(let d))? = try T.response(a) else { Issue.record("no ServiceDetailRes"); return }
        let names = Set(d.serviceParameterList.parameterSet[0].parameter.map(\.name))
        #expect(names.isSuperset(of: ["Connector", "ControlMode", "EVSENominalVoltage", "MobilityNeedsMode", "Pricing", "BPTChannel",
                                      "GeneratorMode", "GridCodeIslandingDetectionMethod"]))
        #expect(d.serviceParameterList.parameterSet[0].parameter.first { $0.name == "Connector" }?.choice == .intValue(2), "three phase")
    }

    @Test(arguments: [false, true])
    func limitsInTheFormTheEVUsed(perPhase: Bool) throws {
        var s = T.session()
        T.select(&s, service: EnergyService.acServiceID, parameterSet: 2)
        let a = s.receive(.ac(.ac_ChargeParameterDiscoveryReq(Self.cpd(perPhase: perPhase))), evse: T.evse)
        guard case .ac(.ac_ChargeParameterDiscoveryRes(let m))? = try T.response(a),
              case .ac_CPDResEnergyTransferMode(let l) = m.ac_CPDResEnergyTransferMode else { Issue.record("no AC CPD response"); return }
        // 3 × 230 V × 16 A = 11.04 kW: as a total, or 3.68 kW on each phase ([V2G20-1815]–[V2G20-1822]).
        let total = ACPhasePower(l.evseMaximumChargePower, l.evseMaximumChargePower_L2, l.evseMaximumChargePower_L3).total
        #expect(abs(total - 11_040) < 1)
        #expect((l.evseMaximumChargePower_L2 != nil) == perPhase)
        #expect(l.evseNominalFrequency.doubleValue == 50)
    }

    @Test func targetsStayWithinTheAnnouncedLimits() throws {
        // Dynamic: a setpoint above the announced 11.04 kW and the EV's maximum is cut to the lower.
        var evse = T.evse
        evse.ac.dynamicPowerSetpoint = 50_000
        var s = try Self.readyToStart(evse: evse)
        _ = Self.start(&s, evse)
        var a = s.receive(Self.dynamicLoop(maximum: 9_000), evse: evse)
        guard case .ac(.ac_ChargeLoopRes(let m))? = try T.response(a) else { Issue.record("no loop response"); return }
        #expect(m.clResControlMode.evseTargetActivePower == 9_000)
        #expect(m.meterInfo != nil, "MeterInfoRequested obliges MeterInfo ([V2G20-1081])")
        a = s.receive(Self.dynamicLoop(maximum: 30_000), evse: evse)
        guard case .ac(.ac_ChargeLoopRes(let n))? = try T.response(a) else { Issue.record("no loop response"); return }
        #expect(abs((n.clResControlMode.evseTargetActivePower ?? 0) - 11_040) < 1)
        // A grid limit in force lowers it further; an AC (not BPT) setpoint never goes negative.
        evse.ac.gridPowerLimit = 4_000
        evse.ac.dynamicPowerSetpoint = -3_000
        a = s.receive(Self.dynamicLoop(), evse: evse)
        guard case .ac(.ac_ChargeLoopRes(let g))? = try T.response(a) else { Issue.record("no loop response"); return }
        #expect(g.clResControlMode.evseTargetActivePower == 0)
        evse.ac.dynamicPowerSetpoint = nil
        a = s.receive(Self.dynamicLoop(), evse: evse)
        guard case .ac(.ac_ChargeLoopRes(let h))? = try T.response(a) else { Issue.record("no loop response"); return }
        #expect(h.clResControlMode.evseTargetActivePower == 4_000)
    }

    @Test func chargeParametersOutOfKindFailAndEndTheSession() throws {
        var s = T.session()
        T.select(&s, service: EnergyService.acServiceID, parameterSet: 2)
        let a = s.receive(.ac(.ac_ChargeParameterDiscoveryReq(Self.cpd(bpt: true))), evse: T.evse)
        #expect(T.responseCode(try T.response(a)) == .failed_WrongChargeParameter)
        #expect(a.ended?.reason == .failed(.failed_WrongChargeParameter))
        // A loop in the BPT form in a plain AC session too.
        var t = try Self.readyToStart()
        _ = Self.start(&t, T.evse)
        let loop = V2GRequest.ac(.ac_ChargeLoopReq(AC_ChargeLoopReqType(header: T.h(), meterInfoRequested: false, clReqControlMode:
            .bpt_Scheduled_AC_CLReqControlMode(BPT_Scheduled_AC_CLReqControlModeType(evPresentActivePower: T.r(0))))))
        let b = t.receive(loop, evse: T.evse)
        #expect(T.responseCode(try T.response(b)) == .failed_WrongChargeParameter)
        #expect(b.contains(.evse(.powerDelivery(on: false))), "the contactor opens with the FAILED")
    }
}
