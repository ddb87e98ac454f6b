import AppProtocol
import EXI
import ISO20Common
import ISO20DC
import Testing
import TestSupport
import V2GSession
import V2GSimulation
import V2GTP

/// The DC energy service on the SECC side, driven by hand-built EVCC requests; every response must
/// encode as a schema-valid EXI document.
@Suite(.offPool) struct SECCDCTests {
    typealias T = Fixtures

    /// A whole Dynamic DC session: CPD, ScheduleExchange, CableCheck (Ongoing, then Finished),
    /// PreCharge, PowerDelivery(Start), charge loop, PowerDelivery(Stop), WeldingDetection, SessionStop.
    @Test func dynamicDCSession() throws {
        var s = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567"), makeSessionID: { T.id })
        T.select(&s, service: 2, parameterSet: 2)
        var evse = T.evse
        var a = s.receive(.dc(.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(
            header: T.h(), dc_CPDReqEnergyTransferMode: .dc_CPDReqEnergyTransferMode(T.cpd)))), evse: evse)
        guard case .dc(.dc_ChargeParameterDiscoveryRes(let cpdRes))? = try T.response(a) else { Issue.record("no CPD res"); return }
        #expect(cpdRes.responseCode == .ok)
        #expect(s.state == .waitingForScheduleExchange)

        a = s.receive(.common(.scheduleExchangeReq(ScheduleExchangeReqType(
            header: T.h(), maximumSupportingPoints: 1024,
            seReqControlMode: .dynamic_SEReqControlMode(Dynamic_SEReqControlModeType(
                departureTime: 7200, evTargetEnergyRequest: T.r(40_000), evMaximumEnergyRequest: T.r(60_000), evMinimumEnergyRequest: T.r(5_000)))))), evse: evse)
        guard case .common(.scheduleExchangeRes(let se))? = try T.response(a), case .dynamic_SEResControlMode = se.seResControlMode else {
            Issue.record("no dynamic ScheduleExchangeRes"); return
        }

        evse.dc.isolation = .checking
        a = s.receive(.dc(.dc_CableCheckReq(DC_CableCheckReqType(header: T.h()))), evse: evse)
        #expect(a.contains(.evse(.dc(.startCableCheck))))
        guard case .dc(.dc_CableCheckRes(let cc1))? = try T.response(a) else { Issue.record("no CableCheckRes"); return }
        #expect(cc1.evseProcessing == .ongoing)
        evse.dc.isolation = .valid
        a = s.receive(.dc(.dc_CableCheckReq(DC_CableCheckReqType(header: T.h()))), evse: evse)
        #expect(!a.contains(.evse(.dc(.startCableCheck))), "the isolation test starts once")
        guard case .dc(.dc_CableCheckRes(let cc2))? = try T.response(a) else { Issue.record("no CableCheckRes"); return }
        #expect(cc2.evseProcessing == .finished)

        evse.dc.presentVoltage = 398
        a = s.receive(.dc(.dc_PreChargeReq(DC_PreChargeReqType(header: T.h(), evProcessing: .ongoing,
                                                                 evPresentVoltage: T.r(400), evTargetVoltage: T.r(400)))), evse: evse)
        #expect(a.contains(.evse(.dc(.preCharge(voltage: 400, current: 2)))))
        a = s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: T.h(), evProcessing: .finished, chargeProgress: .start))), evse: evse)
        #expect(a.contains(.evse(.powerDelivery(on: true))))
        #expect(s.state == .energyTransfer(.dcChargeLoop))

        evse.dc.presentVoltage = 402.3
        evse.dc.presentCurrent = 248.1
        evse.meterReadingWh = 1_234
        let loop = V2GRequest.dc(.dc_ChargeLoopReq(DC_ChargeLoopReqType(
            header: T.h(), displayParameters: DisplayParametersType(presentSOC: 42), meterInfoRequested: true, evPresentVoltage: T.r(402),
            clReqControlMode: .dynamic_DC_CLReqControlMode(Dynamic_DC_CLReqControlModeType(
                evTargetEnergyRequest: T.r(40_000), evMaximumEnergyRequest: T.r(60_000), evMinimumEnergyRequest: T.r(5_000),
                evMaximumChargePower: T.r(150_000), evMinimumChargePower: T.r(1_000), evMaximumChargeCurrent: T.r(350),
                evMaximumVoltage: T.r(900), evMinimumVoltage: T.r(150))))))
        for _ in 0..<3 {
            a = s.receive(loop, evse: evse)
            // After a ChargeLoopRes the SECC waits at most 0.5 s for the next request ([V2G20-1502]).
            #expect(a.contains(.startTimer(.sequence, .milliseconds(500))))
            guard case .dc(.dc_ChargeLoopRes(let res))? = try T.response(a) else { Issue.record("no ChargeLoopRes"); return }
            #expect(res.evsePresentCurrent == T.r(248.1))
            #expect(res.meterInfo?.chargedEnergyReadingWh == 1_234, "MeterInfo when requested ([V2G20-1081])")
            guard case .dynamic_DC_CLResControlMode = res.clResControlMode else { Issue.record("answered out of kind"); return }
        }

        a = s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: T.h(), evProcessing: .finished, chargeProgress: .stop))), evse: evse)
        #expect(a.contains(.evse(.powerDelivery(on: false))))
        a = s.receive(.dc(.dc_WeldingDetectionReq(DC_WeldingDetectionReqType(header: T.h(), evProcessing: .finished))), evse: evse)
        guard case .dc(.dc_WeldingDetectionRes(let wd))? = try T.response(a) else { Issue.record("no WeldingDetectionRes"); return }
        #expect(wd.responseCode == .ok)
        a = s.receive(.common(.sessionStopReq(SessionStopReqType(header: T.h(), chargingSession: .terminate))), evse: evse)
        #expect(T.ended(a) == .terminated)
    }

    /// Scheduled DC_BPT: the schedule has a discharging mirror; the loop answers BPT_Scheduled and
    /// keeps the discharge target within the announced limit.
    @Test func scheduledBPTSessionDischarges() throws {
        var s = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567"), makeSessionID: { T.id })
        T.select(&s, service: 6, parameterSet: 1)
        let evse = T.evse
        let bpt = BPT_DC_CPDReqEnergyTransferModeType(
            evMaximumChargePower: T.r(150_000), evMinimumChargePower: T.r(1_000), evMaximumChargeCurrent: T.r(350),
            evMinimumChargeCurrent: T.r(1), evMaximumVoltage: T.r(900), evMinimumVoltage: T.r(150),
            evMaximumDischargePower: T.r(50_000), evMinimumDischargePower: T.r(1_000), evMaximumDischargeCurrent: T.r(150),
            evMinimumDischargeCurrent: T.r(1))
        var a = s.receive(.dc(.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(
            header: T.h(), dc_CPDReqEnergyTransferMode: .bpt_DC_CPDReqEnergyTransferMode(bpt)))), evse: evse)
        guard case .dc(.dc_ChargeParameterDiscoveryRes(let cpd))? = try T.response(a),
              case .bpt_DC_CPDResEnergyTransferMode = cpd.dc_CPDResEnergyTransferMode else { Issue.record("no BPT CPD res"); return }
        a = s.receive(.common(.scheduleExchangeReq(ScheduleExchangeReqType(
            header: T.h(), maximumSupportingPoints: 24, seReqControlMode: .scheduled_SEReqControlMode(Scheduled_SEReqControlModeType())))), evse: evse)
        guard case .common(.scheduleExchangeRes(let se))? = try T.response(a),
              case .scheduled_SEResControlMode(let sched) = se.seResControlMode else { Issue.record("no scheduled res"); return }
        #expect(sched.scheduleTuple.first?.dischargingSchedule != nil)
        _ = s.receive(.dc(.dc_CableCheckReq(DC_CableCheckReqType(header: T.h()))), evse: evse)
        _ = s.receive(.dc(.dc_PreChargeReq(DC_PreChargeReqType(header: T.h(), evProcessing: .finished, evPresentVoltage: T.r(400), evTargetVoltage: T.r(400)))), evse: evse)
        _ = s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: T.h(), evProcessing: .finished, chargeProgress: .start))), evse: evse)
        a = s.receive(.dc(.dc_ChargeLoopReq(DC_ChargeLoopReqType(
            header: T.h(), meterInfoRequested: false, evPresentVoltage: T.r(400),
            clReqControlMode: .bpt_Scheduled_DC_CLReqControlMode(BPT_Scheduled_DC_CLReqControlModeType(
                evTargetCurrent: T.r(-500), evTargetVoltage: T.r(400)))))), evse: evse)
        // Asked for 500 A of discharge, limited to the announced 120 A.
        #expect(a.contains(.evse(.dc(.target(voltage: 400, current: -120)))))
        guard case .dc(.dc_ChargeLoopRes(let res))? = try T.response(a), case .bpt_Scheduled_DC_CLResControlMode = res.clResControlMode else {
            Issue.record("answered out of kind"); return
        }
    }

    @Test func controlModeOutOfKindIsRefused() throws {
        var s = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567"), makeSessionID: { T.id })
        T.select(&s, service: 2, parameterSet: 2)
        // DC_BPT parameters for a DC service.
        let a = s.receive(.dc(.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(
            header: T.h(), dc_CPDReqEnergyTransferMode: .bpt_DC_CPDReqEnergyTransferMode(BPT_DC_CPDReqEnergyTransferModeType(
                evMaximumChargePower: T.r(1), evMinimumChargePower: T.r(1), evMaximumChargeCurrent: T.r(1), evMinimumChargeCurrent: T.r(1),
                evMaximumVoltage: T.r(1), evMinimumVoltage: T.r(1), evMaximumDischargePower: T.r(1), evMinimumDischargePower: T.r(1),
                evMaximumDischargeCurrent: T.r(1), evMinimumDischargeCurrent: T.r(1)))))), evse: T.evse)
        #expect(T.ended(a) == .failed(.failed_WrongChargeParameter))
        #expect(try T.response(a) != nil)
    }

    @Test func isolationFaultEndsTheSession() throws {
        var s = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567"), makeSessionID: { T.id })
        T.select(&s, service: 2, parameterSet: 2)
        var evse = T.evse
        _ = s.receive(.dc(.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(
            header: T.h(), dc_CPDReqEnergyTransferMode: .dc_CPDReqEnergyTransferMode(T.cpd)))), evse: evse)
        _ = s.receive(.common(.scheduleExchangeReq(ScheduleExchangeReqType(
            header: T.h(), maximumSupportingPoints: 24, seReqControlMode: .scheduled_SEReqControlMode(Scheduled_SEReqControlModeType())))), evse: evse)
        evse.dc.isolation = .fault
        let a = s.receive(.dc(.dc_CableCheckReq(DC_CableCheckReqType(header: T.h()))), evse: evse)
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
