import ISO20Common
import ISO20DC

/// The DC energy services (DC and DC_BPT) on the EVCC side: DC_ChargeParameterDiscovery,
/// DC_CableCheck (repeated while Ongoing), DC_PreCharge (until the output meets the battery),
/// DC_ChargeLoop and DC_WeldingDetection.
public struct EVCCDCEnergyTransfer: EVCCEnergyTransfer {
    public static let serviceIDs: Set<UInt16> = [EnergyService.dcServiceID, EnergyService.dcBPTServiceID]
    public static let appProtocol = V2GProtocol.iso20DC
    public static let chargeLoopRequest = MessageKind.dc(.dc_ChargeLoopReq)

    public let isBidirectional: Bool
    public var dischargeAllowed = true
    /// What the charger announced in DC_ChargeParameterDiscoveryRes: the EV's targets stay within it.
    public internal(set) var announced: AnnouncedLimits?
    /// What the EV is and wants: its control mode, departure time and policy.
    let configuration: EVCCConfiguration

    public init(selected: SelectedServiceType, configuration: EVCCConfiguration) {
        isBidirectional = selected.serviceID == EnergyService.dcBPTServiceID
        self.configuration = configuration
    }

    public func afterScheduleExchange(_ ev: EVInputs, _ header: MessageHeaderType) -> EVCCStep {
        .send(.dc(.dc_CableCheckReq(DC_CableCheckReqType(header: header))))
    }

    public func afterPowerOff(_ ev: EVInputs, _ header: MessageHeaderType) -> EVCCStep {
        .send(.dc(.dc_WeldingDetectionReq(DC_WeldingDetectionReqType(header: header, evProcessing: .finished))))
    }

    public func plannedPower(_ ev: EVInputs) -> Double {
        // An EV without a target plans its maximum; the plan is then held to what is allowed.
        let planned = ev.dc.targetVoltage * ev.dc.targetCurrent
        let power = planned == 0 ? ev.dc.limits.maximumChargePower : planned
        let floor = dischargeAllowed ? -Double.infinity : 0
        guard let announced else { return max(floor, power) }
        return max(floor, -announced.maximumDischargePower, min(power, announced.maximumChargePower))
    }

    /// The EV's target voltage and current, within what the charger announced, and not below zero
    /// where the schedule grants no discharge.
    func target(_ ev: EVInputs) -> (voltage: Double, current: Double) {
        let floor = dischargeAllowed ? -Double.infinity : 0
        guard let announced else { return (ev.dc.targetVoltage, max(floor, ev.dc.targetCurrent)) }
        return (min(ev.dc.targetVoltage, announced.maximumVoltage),
                max(floor, -announced.maximumDischargeCurrent, min(ev.dc.targetCurrent, announced.maximumChargeCurrent)))
    }

    public func switchesToStateC(_ request: V2GRequest) -> PilotSwitch? {
        if case .dc(.dc_CableCheckReq) = request { return .beforeSending }
        return nil
    }

    public func phaseLimit(_ request: MessageKind) -> Duration? {
        switch request {
        case .dc(.dc_CableCheckReq): return V2GTiming.evccCableCheckTimeout
        case .dc(.dc_PreChargeReq): return V2GTiming.evccPreChargeTimeout
        default: return nil
        }
    }

    public mutating func handle(_ response: V2GResponse, _ ev: EVInputs, _ header: MessageHeaderType) -> EVCCStep {
        switch response {
        case .dc(.dc_ChargeParameterDiscoveryRes(let m)):
            announced = AnnouncedLimits(m.dc_CPDResEnergyTransferMode)
            return .scheduleExchange
        case .dc(.dc_CableCheckRes(let m)):
            return m.evseProcessing == .finished ? preCharge(ev, header) : afterScheduleExchange(ev, header)
        case .dc(.dc_PreChargeRes(let m)):
            // Pre-charge ends when the EVSE's output is close enough to the battery.
            let gap = abs(m.evsePresentVoltage.doubleValue - ev.dc.presentVoltage)
            return gap > configuration.policy.preChargeVoltageTolerance ? preCharge(ev, header) : .powerDeliveryStart
        case .dc(.dc_ChargeLoopRes(let m)):
            let present = DCEVCommand.evsePresent(voltage: m.evsePresentVoltage.doubleValue, current: m.evsePresentCurrent.doubleValue)
            return .chargeLoopAnswered(m.evseStatus, meterInfo: m.meterInfo, commands: [.dc(present)])
        default:
            // DC_WeldingDetectionRes (the session matched it to our request).
            return .sessionStop
        }
    }

    func preCharge(_ ev: EVInputs, _ header: MessageHeaderType) -> EVCCStep {
        .send(.dc(.dc_PreChargeReq(DC_PreChargeReqType(header: header, evProcessing: .ongoing,
                                                        evPresentVoltage: RationalNumberType(ev.dc.presentVoltage),
                                                        evTargetVoltage: RationalNumberType(ev.dc.presentVoltage)))))
    }
}

/// The charger's limits from DC_ChargeParameterDiscoveryRes, in volts, amperes and watts; no
/// discharge for plain DC.
public struct AnnouncedLimits: Sendable, Hashable {
    public var maximumChargeCurrent: Double
    public var maximumDischargeCurrent: Double
    public var maximumVoltage: Double
    public var maximumChargePower: Double
    public var maximumDischargePower: Double

    init(_ mode: DC_ChargeParameterDiscoveryResType.DC_CPDResEnergyTransferMode) {
        switch mode {
        case .dc_CPDResEnergyTransferMode(let l):
            maximumChargeCurrent = l.evseMaximumChargeCurrent.doubleValue
            maximumVoltage = l.evseMaximumVoltage.doubleValue
            maximumChargePower = l.evseMaximumChargePower.doubleValue
            maximumDischargeCurrent = 0
            maximumDischargePower = 0
        case .bpt_DC_CPDResEnergyTransferMode(let l):
            maximumChargeCurrent = l.evseMaximumChargeCurrent.doubleValue
            maximumVoltage = l.evseMaximumVoltage.doubleValue
            maximumChargePower = l.evseMaximumChargePower.doubleValue
            maximumDischargeCurrent = l.evseMaximumDischargeCurrent.doubleValue
            maximumDischargePower = l.evseMaximumDischargePower.doubleValue
        }
    }
}
