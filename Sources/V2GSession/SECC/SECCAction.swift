import ISO20Common
import XMLDSig

/// What the SECC runtime must do after the state machine handled an input.
public enum SECCAction: Sendable, Hashable {
    /// Send this response (on the main stream).
    case send(V2GResponse)
    /// Send this response on a side stream: the answer to a request that came on it.
    case sendOnSideStream(V2GResponse, SideStream)
    /// Start (or restart) a timer; the runtime reports its expiry with `SECCSession.timerExpired`.
    case startTimer(SessionTimer, Duration)
    /// supportedAppProtocol agreed on this protocol.
    case protocolSelected(V2GProtocol)
    /// A command for the charger's hardware (`EVSEController.perform`).
    case evse(EVSECommand)
    /// The session is over; close the connection (after the response, if any, is sent). The
    /// runtime tells the controller, which goes to its safe state.
    case endSession(SessionEnd)
    /// SessionSetup joined this paused session: it can no longer be resumed by anyone else.
    case resumed(PausedSession)
    /// Check a Plug & Charge AuthorizationReq (signature, challenge, contract chain, backend) and
    /// report the result with `SECCSession.contractChecked`; meanwhile the SECC answers Ongoing.
    case checkContract(ContractCheckRequest)
    /// Answer this CertificateInstallationReq (the provisioning chain checked, a contract from the
    /// backend) and report it with `SECCSession.certificateProvided`, which sends the response.
    case provideCertificate(CertificateInstallationReqType)
    /// Verify the EV's signature over SignedMeteringData with the authorized contract certificate
    /// and report it with `SECCSession.meteringChecked`, which answers.
    case checkMetering(MeteringCheckRequest)
    /// The EV confirmed the meter reading with its contract key: billing evidence for the
    /// controller (`EVSEController.meteringConfirmed`).
    case meteringConfirmed(SignedMeteringDataType, SignatureType)
    /// The EV selected these value-added services (empty: none any more, after a renegotiation):
    /// the runtime provides them (e.g. a route to the Internet for the car) until the session ends.
    case valueAddedServicesSelected([SelectedValueAddedService])
    /// Sign these price schedules (one Signature referencing each) and hand it to
    /// `SECCSession.priceSchedulesSigned`, which sends ScheduleExchangeRes.
    case signPriceSchedules([CommonMessagesFragment])
}

/// What the charger's hardware is told to do, by energy service.
public enum EVSECommand: Sendable, Hashable {
    /// Close (`true`) or open (`false`) the contactors: power on or off (`SECCContactor`).
    case powerDelivery(on: Bool)
    /// The EV entered (`true`) or left standby: the session stays, no energy flows meanwhile.
    case standby(Bool)
    /// What the EV reported in VehicleCheckIn/VehicleCheckOut (ParkingStatus service).
    case parking(VehicleParkingReport)
    /// A command of the DC power module.
    case dc(DCCommand)
    /// What the AC charger is told in the charge loop.
    case ac(ACCommand)
}
