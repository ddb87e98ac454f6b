import ISO20Common

/// What the EVCC is and wants.
public struct EVCCConfiguration: Sendable {
    public var evccID: String
    /// Offered in supportedAppProtocol, most preferred first; by default the message set of
    /// `preferredService` (-20:DC for DC and DC_BPT, -20:AC for AC and AC_BPT).
    public var protocols: [V2GProtocol]
    /// The energy service asked for (e.g. DC 2 or DC_BPT 6); `policy.fallbackServices` if the SECC does not offer it.
    public var preferredService: UInt16
    public var controlMode: ControlMode
    /// Seconds from now until the EV must leave.
    public var departureTime: UInt32
    /// Resume this paused session (SessionSetupReq with its SessionID) instead of starting anew.
    public var resume: PausedSession?
    /// The vehicle's choices the standard leaves open.
    public var policy: EVCCPolicy
    /// The contract for Plug & Charge; nil: the EV authorizes with EIM (or installs one).
    public var contract: EVCCContract?
    /// What the EV installs contracts with (CertificateInstallation); nil: it does not.
    public var provisioning: EVCCProvisioning?
    /// The value-added services the EV selects when offered (Internet 65, ParkingStatus 66), in
    /// order; none by default.
    public var valueAddedServices: [UInt16] = []

    public init(evccID: String, protocols: [V2GProtocol]? = nil, preferredService: UInt16 = EnergyService.dcServiceID,
                controlMode: ControlMode = .dynamic, departureTime: UInt32 = 7200, resume: PausedSession? = nil,
                policy: EVCCPolicy = EVCCPolicy(), contract: EVCCContract? = nil, provisioning: EVCCProvisioning? = nil) {
        self.evccID = evccID; self.preferredService = preferredService; self.contract = contract; self.provisioning = provisioning
        self.protocols = protocols ?? [EVCCEnergyTransfers.appProtocol(for: preferredService)]
        self.controlMode = controlMode; self.departureTime = departureTime; self.resume = resume
        self.policy = policy
    }
}

/// A contract the EV holds for Plug & Charge: the certificate chain it presents (the runtime
/// keeps the private key and signs, `EVCCAction.sign`) and the eMAID it names.
public struct EVCCContract: Sendable, Hashable {
    /// The contract certificate, then its Sub-CAs (DER).
    public var certificateChain: [[UInt8]]
    public var emaid: String

    public init(certificateChain: [[UInt8]], emaid: String) { self.certificateChain = certificateChain; self.emaid = emaid }

    /// The provider ID of the eMAID (country and provider, the first five characters without
    /// separators), matched against the SECC's SupportedProviders.
    public var providerID: String { ProviderID.of(emaid: emaid) }
}

/// The vehicle's policy: the choices ISO 15118-20 leaves to the EV, each named, none inline.
public struct EVCCPolicy: Sendable, Hashable {
    /// Services taken, in order, when the SECC does not offer `preferredService`; none by
    /// default: an EV that wants DC_BPT does not charge on plain DC unless it says so. A fallback
    /// taken is reported (`EVCCAction.note`).
    public var fallbackServices: [UInt16]
    /// Pre-charge is done when the EVSE's output is within this many volts of the battery.
    public var preChargeVoltageTolerance: Double
    /// EVMaximumEnergyRequest as a multiple of EVTargetEnergyRequest (Dynamic control).
    public var maximumEnergyRequestFactor: Double
    /// MaximumSupportingPoints asked for in ScheduleExchangeReq (12…1024).
    public var maximumSupportingPoints: UInt16
    /// The pause before the next charge loop request: within V2G_EVCC_Sequence_Performance_Time
    /// (0.25 s), to which a longer one is cut.
    public var chargeLoopInterval: Duration {
        didSet { chargeLoopInterval = min(chargeLoopInterval, V2GTiming.evccSequencePerformanceTimeChargeLoop) }
    }
    /// The pause before repeating a request the SECC answered with Ongoing.
    public var ongoingInterval: Duration
    /// After Plug & Charge is refused with a WARNING, authorize with EIM if the SECC offers it
    /// (one of the ways [V2G20-1583] allows); otherwise the EV stops the session.
    public var eimAfterRefusedContract = true
    /// Answer the charger's Pause notification with standby instead of pausing the session
    /// (one of the two answers [V2G20-1850] allows): the session and its connection stay, and
    /// the EV waits for ExitStandby. A charger that refuses standby gets the pause.
    public var standbyInsteadOfPause = false
    /// Use the side streams (V2GTP 0x8101, 0x8102, 0x8104) where the standard has them: a
    /// schedule renegotiation and MeteringConfirmation beside the charge loop instead of
    /// interrupting it, parking status during the loop. Off by default: no other open stack
    /// implements side streams yet, and the main stream works with every charger.
    public var sideStreams = false
    /// When the EV installs a contract where the SECC offers CertificateInstallation.
    public var contractInstallation: ContractInstallationPolicy = .whenMissing

    public enum ContractInstallationPolicy: Sendable, Hashable {
        case never
        /// Only without a contract (the usual case: a new car, an expired contract).
        case whenMissing
        /// Every session that offers it (test benches, `v2g simulate --install-certificate`).
        case always
    }

    public init(fallbackServices: [UInt16] = [], preChargeVoltageTolerance: Double = 20,
                maximumEnergyRequestFactor: Double = 1.2, maximumSupportingPoints: UInt16 = 1024,
                chargeLoopInterval: Duration = .milliseconds(50), ongoingInterval: Duration = .milliseconds(50)) {
        self.fallbackServices = fallbackServices; self.preChargeVoltageTolerance = preChargeVoltageTolerance
        self.maximumEnergyRequestFactor = maximumEnergyRequestFactor; self.maximumSupportingPoints = maximumSupportingPoints
        self.chargeLoopInterval = min(chargeLoopInterval, V2GTiming.evccSequencePerformanceTimeChargeLoop)
        self.ongoingInterval = ongoingInterval
    }
}
