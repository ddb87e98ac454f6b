/// What the EV's battery management reports when the EVCC builds a request; the runtime reads it
/// from `EVController`.
public struct EVInputs: Sendable, Hashable {
    public var timestamp: UInt64
    /// State of charge in percent.
    public var soc: Int8
    /// Energy still wanted (Wh) to reach the target SOC: EVTargetEnergyRequest.
    public var energyRequest: Double
    /// The most the EV would take (Wh, to full): EVMaximumEnergyRequest; nil: `energyRequest`
    /// times `EVCCPolicy.maximumEnergyRequestFactor`.
    public var maximumEnergyRequest: Double?
    /// What the EV needs at least (Wh, to its minimum SOC; negative above it): EVMinimumEnergyRequest
    /// (sent as zero or more for a charge-only service).
    public var minimumEnergyRequest: Double
    /// Bidirectional services: the energy (Wh) to the lowest and to the highest SOC the EV lends
    /// to the grid (EVMinimumV2XEnergyRequest, negative when the charger may take energy, and
    /// EVMaximumV2XEnergyRequest); nil: the EV offers no V2X window.
    public var v2xEnergyRequest: V2XEnergyRequest?
    /// The EV wants to stop charging (target reached, user stop).
    public var chargingComplete: Bool
    /// The driver (or the EV's energy manager) wants to pause: stop power, SessionStop(Pause).
    public var pauseRequested: Bool
    /// The EV's energy manager wants no energy for now but the session kept (a cheaper tariff
    /// later, a pre-conditioning window): PowerDelivery(Standby); back to false, the EV wakes up.
    public var standbyRequested = false
    /// How the vehicle parks (ParkingStatus service: VehicleCheckIn).
    public var parking = VehicleParkingInputs()
    /// Monotonic time since the session started; the runtime sets it (tests choose it), so the
    /// Ongoing, CableCheck and PreCharge timeouts need no clock.
    public var elapsed: Duration
    /// The DC side of the EV: its limits, battery voltage and charge target.
    public var dc: DCEVInputs
    /// The AC side of the EV: its on-board charger.
    public var ac: ACEVInputs

    public init(timestamp: UInt64 = 0, soc: Int8 = 40, energyRequest: Double = 40_000, maximumEnergyRequest: Double? = nil,
                minimumEnergyRequest: Double = 0, v2xEnergyRequest: V2XEnergyRequest? = nil,
                chargingComplete: Bool = false, pauseRequested: Bool = false, elapsed: Duration = .zero,
                dc: DCEVInputs = DCEVInputs(), ac: ACEVInputs = ACEVInputs()) {
        self.timestamp = timestamp; self.soc = soc; self.energyRequest = energyRequest
        self.maximumEnergyRequest = maximumEnergyRequest; self.minimumEnergyRequest = minimumEnergyRequest
        self.chargingComplete = chargingComplete; self.pauseRequested = pauseRequested; self.elapsed = elapsed
        self.dc = dc; self.ac = ac
        self.v2xEnergyRequest = v2xEnergyRequest
    }
}

extension EVInputs {
    /// What the EV asks for in standby: no energy in either direction ([V2G20-2116]).
    public var atZeroPower: EVInputs {
        var zero = self
        zero.dc.targetCurrent = 0
        zero.ac.targetPower = 0
        return zero
    }
}

/// The energy window an EV lends to the grid (bidirectional services), watt-hours from now: to
/// its lowest V2X SOC (negative: the charger may take that much) and to its highest.
public struct V2XEnergyRequest: Sendable, Hashable {
    public var minimum: Double
    public var maximum: Double
    public init(minimum: Double, maximum: Double) { self.minimum = minimum; self.maximum = maximum }
}
