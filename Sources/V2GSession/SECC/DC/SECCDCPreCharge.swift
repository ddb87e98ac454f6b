import ISO20Common
import ISO20DC

extension SECCDCEnergyTransfer {
    /// DC_PreCharge: the output follows the EV's target voltage, within the announced maximum, at
    /// a small current, until the EV sends PowerDelivery(Start).
    func preCharge(_ m: DC_PreChargeReqType, _ x: SECCExchange) -> SECCOutcome {
        let target = min(m.evTargetVoltage.doubleValue, limits(x.evse).maximumVoltage)
        return .respond(.dc(.dc_PreChargeRes(DC_PreChargeResType(
            header: x.header, responseCode: .ok, evsePresentVoltage: RationalNumberType(x.evse.dc.presentVoltage)))),
            commands: [.dc(.preCharge(voltage: target, current: Self.preChargeCurrentLimit))])
    }
}
