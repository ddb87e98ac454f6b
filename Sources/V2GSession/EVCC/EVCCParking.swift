import ISO20Common

/// Parking status (VAS 66, VehicleCheckIn/VehicleCheckOut on side stream 0x8104; the SECC's rules
/// are `SECCParking`'s). An EV that selected the service reports during the charge loop what the
/// selected parameter set intends: check-in (CheckIn, then Completed, with how it parks) or
/// check-out (CheckOut at its departure time); the car park's answers go to its controller.
extension EVCCSession {
    /// The reports to send, in order; empty without the parking service.
    func parkingReports(_ ev: EVInputs) -> [V2GRequest] {
        guard let set = selectedVAS.first(where: { $0.serviceID == ValueAddedService.parkingStatusServiceID })?.parameterSet,
              let intended = set.parameter.first(where: { $0.name == "IntendedService" })?.choice else { return [] }
        let parking = ev.parking
        switch intended {
        case .intValue(ValueAddedService.IntendedParkingService.vehicleCheckIn.rawValue):
            return [EvCheckInStatusType.checkIn, .completed].map { status in
                .common(.vehicleCheckInReq(VehicleCheckInReqType(
                    header: header(ev), evCheckInStatus: status, parkingMethod: parking.method,
                    vehicleFrame: parking.vehicleFrame, deviceOffset: parking.deviceOffset, vehicleTravel: parking.vehicleTravel)))
            }
        case .intValue(ValueAddedService.IntendedParkingService.vehicleCheckOut.rawValue):
            return [.common(.vehicleCheckOutReq(VehicleCheckOutReqType(
                header: header(ev), evCheckOutStatus: .checkOut, checkOutTime: ev.timestamp + UInt64(configuration.departureTime))))]
        default:
            return []
        }
    }

    mutating func parkingAnswered(_ response: V2GResponse, _ ev: EVInputs) -> [EVCCAction] {
        switch response {
        case .common(.vehicleCheckInRes(let m)):
            return [.ev(.parkingGuidance(ParkingGuidance(parkingSpace: m.parkingSpace, deviceLocation: m.deviceLocation, targetDistance: m.targetDistance)))]
        case .common(.vehicleCheckOutRes(let m)):
            return [.ev(.parkingGuidance(ParkingGuidance(checkOutStatus: m.evseCheckOutStatus)))]
        default:
            return []
        }
    }
}

/// How the vehicle parks, for VehicleCheckInReq (the standard's units, passed through).
public struct VehicleParkingInputs: Sendable, Hashable {
    public var method: ParkingMethodType
    public var vehicleFrame: Int16?
    public var deviceOffset: Int16?
    public var vehicleTravel: Int16?

    public init(method: ParkingMethodType = .autoParking, vehicleFrame: Int16? = nil, deviceOffset: Int16? = nil, vehicleTravel: Int16? = nil) {
        self.method = method; self.vehicleFrame = vehicleFrame; self.deviceOffset = deviceOffset; self.vehicleTravel = vehicleTravel
    }
}
