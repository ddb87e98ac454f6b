/// The EV's side of the control pilot: B while the session sets up (before the first
/// PowerDeliveryReq(Start), [V2G20-1617]); C when it is ready for power — the energy service says
/// when (`EVCCEnergyTransfer.switchesToStateC`: DC before DC_CableCheckReq, [V2G20-912]; AC within
/// 250 ms after PowerDeliveryReq(Start), [V2G20-847]); unchanged in between ([V2G20-849],
/// [V2G20-914]); back to B after PowerDelivery(Stop) is answered ([V2G20-848], [V2G20-913]) or
/// when the session ends with the pilot still in C.
extension EVCCSession {
    mutating func switchControlPilot(_ target: ControlPilotState) -> [EVCCAction] {
        guard controlPilot != target else { return [] }
        controlPilot = target
        return [.ev(.controlPilot(target))]
    }
}
