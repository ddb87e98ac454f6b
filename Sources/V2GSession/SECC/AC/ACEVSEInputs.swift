/// What the AC charger reports (AC and AC_BPT): its limits, its meter's present power, and the
/// power the grid lets it deliver now.
public struct ACEVSEInputs: Sendable, Hashable {
    public var limits: ACLimits
    /// The power flowing, as the charger's meter measures it per phase (negative: discharge).
    public var presentActivePower: ACPhasePower
    /// A lower limit than `limits` allows, watts over all phases, that the grid operator (or the
    /// site's load management) imposes now; the charge loop passes it to the EV at once.
    public var gridPowerLimit: Double?
    /// In the Dynamic control modes the charger decides the power: this setpoint, watts over all
    /// phases (negative: discharge, AC_BPT); nil charges as fast as both sides allow.
    public var dynamicPowerSetpoint: Double?

    public init(limits: ACLimits = ACLimits(), presentActivePower: ACPhasePower = ACPhasePower(l1: 0),
                gridPowerLimit: Double? = nil, dynamicPowerSetpoint: Double? = nil) {
        self.limits = limits; self.presentActivePower = presentActivePower
        self.gridPowerLimit = gridPowerLimit; self.dynamicPowerSetpoint = dynamicPowerSetpoint
    }
}

/// What the AC charger's hardware is told in the charge loop.
public enum ACCommand: Sendable, Hashable {
    /// The charge loop's exchange: the total active power the charger asked the EV for (nil:
    /// the EV follows its schedule) and the power the EV says it draws (negative: feeds back).
    case chargeLoop(evseTargetActivePower: Double?, evPresentActivePower: Double)
}
