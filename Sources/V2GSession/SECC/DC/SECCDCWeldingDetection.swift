import ISO20Common
import ISO20DC

extension SECCDCEnergyTransfer {
    /// DC_WeldingDetection: the output voltage after the contactors opened, repeated until the EV
    /// is satisfied and sends SessionStop.
    func weldingDetection(_ x: SECCExchange) -> SECCOutcome {
        .respond(.dc(.dc_WeldingDetectionRes(DC_WeldingDetectionResType(
            header: x.header, responseCode: .ok, evsePresentVoltage: RationalNumberType(x.evse.dc.presentVoltage)))))
    }
}
