/// The control pilot state of IEC 61851-1, the basic signalling under ISO 15118: the EV moves
/// between B (connected, not ready for power) and C (ready for power; D with ventilation); the
/// charger reads it and switches its contactor only in C or D. A: no EV; E, F: error.
public enum ControlPilotState: String, Sendable, Hashable, CaseIterable {
    case a = "A", b = "B", c = "C", d = "D", e = "E", f = "F"

    /// The EV asks for power: the contactor may close.
    public var readyForPower: Bool { self == .c || self == .d }
}
