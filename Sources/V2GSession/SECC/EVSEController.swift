import ISO20Common
import XMLDSig
/// The charger's hardware as the SECC sees it: power electronics, isolation monitor, meter,
/// authorization. The runtime calls it on the connection's event loop; it must not block.
public protocol EVSEController: AnyObject, Sendable {
    /// What the charger reports now (`timestamp`: seconds since the Unix epoch, for headers).
    func inputs(timestamp: UInt64) -> EVSEInputs
    /// Carry out a command of the state machine.
    func perform(_ command: EVSECommand)
    /// The session ended, however it ended: go to the safe state (no current, contactors open).
    func sessionEnded(_ end: SessionEnd)
    /// The EV confirmed a meter reading with its contract key (MeteringConfirmation): billing
    /// evidence to keep or forward with the transaction. By default nothing is kept.
    func meteringConfirmed(_ data: SignedMeteringDataType, signature: SignatureType)
}

extension EVSEController {
    public func meteringConfirmed(_ data: SignedMeteringDataType, signature: SignatureType) {}
}
