import ISO20Common
import XMLDSig

/// What the EVCC runtime must do after the state machine handled an input.
public enum EVCCAction: Sendable, Hashable {
    /// Send this request (on the main stream).
    case send(V2GRequest)
    /// Send this request on a side stream, beside the main stream's sequence.
    case sendOnSideStream(V2GRequest, SideStream)
    /// Start (or restart) a timer; the runtime reports its expiry with `EVCCSession.timerExpired`.
    case startTimer(SessionTimer, Duration)
    case cancelTimer(SessionTimer)
    /// Something for the EV's power path (`EVController.perform`).
    case ev(EVCommand)
    /// A choice the EV made that the standard leaves open (a service fallback): the runtime logs it.
    case note(String)
    /// The session is over; close the connection. The runtime tells the controller.
    case endSession(SessionEnd)
    /// Sign this with the vehicle's key for it and hand the Signature to `EVCCSession.signed`.
    case sign(SigningRequest)
    /// Check this CertificateInstallationRes (CPS signature and chain, contract chain), open the
    /// contract key with the OEM provisioning key, keep both, and report with
    /// `EVCCSession.contractInstalled` (or `contractInstallationFailed`).
    case installContract(CertificateInstallationResType)
    /// The charger accepted these value-added services with the energy service (the controller
    /// may now use them: `EVController.valueAddedServicesSelected`).
    case valueAddedServicesSelected([SelectedValueAddedService])
    /// Check the Signature over these price schedules (signer's chain from its KeyInfo) and tell
    /// the controller (`EVController.priceSchedulesChecked`); the session goes on either way.
    case verifyPriceSchedules([CommonMessagesFragment], SignatureType?)
}

/// What the EV's power path is told, by energy service.
public enum EVCommand: Sendable, Hashable {
    /// Switch the control pilot: C before PowerDeliveryReq(Start), B after PowerDeliveryRes(Stop).
    case controlPilot(ControlPilotState)
    /// The car park's answer to a VehicleCheckIn/VehicleCheckOut (ParkingStatus service).
    case parkingGuidance(ParkingGuidance)
    case dc(DCEVCommand)
    case ac(ACEVCommand)
}
