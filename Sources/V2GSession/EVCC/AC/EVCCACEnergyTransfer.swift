import ISO20AC
import ISO20Common

/// The AC energy services (AC and AC_BPT) on the EVCC side: AC_ChargeParameterDiscovery, then
/// (after ScheduleExchange) PowerDelivery(Start) straight away, AC_ChargeLoop, and after
/// PowerDelivery(Stop) SessionStop: no cable check, pre-charge or welding detection. The EV's
/// on-board charger draws the power, so after each loop answer the module tells it how much
/// (`ACEVCommand.activePower`): its wish, within the charger's announced limits, the schedule,
/// and what the charger allows in that answer.
public struct EVCCACEnergyTransfer: EVCCEnergyTransfer {
    public static let serviceIDs: Set<UInt16> = [EnergyService.acServiceID, EnergyService.acBPTServiceID]
    public static let appProtocol = V2GProtocol.iso20AC
    public static let chargeLoopRequest = MessageKind.ac(.ac_ChargeLoopReq)

    public let isBidirectional: Bool
    public var dischargeAllowed = true
    /// What the charger announced in AC_ChargeParameterDiscoveryRes.
    public internal(set) var announced: ACAnnouncedLimits?
    /// EVSETargetActivePower of the last loop answer, watts over all phases: the setpoint in
    /// Dynamic control, a cap in Scheduled (nil: none sent).
    public internal(set) var evseTarget: Double?
    /// What the EV is and wants: its control mode, departure time and policy.
    let configuration: EVCCConfiguration

    public init(selected: SelectedServiceType, configuration: EVCCConfiguration) {
        isBidirectional = selected.serviceID == EnergyService.acBPTServiceID
        self.configuration = configuration
    }

    /// AC goes from ScheduleExchange straight to PowerDelivery(Start).
    public func afterScheduleExchange(_ ev: EVInputs, _ header: MessageHeaderType) -> EVCCStep { .powerDeliveryStart }

    /// And from PowerDelivery(Stop) straight to SessionStop.
    public func afterPowerOff(_ ev: EVInputs, _ header: MessageHeaderType) -> EVCCStep { .sessionStop }

    public func phaseLimit(_ request: MessageKind) -> Duration? { nil }

    public func switchesToStateC(_ request: V2GRequest) -> PilotSwitch? {
        if case .common(.powerDeliveryReq(let m)) = request, m.chargeProgress == .start { return .afterSending }
        return nil
    }

    /// The EV's wish, within its own limits, what the charger announced, and not below zero where
    /// the schedule grants no discharge.
    public func plannedPower(_ ev: EVInputs) -> Double {
        let l = ev.ac.limits
        let floor = dischargeAllowed && isBidirectional ? -l.maximumDischargePower : 0
        var power = max(floor, min(ev.ac.targetPower, l.maximumChargePower))
        if let announced { power = max(-announced.maximumDischargePower, min(power, announced.maximumChargePower)) }
        return power
    }

    /// The power the on-board charger is to draw now, told to it as soon as the answer arrives
    /// ("as fast as technically feasible", [V2G20-1825]): the next request already reports it.
    /// Dynamic: the charger's setpoint, within the EV's limits (and none before the first).
    /// Scheduled: the plan, capped by the charger's EVSETargetActivePower when it sends one — the
    /// targets are for grid-code and local needs there, a limit the EV follows from this loop on.
    func drawPower(_ ev: EVInputs) -> Double {
        let planned = plannedPower(ev)
        switch configuration.controlMode {
        case .dynamic:
            // A setpoint beyond what the charger announced is held to the announcement, as in DC.
            let l = ev.ac.limits
            var power = max(isBidirectional ? -l.maximumDischargePower : 0, min(evseTarget ?? 0, l.maximumChargePower))
            if let announced { power = max(-announced.maximumDischargePower, min(power, announced.maximumChargePower)) }
            return power
        case .scheduled:
            guard let cap = evseTarget else { return planned }
            return planned >= 0 ? min(planned, max(cap, 0)) : max(planned, min(cap, 0))
        }
    }

    public mutating func handle(_ response: V2GResponse, _ ev: EVInputs, _ header: MessageHeaderType) -> EVCCStep {
        switch response {
        case .ac(.ac_ChargeParameterDiscoveryRes(let m)):
            announced = ACAnnouncedLimits(m.ac_CPDResEnergyTransferMode)
            return .scheduleExchange
        case .ac(.ac_ChargeLoopRes(let m)):
            evseTarget = m.clResControlMode.evseTargetActivePower
            return .chargeLoopAnswered(m.evseStatus, meterInfo: m.meterInfo, commands: [.ac(.activePower(drawPower(ev)))])
        default:
            return .sessionStop
        }
    }
}

/// The charger's limits from AC_ChargeParameterDiscoveryRes, watts over all phases; no discharge
/// for plain AC.
public struct ACAnnouncedLimits: Sendable, Hashable {
    public var maximumChargePower: Double
    public var minimumChargePower: Double
    public var maximumDischargePower: Double
    public var nominalFrequency: Double

    init(_ mode: AC_ChargeParameterDiscoveryResType.AC_CPDResEnergyTransferMode) {
        switch mode {
        case .ac_CPDResEnergyTransferMode(let l):
            maximumChargePower = ACPhasePower(l.evseMaximumChargePower, l.evseMaximumChargePower_L2, l.evseMaximumChargePower_L3).total
            minimumChargePower = ACPhasePower(l.evseMinimumChargePower, l.evseMinimumChargePower_L2, l.evseMinimumChargePower_L3).total
            maximumDischargePower = 0
            nominalFrequency = l.evseNominalFrequency.doubleValue
        case .bpt_AC_CPDResEnergyTransferMode(let l):
            maximumChargePower = ACPhasePower(l.evseMaximumChargePower, l.evseMaximumChargePower_L2, l.evseMaximumChargePower_L3).total
            minimumChargePower = ACPhasePower(l.evseMinimumChargePower, l.evseMinimumChargePower_L2, l.evseMinimumChargePower_L3).total
            maximumDischargePower = ACPhasePower(l.evseMaximumDischargePower, l.evseMaximumDischargePower_L2, l.evseMaximumDischargePower_L3).total
            nominalFrequency = l.evseNominalFrequency.doubleValue
        }
    }
}
