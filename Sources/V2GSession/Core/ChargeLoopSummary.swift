import ISO20AC
import ISO20Common
import ISO20DC

extension V2GMessage {
    /// What a live log shows beside a charge loop message: the targets and present values, in
    /// kW (AC) or V and A (DC), and the charger's EVSENotification when it sends one; nil for
    /// other messages.
    public var chargeLoopSummary: String? {
        func kW(_ w: Double) -> String { String(Double((w / 100).rounded()) / 10) + " kW" }
        func v(_ r: RationalNumberType) -> String { String(Double((r.doubleValue * 10).rounded()) / 10) }
        func notified(_ s: EVSEStatusType?) -> String { s.map { ", EVSENotification \($0.evseNotification.rawValue)" } ?? "" }
        switch self {
        case .ac(.ac_ChargeLoopReq(let m)):
            return m.clReqControlMode.evPresentActivePower.map { "EV present \(kW($0.total))" }
        case .ac(.ac_ChargeLoopRes(let m)):
            return "EVSE target \(m.clResControlMode.evseTargetActivePower.map(kW) ?? "none (schedule)")" + notified(m.evseStatus)
        case .dc(.dc_ChargeLoopReq(let m)):
            switch m.clReqControlMode {
            case .scheduled_DC_CLReqControlMode(let c): return "EV target \(v(c.evTargetVoltage)) V \(v(c.evTargetCurrent)) A"
            case .bpt_Scheduled_DC_CLReqControlMode(let c): return "EV target \(v(c.evTargetVoltage)) V \(v(c.evTargetCurrent)) A"
            default: return "EV present \(v(m.evPresentVoltage)) V"
            }
        case .dc(.dc_ChargeLoopRes(let m)):
            return "EVSE present \(v(m.evsePresentVoltage)) V \(v(m.evsePresentCurrent)) A" + notified(m.evseStatus)
        default:
            return nil
        }
    }
}
