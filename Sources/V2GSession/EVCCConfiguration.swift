import ISO20Common

/// The charge control mode the EV asks for (service parameter `ControlMode`).
public enum ControlMode: Int32, Sendable, Hashable {
    case scheduled = 1
    case dynamic = 2
}

/// What the EVCC is and wants.
public struct EVCCConfiguration: Sendable {
    public var evccID: String
    /// Offered in supportedAppProtocol, most preferred first.
    public var protocols: [V2GProtocol]
    /// DC (2) or DC_BPT (6); falls back to DC if the SECC does not offer it.
    public var preferredService: UInt16
    public var controlMode: ControlMode
    /// Seconds from now until the EV must leave.
    public var departureTime: UInt32
    /// Resume this paused session (SessionSetupReq with its SessionID) instead of starting anew.
    public var resume: PausedSession?

    public init(evccID: String, protocols: [V2GProtocol] = [.iso20DC], preferredService: UInt16 = EnergyService.dcServiceID,
                controlMode: ControlMode = .dynamic, departureTime: UInt32 = 7200, resume: PausedSession? = nil) {
        self.evccID = evccID; self.protocols = protocols; self.preferredService = preferredService
        self.controlMode = controlMode; self.departureTime = departureTime; self.resume = resume
    }
}

/// The EV's limits, in volts, amperes, watts and watt-hours.
public struct EVLimits: Sendable, Hashable {
    public var maximumChargePower: Double = 150_000
    public var minimumChargePower: Double = 1_000
    public var maximumChargeCurrent: Double = 350
    public var minimumChargeCurrent: Double = 1
    public var maximumVoltage: Double = 900
    public var minimumVoltage: Double = 150
    public var maximumDischargePower: Double = 50_000
    public var minimumDischargePower: Double = 1_000
    public var maximumDischargeCurrent: Double = 150
    public var minimumDischargeCurrent: Double = 1
    public init() {}
}

/// What the EV's battery management reports when the EVCC builds a request; the runtime reads it
/// from `EVController`.
public struct EVInputs: Sendable, Hashable {
    public var timestamp: UInt64
    public var limits: EVLimits
    /// Battery voltage.
    public var presentVoltage: Double
    /// State of charge in percent.
    public var soc: Int8
    /// Charge loop target: voltage and current (negative current: discharge, DC_BPT).
    public var targetVoltage: Double
    public var targetCurrent: Double
    /// Energy still wanted (Wh) for the Dynamic control mode.
    public var energyRequest: Double
    /// The EV wants to stop charging (target reached, user stop).
    public var chargingComplete: Bool
    /// The driver (or the EV's energy manager) wants to pause: stop power, SessionStop(Pause).
    public var pauseRequested: Bool = false
    /// Monotonic time since the session started; the runtime sets it (tests choose it), so the
    /// Ongoing, CableCheck, PreCharge and CommunicationSetup timeouts need no clock.
    public var elapsed: Duration = .zero

    public init(timestamp: UInt64 = 0, limits: EVLimits = EVLimits(), presentVoltage: Double = 400, soc: Int8 = 40,
                targetVoltage: Double = 400, targetCurrent: Double = 200, energyRequest: Double = 40_000, chargingComplete: Bool = false) {
        self.timestamp = timestamp; self.limits = limits; self.presentVoltage = presentVoltage; self.soc = soc
        self.targetVoltage = targetVoltage; self.targetCurrent = targetCurrent; self.energyRequest = energyRequest
        self.chargingComplete = chargingComplete
    }
}
