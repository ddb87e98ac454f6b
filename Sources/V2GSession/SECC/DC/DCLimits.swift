/// The DC power module's limits, in volts, amperes and watts. Discharge limits apply to DC_BPT.
public struct DCLimits: Sendable, Hashable {
    public var maximumChargePower: Double
    public var minimumChargePower: Double
    public var maximumChargeCurrent: Double
    public var minimumChargeCurrent: Double
    public var maximumVoltage: Double
    public var minimumVoltage: Double
    public var maximumDischargePower: Double
    public var minimumDischargePower: Double
    public var maximumDischargeCurrent: Double
    public var minimumDischargeCurrent: Double

    public init(maximumChargePower: Double = 150_000, minimumChargePower: Double = 1_000, maximumChargeCurrent: Double = 350,
                minimumChargeCurrent: Double = 1, maximumVoltage: Double = 920, minimumVoltage: Double = 150,
                maximumDischargePower: Double = 50_000, minimumDischargePower: Double = 1_000,
                maximumDischargeCurrent: Double = 120, minimumDischargeCurrent: Double = 1) {
        self.maximumChargePower = maximumChargePower; self.minimumChargePower = minimumChargePower
        self.maximumChargeCurrent = maximumChargeCurrent; self.minimumChargeCurrent = minimumChargeCurrent
        self.maximumVoltage = maximumVoltage; self.minimumVoltage = minimumVoltage
        self.maximumDischargePower = maximumDischargePower; self.minimumDischargePower = minimumDischargePower
        self.maximumDischargeCurrent = maximumDischargeCurrent; self.minimumDischargeCurrent = minimumDischargeCurrent
    }
}

/// The isolation monitor's view of the cable.
public enum IsolationState: Sendable, Hashable {
    case checking
    case valid
    case fault
}
