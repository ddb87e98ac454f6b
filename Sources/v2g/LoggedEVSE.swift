import ISO20Common
import Logging
import XMLDSig
import V2GSession

/// The charger's hardware as `v2g secc` drives it, with what matters for safety logged: the
/// contactor closed or opened (power on or off) and each session's end. A simulator, or real
/// hardware behind `EVSEController`, does the rest.
final class LoggedEVSE: EVSEController {
    let hardware: any EVSEController
    let logger: Logger

    init(_ hardware: any EVSEController, logger: Logger) { self.hardware = hardware; self.logger = logger }

    func inputs(timestamp: UInt64) -> EVSEInputs { hardware.inputs(timestamp: timestamp) }

    func perform(_ command: EVSECommand) {
        if case .powerDelivery(let on) = command { logger.info("EVSE: contactor \(on ? "closed: power on" : "open: power off")") }
        hardware.perform(command)
    }

    func sessionEnded(_ end: SessionEnd) {
        hardware.sessionEnded(end)
        logger.info("EVSE: session ended (\(end.reason)), safe state")
    }

    func meteringConfirmed(_ data: SignedMeteringDataType, signature: SignatureType) { hardware.meteringConfirmed(data, signature: signature) }
}
