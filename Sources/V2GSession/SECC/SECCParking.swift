import ISO20Common

/// VehicleCheckIn/VehicleCheckOut, the ParkingStatus value-added service (66) on its side stream
/// 0x8104: the EV reports how it parks (check-in) or when it leaves (check-out), the car park
/// answers with its guidance (`EVSEInputs.parking`) and the controller hears what the EV reported
/// (`EVSECommand.parking`). The standard's placement of these messages is not public (the research
/// found no requirement placing them in the main sequence): they are accepted on their side stream,
/// once the EV selected the parking service with the matching IntendedService, and nowhere else.
extension SECCSession {
    mutating func parking(_ request: V2GRequest, _ kind: MessageKind, _ evse: EVSEInputs, on stream: V2GStream) -> [SECCAction] {
        let intended = selectedVAS.first { $0.serviceID == ValueAddedService.parkingStatusServiceID }?.parameterSet.parameter
            .first { $0.name == "IntendedService" }?.choice
        switch request {
        case .common(.vehicleCheckInReq(let m)) where intended == .intValue(ValueAddedService.IntendedParkingService.vehicleCheckIn.rawValue):
            let g = evse.parking
            return [.evse(.parking(.checkIn(m.evCheckInStatus, m.parkingMethod, vehicleFrame: m.vehicleFrame, deviceOffset: m.deviceOffset, vehicleTravel: m.vehicleTravel)))]
                + respond(.common(.vehicleCheckInRes(VehicleCheckInResType(
                    header: header(evse), responseCode: .ok, parkingSpace: g.parkingSpace, deviceLocation: g.deviceLocation, targetDistance: g.targetDistance))), on: stream)
        case .common(.vehicleCheckOutReq(let m)) where intended == .intValue(ValueAddedService.IntendedParkingService.vehicleCheckOut.rawValue):
            // The EV's own Completed closes the check-out; until then the car park's status stands.
            let status: EvseCheckOutStatusType = m.evCheckOutStatus == .completed ? .completed : evse.parking.checkOutStatus
            return [.evse(.parking(.checkOut(m.evCheckOutStatus, checkOutTime: m.checkOutTime)))]
                + respond(.common(.vehicleCheckOutRes(VehicleCheckOutResType(header: header(evse), responseCode: .ok, evseCheckOutStatus: status))), on: stream)
        default:
            return sequenceError(kind, evse, on: stream)
        }
    }
}

/// The car park's guidance for a parking vehicle (VehicleCheckInRes, VehicleCheckOutRes); the
/// units are the standard's (not public), passed through as the car park gives them.
public struct ParkingGuidance: Sendable, Hashable {
    public var parkingSpace: Int16?
    public var deviceLocation: Int16?
    public var targetDistance: Int16?
    /// EVSECheckOutStatus until the EV reports its check-out Completed.
    public var checkOutStatus: EvseCheckOutStatusType

    public init(parkingSpace: Int16? = nil, deviceLocation: Int16? = nil, targetDistance: Int16? = nil, checkOutStatus: EvseCheckOutStatusType = .scheduled) {
        self.parkingSpace = parkingSpace; self.deviceLocation = deviceLocation; self.targetDistance = targetDistance
        self.checkOutStatus = checkOutStatus
    }
}

/// What a vehicle reported about parking.
public enum VehicleParkingReport: Sendable, Hashable, CustomStringConvertible {
    case checkIn(EvCheckInStatusType, ParkingMethodType, vehicleFrame: Int16?, deviceOffset: Int16?, vehicleTravel: Int16?)
    case checkOut(EvCheckOutStatusType, checkOutTime: UInt64)

    public var description: String {
        switch self {
        case .checkIn(let status, let method, _, _, _): return "VehicleCheckIn \(status.rawValue) (\(method.rawValue))"
        case .checkOut(let status, let time): return "VehicleCheckOut \(status.rawValue) at \(time)"
        }
    }
}
