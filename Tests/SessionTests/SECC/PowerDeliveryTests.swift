import AppProtocol
import EXI
import ISO20Common
import ISO20DC
import Testing
import TestSupport
import V2GSession
import V2GSimulation
import V2GTP

/// PowerDelivery: Start while the EV is still processing, Stop, ScheduleRenegotiation, what is not
/// applicable.
@Suite(.offPool) struct PowerDeliveryTests {
    typealias T = Fixtures

    /// PowerDelivery(Start) with EVProcessing = Ongoing: answered OK, power stays off, the EV may
    /// repeat it; the Finished one switches power on. A PowerDelivery after a finished Stop is out
    /// of sequence.
    @Test func powerDeliveryWhileTheEVIsStillProcessing() throws {
        var (s, _) = try T.preCharged()
        let ongoing = V2GRequest.common(.powerDeliveryReq(PowerDeliveryReqType(header: T.h(), evProcessing: .ongoing, chargeProgress: .start)))
        for _ in 0..<3 {
            let a = s.receive(ongoing, evse: T.evse)
            #expect(T.responseCode(try T.response(a)) == .ok)
            #expect(!a.contains(.evse(.powerDelivery(on: true))))
            #expect(s.state == .energyTransfer(.dcPreCharge))
        }
        var a = s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: T.h(), evProcessing: .finished, chargeProgress: .start))), evse: T.evse)
        #expect(a.contains(.evse(.powerDelivery(on: true))))
        #expect(s.state == .energyTransfer(.dcChargeLoop))

        a = s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: T.h(), evProcessing: .ongoing, chargeProgress: .stop))), evse: T.evse)
        #expect(a.contains(.evse(.powerDelivery(on: false))))
        #expect(s.state == .energyTransfer(.dcWeldingDetection))
        a = s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: T.h(), evProcessing: .finished, chargeProgress: .stop))), evse: T.evse)
        #expect(T.responseCode(try T.response(a)) == .ok, "the Ongoing Stop may be repeated")
        a = s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: T.h(), evProcessing: .finished, chargeProgress: .stop))), evse: T.evse)
        #expect(T.ended(a) == .failed(.failed_SequenceError))
    }

    /// A Start in the charge loop is refused, as before.
    @Test func startWhileChargingIsNotApplied() throws {
        var (s, _) = try T.preCharged()
        let start = V2GRequest.common(.powerDeliveryReq(PowerDeliveryReqType(header: T.h(), evProcessing: .finished, chargeProgress: .start)))
        _ = s.receive(start, evse: T.evse)
        let a = s.receive(start, evse: T.evse)
        #expect(T.ended(a) == .failed(.failed_PowerDeliveryNotApplied))
    }

    /// After a renegotiated schedule the EV may stop instead of restarting: power goes off.
    @Test func stopAfterScheduleRenegotiation() throws {
        var (s, _) = try T.preCharged()
        func pd(_ p: ChargeProgressType) -> V2GRequest {
            .common(.powerDeliveryReq(PowerDeliveryReqType(header: T.h(), evProcessing: .finished, chargeProgress: p)))
        }
        _ = s.receive(pd(.start), evse: T.evse)
        _ = s.receive(pd(.scheduleRenegotiation), evse: T.evse)
        #expect(s.state == .renegotiatingSchedule)
        _ = s.receive(.common(.scheduleExchangeReq(ScheduleExchangeReqType(
            header: T.h(), maximumSupportingPoints: 24, seReqControlMode: .scheduled_SEReqControlMode(Scheduled_SEReqControlModeType())))), evse: T.evse)
        #expect(s.state == .waitingForPowerDeliveryAfterRenegotiation)
        let a = s.receive(pd(.stop), evse: T.evse)
        #expect(a.contains(.evse(.powerDelivery(on: false))))
        #expect(s.state == .energyTransfer(.dcWeldingDetection))
    }

    /// Out of the charge loop a ScheduleRenegotiation is not applicable.
    @Test func scheduleRenegotiationOutsideTheLoopIsRefused() throws {
        var (s, _) = try T.preCharged()
        let a = s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: T.h(), evProcessing: .finished, chargeProgress: .scheduleRenegotiation))), evse: T.evse)
        #expect(T.ended(a) == .failed(.failed_PowerDeliveryNotApplied))
    }
}
