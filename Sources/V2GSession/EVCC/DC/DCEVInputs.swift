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

/// The DC side of the EV: what its battery management reports for DC and DC_BPT.
public struct DCEVInputs: Sendable, Hashable {
    public var limits: EVLimits
    /// Battery voltage.
    public var presentVoltage: Double
    /// Charge loop target: voltage and current (negative current: discharge, DC_BPT).
    public var targetVoltage: Double
    public var targetCurrent: Double

    public init(limits: EVLimits = EVLimits(), presentVoltage: Double = 400, targetVoltage: Double = 400, targetCurrent: Double = 200) {
        self.limits = limits; self.presentVoltage = presentVoltage; self.targetVoltage = targetVoltage; self.targetCurrent = targetCurrent
    }
}

/// What the EV's DC power path learns.
public enum DCEVCommand: Sendable, Hashable {
    /// The charger reports its output (charge loop): volts and amperes, negative when discharging.
    case evsePresent(voltage: Double, current: Double)
}
