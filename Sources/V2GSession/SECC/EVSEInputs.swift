import ISO20Common

/// What the charger's controller reports at the moment a request is handled; the runtime reads it
/// from `EVSEController` and passes it in, so the state machine stays pure.
public struct EVSEInputs: Sendable, Hashable {
    /// EIM: has the customer been authorized (RFID, app, free charging)?
    public var authorized: Bool
    /// The current time as the header's TimeStamp (seconds since the Unix epoch).
    public var timestamp: UInt64
    /// Energy delivered so far and the meter's ID, for MeterInfo ([V2G20-1081]).
    public var meterID: String
    public var meterReadingWh: UInt64
    /// A notification to pass to the EV (EVSEStatus), with its NotificationMaxDelay in seconds.
    public var notification: EvseNotificationType?
    public var notificationMaxDelay: UInt16
    /// The control pilot as the charger reads it: the contactor closes only in C or D.
    public var controlPilot: ControlPilotState
    /// The DC power module and isolation monitor (DC and DC_BPT).
    public var dc: DCEVSEInputs
    /// The AC supply and meter (AC and AC_BPT).
    public var ac: ACEVSEInputs
    /// The car park's guidance for VehicleCheckIn/VehicleCheckOut (ParkingStatus service).
    public var parking = ParkingGuidance()

    public init(authorized: Bool = true, timestamp: UInt64 = 0, meterID: String = "METER-1", meterReadingWh: UInt64 = 0,
                notification: EvseNotificationType? = nil, notificationMaxDelay: UInt16 = 0, controlPilot: ControlPilotState = .c,
                dc: DCEVSEInputs = DCEVSEInputs(), ac: ACEVSEInputs = ACEVSEInputs()) {
        self.authorized = authorized; self.timestamp = timestamp
        self.meterID = meterID; self.meterReadingWh = meterReadingWh
        self.notification = notification; self.notificationMaxDelay = notificationMaxDelay
        self.controlPilot = controlPilot
        self.dc = dc; self.ac = ac
    }

    /// The EVSEStatus of responses that carry one: the pending notification, if any.
    public var evseStatus: EVSEStatusType? {
        notification.map { EVSEStatusType(notificationMaxDelay: notificationMaxDelay, evseNotification: $0) }
    }
}
