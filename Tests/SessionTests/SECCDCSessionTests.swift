import EXI
import ISO20Common
import ISO20DC
import Testing
import V2GSession

/// The DC part of the SECC sequence, driven by hand-built EVCC requests; every response must
/// encode as a schema-valid EXI document.
@Suite struct SECCDCSessionTests {
    typealias T = SECCSessionTests
    static func r(_ x: Double) -> RationalNumberType { RationalNumberType(x) }
    static func h() -> MessageHeaderType { T.header() }

    static func select(_ s: inout SECCSession, service: UInt16, parameterSet: UInt16) {
        _ = s.receive(.supportedAppProtocol(T.sap), evse: T.evse)
        _ = s.receive(.common(.sessionSetupReq(SessionSetupReqType(header: T.header(SessionIDGenerator.zero), evccid: "WMIV1234567890ABCDEX"))), evse: T.evse)
        _ = s.receive(.common(.authorizationSetupReq(AuthorizationSetupReqType(header: h()))), evse: T.evse)
        _ = s.receive(.common(.authorizationReq(AuthorizationReqType(header: h(), selectedAuthorizationService: .eim,
                                                                      aReqAuthorizationMode: .eim_AReqAuthorizationMode(EIM_AReqAuthorizationModeType())))), evse: T.evse)
        _ = s.receive(.common(.serviceDiscoveryReq(ServiceDiscoveryReqType(header: h()))), evse: T.evse)
        _ = s.receive(.common(.serviceSelectionReq(ServiceSelectionReqType(
            header: h(), selectedEnergyTransferService: SelectedServiceType(serviceID: service, parameterSetID: parameterSet)))), evse: T.evse)
    }

    static func response(_ actions: [SECCAction]) throws -> V2GResponse? { try T.sent(actions).first }

    static let cpd = DC_CPDReqEnergyTransferModeType(evMaximumChargePower: r(150_000), evMinimumChargePower: r(1_000),
                                                     evMaximumChargeCurrent: r(350), evMinimumChargeCurrent: r(1),
                                                     evMaximumVoltage: r(900), evMinimumVoltage: r(150))

    static func cpdRequest(_ header: MessageHeaderType) -> DC_ChargeParameterDiscoveryReqType {
        DC_ChargeParameterDiscoveryReqType(header: header, dc_CPDReqEnergyTransferMode: .dc_CPDReqEnergyTransferMode(cpd))
    }

    /// A whole Dynamic DC session: CPD, ScheduleExchange, CableCheck (Ongoing, then Finished),
    /// PreCharge, PowerDelivery(Start), charge loop, PowerDelivery(Stop), WeldingDetection, SessionStop.
    @Test func dynamicDCSession() throws {
        var s = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567"), makeSessionID: { T.id })
        Self.select(&s, service: 2, parameterSet: 2)
        var evse = T.evse
        var a = s.receive(.dc(.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(
            header: Self.h(), dc_CPDReqEnergyTransferMode: .dc_CPDReqEnergyTransferMode(Self.cpd)))), evse: evse)
        guard case .dc(.dc_ChargeParameterDiscoveryRes(let cpdRes))? = try Self.response(a) else { Issue.record("no CPD res"); return }
        #expect(cpdRes.responseCode == .ok)
        #expect(s.state == .waitingForScheduleExchange)

        a = s.receive(.common(.scheduleExchangeReq(ScheduleExchangeReqType(
            header: Self.h(), maximumSupportingPoints: 1024,
            seReqControlMode: .dynamic_SEReqControlMode(Dynamic_SEReqControlModeType(
                departureTime: 7200, evTargetEnergyRequest: Self.r(40_000), evMaximumEnergyRequest: Self.r(60_000), evMinimumEnergyRequest: Self.r(5_000)))))), evse: evse)
        guard case .common(.scheduleExchangeRes(let se))? = try Self.response(a), case .dynamic_SEResControlMode = se.seResControlMode else {
            Issue.record("no dynamic ScheduleExchangeRes"); return
        }

        evse.dc.isolation = .checking
        a = s.receive(.dc(.dc_CableCheckReq(DC_CableCheckReqType(header: Self.h()))), evse: evse)
        #expect(a.contains(.evse(.dc(.startCableCheck))))
        guard case .dc(.dc_CableCheckRes(let cc1))? = try Self.response(a) else { Issue.record("no CableCheckRes"); return }
        #expect(cc1.evseProcessing == .ongoing)
        evse.dc.isolation = .valid
        a = s.receive(.dc(.dc_CableCheckReq(DC_CableCheckReqType(header: Self.h()))), evse: evse)
        #expect(!a.contains(.evse(.dc(.startCableCheck))), "the isolation test starts once")
        guard case .dc(.dc_CableCheckRes(let cc2))? = try Self.response(a) else { Issue.record("no CableCheckRes"); return }
        #expect(cc2.evseProcessing == .finished)

        evse.dc.presentVoltage = 398
        a = s.receive(.dc(.dc_PreChargeReq(DC_PreChargeReqType(header: Self.h(), evProcessing: .ongoing,
                                                                 evPresentVoltage: Self.r(400), evTargetVoltage: Self.r(400)))), evse: evse)
        #expect(a.contains(.evse(.dc(.preCharge(voltage: 400, current: 2)))))
        a = s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: Self.h(), evProcessing: .finished, chargeProgress: .start))), evse: evse)
        #expect(a.contains(.evse(.powerDelivery(on: true))))
        #expect(s.state == .energyTransfer(.dcChargeLoop))

        evse.dc.presentVoltage = 402.3
        evse.dc.presentCurrent = 248.1
        evse.meterReadingWh = 1_234
        let loop = V2GRequest.dc(.dc_ChargeLoopReq(DC_ChargeLoopReqType(
            header: Self.h(), displayParameters: DisplayParametersType(presentSOC: 42), meterInfoRequested: true, evPresentVoltage: Self.r(402),
            clReqControlMode: .dynamic_DC_CLReqControlMode(Dynamic_DC_CLReqControlModeType(
                evTargetEnergyRequest: Self.r(40_000), evMaximumEnergyRequest: Self.r(60_000), evMinimumEnergyRequest: Self.r(5_000),
                evMaximumChargePower: Self.r(150_000), evMinimumChargePower: Self.r(1_000), evMaximumChargeCurrent: Self.r(350),
                evMaximumVoltage: Self.r(900), evMinimumVoltage: Self.r(150))))))
        for _ in 0..<3 {
            a = s.receive(loop, evse: evse)
            // After a ChargeLoopRes the SECC waits at most 0.5 s for the next request ([V2G20-1502]).
            #expect(a.contains(.startTimer(.sequence, .milliseconds(500))))
            guard case .dc(.dc_ChargeLoopRes(let res))? = try Self.response(a) else { Issue.record("no ChargeLoopRes"); return }
            #expect(res.evsePresentCurrent == Self.r(248.1))
            #expect(res.meterInfo?.chargedEnergyReadingWh == 1_234, "MeterInfo when requested ([V2G20-1081])")
            guard case .dynamic_DC_CLResControlMode = res.clResControlMode else { Issue.record("answered out of kind"); return }
        }

        a = s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: Self.h(), evProcessing: .finished, chargeProgress: .stop))), evse: evse)
        #expect(a.contains(.evse(.powerDelivery(on: false))))
        a = s.receive(.dc(.dc_WeldingDetectionReq(DC_WeldingDetectionReqType(header: Self.h(), evProcessing: .finished))), evse: evse)
        guard case .dc(.dc_WeldingDetectionRes(let wd))? = try Self.response(a) else { Issue.record("no WeldingDetectionRes"); return }
        #expect(wd.responseCode == .ok)
        a = s.receive(.common(.sessionStopReq(SessionStopReqType(header: Self.h(), chargingSession: .terminate))), evse: evse)
        #expect(T.ended(a) == .terminated)
    }

    /// Scheduled DC_BPT: the schedule has a discharging mirror; the loop answers BPT_Scheduled and
    /// keeps the discharge target within the announced limit.
    @Test func scheduledBPTSessionDischarges() throws {
        var s = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567"), makeSessionID: { T.id })
        Self.select(&s, service: 6, parameterSet: 1)
        let evse = T.evse
        let bpt = BPT_DC_CPDReqEnergyTransferModeType(
            evMaximumChargePower: Self.r(150_000), evMinimumChargePower: Self.r(1_000), evMaximumChargeCurrent: Self.r(350),
            evMinimumChargeCurrent: Self.r(1), evMaximumVoltage: Self.r(900), evMinimumVoltage: Self.r(150),
            evMaximumDischargePower: Self.r(50_000), evMinimumDischargePower: Self.r(1_000), evMaximumDischargeCurrent: Self.r(150),
            evMinimumDischargeCurrent: Self.r(1))
        var a = s.receive(.dc(.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(
            header: Self.h(), dc_CPDReqEnergyTransferMode: .bpt_DC_CPDReqEnergyTransferMode(bpt)))), evse: evse)
        guard case .dc(.dc_ChargeParameterDiscoveryRes(let cpd))? = try Self.response(a),
              case .bpt_DC_CPDResEnergyTransferMode = cpd.dc_CPDResEnergyTransferMode else { Issue.record("no BPT CPD res"); return }
        a = s.receive(.common(.scheduleExchangeReq(ScheduleExchangeReqType(
            header: Self.h(), maximumSupportingPoints: 24, seReqControlMode: .scheduled_SEReqControlMode(Scheduled_SEReqControlModeType())))), evse: evse)
        guard case .common(.scheduleExchangeRes(let se))? = try Self.response(a),
              case .scheduled_SEResControlMode(let sched) = se.seResControlMode else { Issue.record("no scheduled res"); return }
        #expect(sched.scheduleTuple.first?.dischargingSchedule != nil)
        _ = s.receive(.dc(.dc_CableCheckReq(DC_CableCheckReqType(header: Self.h()))), evse: evse)
        _ = s.receive(.dc(.dc_PreChargeReq(DC_PreChargeReqType(header: Self.h(), evProcessing: .finished, evPresentVoltage: Self.r(400), evTargetVoltage: Self.r(400)))), evse: evse)
        _ = s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: Self.h(), evProcessing: .finished, chargeProgress: .start))), evse: evse)
        a = s.receive(.dc(.dc_ChargeLoopReq(DC_ChargeLoopReqType(
            header: Self.h(), meterInfoRequested: false, evPresentVoltage: Self.r(400),
            clReqControlMode: .bpt_Scheduled_DC_CLReqControlMode(BPT_Scheduled_DC_CLReqControlModeType(
                evTargetCurrent: Self.r(-500), evTargetVoltage: Self.r(400)))))), evse: evse)
        // Asked for 500 A of discharge, limited to the announced 120 A.
        #expect(a.contains(.evse(.dc(.target(voltage: 400, current: -120)))))
        guard case .dc(.dc_ChargeLoopRes(let res))? = try Self.response(a), case .bpt_Scheduled_DC_CLResControlMode = res.clResControlMode else {
            Issue.record("answered out of kind"); return
        }
    }

    @Test func controlModeOutOfKindIsRefused() throws {
        var s = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567"), makeSessionID: { T.id })
        Self.select(&s, service: 2, parameterSet: 2)
        // DC_BPT parameters for a DC service.
        let a = s.receive(.dc(.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(
            header: Self.h(), dc_CPDReqEnergyTransferMode: .bpt_DC_CPDReqEnergyTransferMode(BPT_DC_CPDReqEnergyTransferModeType(
                evMaximumChargePower: Self.r(1), evMinimumChargePower: Self.r(1), evMaximumChargeCurrent: Self.r(1), evMinimumChargeCurrent: Self.r(1),
                evMaximumVoltage: Self.r(1), evMinimumVoltage: Self.r(1), evMaximumDischargePower: Self.r(1), evMinimumDischargePower: Self.r(1),
                evMaximumDischargeCurrent: Self.r(1), evMinimumDischargeCurrent: Self.r(1)))))), evse: T.evse)
        #expect(T.ended(a) == .failed(.failed_WrongChargeParameter))
        #expect(try Self.response(a) != nil)
    }

    @Test func isolationFaultEndsTheSession() throws {
        var s = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567"), makeSessionID: { T.id })
        Self.select(&s, service: 2, parameterSet: 2)
        var evse = T.evse
        _ = s.receive(.dc(.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(
            header: Self.h(), dc_CPDReqEnergyTransferMode: .dc_CPDReqEnergyTransferMode(Self.cpd)))), evse: evse)
        _ = s.receive(.common(.scheduleExchangeReq(ScheduleExchangeReqType(
            header: Self.h(), maximumSupportingPoints: 24, seReqControlMode: .scheduled_SEReqControlMode(Scheduled_SEReqControlModeType())))), evse: evse)
        evse.dc.isolation = .fault
        let a = s.receive(.dc(.dc_CableCheckReq(DC_CableCheckReqType(header: Self.h()))), evse: evse)
        #expect(T.ended(a) == .failed(.failed))
        #expect(s.state == .ended)
    }

    @Test func rationalNumbersKeepPrecisionAndRange() {
        // Found by SessionFuzzTests: the peer picks the exponent, -128 included (once a trap).
        #expect(RationalNumberType(exponent: -128, value: 1).doubleValue > 0)
        #expect(RationalNumberType(exponent: 127, value: -32_768).doubleValue.isFinite)
        #expect(RationalNumberType(.nan) == RationalNumberType(0))
        #expect(RationalNumberType(.infinity) == RationalNumberType(0))
        #expect(RationalNumberType(402.3) == RationalNumberType(exponent: -1, value: 4023))
        #expect(RationalNumberType(150_000) == RationalNumberType(exponent: 1, value: 15_000))
        #expect(RationalNumberType(-120) == RationalNumberType(exponent: -2, value: -12_000))
        #expect(abs(RationalNumberType(12.345).doubleValue - 12.345) < 0.001)
    }
}
