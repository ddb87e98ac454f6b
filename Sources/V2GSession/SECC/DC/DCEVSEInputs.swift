/// What the DC power module and the isolation monitor report (DC and DC_BPT).
public struct DCEVSEInputs: Sendable, Hashable {
    public var limits: DCLimits
    public var presentVoltage: Double
    /// Positive when charging the EV, negative when discharging it.
    public var presentCurrent: Double
    public var isolation: IsolationState
    /// In the Dynamic control modes the EVSE decides the power: this setpoint in watts (negative
    /// discharges the EV, DC_BPT); nil charges as fast as both sides' limits allow.
    public var dynamicPowerSetpoint: Double?

    public init(limits: DCLimits = DCLimits(), presentVoltage: Double = 0, presentCurrent: Double = 0,
                isolation: IsolationState = .valid, dynamicPowerSetpoint: Double? = nil) {
        self.limits = limits; self.presentVoltage = presentVoltage; self.presentCurrent = presentCurrent
        self.isolation = isolation; self.dynamicPowerSetpoint = dynamicPowerSetpoint
    }
}

/// What the DC power module is told to do.
public enum DCCommand: Sendable, Hashable {
    /// The EV asked for the cable check: start the isolation test of the DC output.
    case startCableCheck
    /// Pre-charge: bring the output to `voltage` (volts) with at most `current` (amperes).
    case preCharge(voltage: Double, current: Double)
    /// The charge loop's target from the EV: voltage and current (negative current discharges).
    case target(voltage: Double, current: Double)
}
