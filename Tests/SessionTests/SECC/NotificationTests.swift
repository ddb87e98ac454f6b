import AppProtocol
import EXI
import ISO20Common
import ISO20DC
import Testing
import TestSupport
import V2GSession
import V2GSimulation
import V2GTP

/// EVSENotification and NotificationMaxDelay on the SECC side.
@Suite(.offPool) struct NotificationTests {
    typealias T = Fixtures

    /// NotificationMaxDelay from the charger's side: an EV that keeps charging past the delay
    /// after Terminate is stopped by the SECC (FAILED, session over, power off); one that stops in
    /// time ends normally.
    @Test func evIgnoringTheNotificationIsStoppedAfterTheDelay() throws {
        let loop = V2GRequest.dc(.dc_ChargeLoopReq(DC_ChargeLoopReqType(
            header: T.h(), meterInfoRequested: false, evPresentVoltage: T.r(400),
            clReqControlMode: .scheduled_DC_CLReqControlMode(Scheduled_DC_CLReqControlModeType(evTargetCurrent: T.r(100), evTargetVoltage: T.r(400))))))
        let start = V2GRequest.common(.powerDeliveryReq(PowerDeliveryReqType(header: T.h(), evProcessing: .finished, chargeProgress: .start)))
        var evse = T.evse
        evse.notification = .terminate
        evse.notificationMaxDelay = 2

        var (s, _) = try T.preCharged()
        _ = s.receive(start, evse: T.evse)
        for t: UInt64 in [100, 101, 102] {
            evse.timestamp = t
            let a = s.receive(loop, evse: evse)
            guard case .dc(.dc_ChargeLoopRes(let res))? = try T.response(a) else { Issue.record("no ChargeLoopRes"); return }
            #expect(res.responseCode == .ok)
            #expect(res.evseStatus == EVSEStatusType(notificationMaxDelay: 2, evseNotification: .terminate))
        }
        evse.timestamp = 103
        let late = s.receive(loop, evse: evse)
        #expect(T.ended(late) == .failed(.failed))
        #expect(s.state == .ended)

        var (s2, _) = try T.preCharged()
        _ = s2.receive(start, evse: T.evse)
        evse.timestamp = 100
        _ = s2.receive(loop, evse: evse)
        evse.timestamp = 105
        let stop = s2.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: T.h(), evProcessing: .finished, chargeProgress: .stop))), evse: evse)
        #expect(T.responseCode(try T.response(stop)) == .ok, "stopping is always allowed")
        #expect(stop.contains(.evse(.powerDelivery(on: false))))
    }
}
