import ISO20AC
import ISO20Common

// The fields every AC charge loop control mode carries, read the same way whatever the form
// (Scheduled, Dynamic, and their BPT forms), as totals over the phases (`ACPhasePower`).

extension AC_ChargeLoopReqType.CLReqControlMode {
    /// EVPresentActivePower: the power the EV's on-board charger draws (nil: the abstract form).
    public var evPresentActivePower: ACPhasePower? {
        switch self {
        case .scheduled_AC_CLReqControlMode(let c): ACPhasePower(c.evPresentActivePower, c.evPresentActivePower_L2, c.evPresentActivePower_L3)
        case .bpt_Scheduled_AC_CLReqControlMode(let c): ACPhasePower(c.evPresentActivePower, c.evPresentActivePower_L2, c.evPresentActivePower_L3)
        case .dynamic_AC_CLReqControlMode(let c): ACPhasePower(c.evPresentActivePower, c.evPresentActivePower_L2, c.evPresentActivePower_L3)
        case .bpt_Dynamic_AC_CLReqControlMode(let c): ACPhasePower(c.evPresentActivePower, c.evPresentActivePower_L2, c.evPresentActivePower_L3)
        case .clReqControlMode: nil
        }
    }
}

extension AC_ChargeLoopResType.CLResControlMode {
    /// EVSETargetActivePower, watts over all phases: the setpoint in Dynamic control, a cap in
    /// Scheduled (nil: none sent).
    public var evseTargetActivePower: Double? {
        switch self {
        case .scheduled_AC_CLResControlMode(let c):
            c.evseTargetActivePower.map { ACPhasePower($0, c.evseTargetActivePower_L2, c.evseTargetActivePower_L3).total }
        case .bpt_Scheduled_AC_CLResControlMode(let c):
            c.evseTargetActivePower.map { ACPhasePower($0, c.evseTargetActivePower_L2, c.evseTargetActivePower_L3).total }
        case .dynamic_AC_CLResControlMode(let c):
            ACPhasePower(c.evseTargetActivePower, c.evseTargetActivePower_L2, c.evseTargetActivePower_L3).total
        case .bpt_Dynamic_AC_CLResControlMode(let c):
            ACPhasePower(c.evseTargetActivePower, c.evseTargetActivePower_L2, c.evseTargetActivePower_L3).total
        case .clResControlMode: nil
        }
    }
}
