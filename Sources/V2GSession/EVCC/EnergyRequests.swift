/// The EV's energy requests as -20 states them (ScheduleExchangeReq and the Dynamic charge loops,
/// DC and AC alike), watt-hours from the battery's present energy (positive: into the EV,
/// [V2G20-1034], [V2G20-1035]):
/// - target: to the SOC the driver wants by departure;
/// - maximum: the most it would take (to full);
/// - minimum: what it needs at least (to its minimum SOC) — the real need. Zero or less means no
///   need: charging can wait; in a bidirectional service a negative value is sent as it is, the
///   energy the charger may take before the minimum SOC is reached;
/// - V2X (bidirectional services): the window the EV prefers to cycle in for the grid, both ends
///   together ([V2G20-2124], [V2G20-2681]). Stated, a charger knows it may discharge.
/// The order Min ≤ MinV2X ≤ MaxV2X ≤ Max holds ([V2G20-2125], [V2G20-2682]).
struct EnergyRequests {
    var target: Double
    var maximum: Double
    var minimum: Double
    var minimumV2X: Double?
    var maximumV2X: Double?

    init(_ ev: EVInputs, policy: EVCCPolicy, bidirectional: Bool) {
        target = max(0, ev.energyRequest)
        maximum = max(target, ev.maximumEnergyRequest ?? target * policy.maximumEnergyRequestFactor)
        minimum = min(target, bidirectional ? ev.minimumEnergyRequest : max(0, ev.minimumEnergyRequest))
        guard bidirectional, let v2x = ev.v2xEnergyRequest else { return }
        let low = min(max(v2x.minimum, minimum), maximum)
        minimumV2X = low
        maximumV2X = min(max(v2x.maximum, low), maximum)
    }
}
