import EXI
import ISO20Common

/// What survives SessionStop(Pause) so that the EV can resume: a new connection, supportedAppProtocol,
/// SessionSetupReq with the old SessionID; the SECC answers OK_OldSessionJoined and the next request
/// is the ChargeParameterDiscoveryReq ([V2G20-1032], [V2G20-2098]). Both sides keep one.
///
/// The SECC must make sure the resume comes from the EVCC that paused ([V2G20-2545]); with EIM over
/// this stack that is the EVCCID of the paused SessionSetupReq. A resume that fails the check
/// gets a new session (OK_NewSessionEstablished, [V2G20-2626]).
public struct PausedSession: Sendable, Hashable {
    public var sessionID: ShortBinary
    public var evccID: String
    /// The energy service and parameter set selected before the pause; the resumed session keeps it.
    public var selectedService: SelectedServiceType
    /// The value-added services selected with it; the resumed session keeps them too (a resume
    /// skips ServiceSelection).
    public var valueAddedServices: [SelectedValueAddedService]

    public init(sessionID: ShortBinary, evccID: String, selectedService: SelectedServiceType, valueAddedServices: [SelectedValueAddedService] = []) {
        self.sessionID = sessionID; self.evccID = evccID; self.selectedService = selectedService
        self.valueAddedServices = valueAddedServices
    }
}
