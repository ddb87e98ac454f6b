import ISO20Common

/// A value-added service the SECC offers beside the energy service (ServiceDiscoveryRes VASList,
/// ServiceDetailRes), with its parameter sets. The -20 VAS ids (65 Internet, 66 ParkingStatus:
/// Josev's and libiso15118's tables) and parameters: Internet with `Protocol` (finiteString) and
/// `Port` (intValue), parking with `IntendedService` and `ParkingStatusType` (intValues). The
/// parameter names are EVerest libiso15118's (the standard's tables are not public; Josev names
/// none).
public struct ValueAddedService: Sendable, Hashable {
    public var serviceID: UInt16
    public var freeService: Bool
    public var parameterSets: [ParameterSetType]

    public init(serviceID: UInt16, freeService: Bool = true, parameterSets: [ParameterSetType]) {
        self.serviceID = serviceID; self.freeService = freeService; self.parameterSets = parameterSets
    }

    public static let internetServiceID: UInt16 = 65
    public static let parkingStatusServiceID: UInt16 = 66

    /// An Internet access protocol and its port (the values libiso15118 and Josev define).
    public enum InternetAccess: Sendable, Hashable, CaseIterable {
        case ftpData, ftp, http, https

        /// The `Protocol` parameter (a finiteString).
        public var protocolName: String {
            switch self {
            case .ftpData, .ftp: return "ftp"
            case .http: return "http"
            case .https: return "https"
            }
        }

        /// The parameter set's ID (`internet`).
        public var parameterSetID: UInt16 {
            switch self {
            case .ftpData: return 1
            case .ftp: return 2
            case .http: return 3
            case .https: return 4
            }
        }

        /// The `Port` parameter.
        public var port: Int32 {
            switch self {
            case .ftpData: return 20
            case .ftp: return 21
            case .http: return 80
            case .https: return 443
            }
        }

        /// The access a parameter set describes, if it is one of these.
        public init?(_ set: ParameterSetType) {
            let name = set.parameter.first { $0.name == "Protocol" }?.choice
            let port = set.parameter.first { $0.name == "Port" }?.choice
            guard let access = Self.allCases.first(where: { name == .finiteString($0.protocolName) && port == .intValue($0.port) }) else { return nil }
            self = access
        }
    }

    /// Internet access: one parameter set per protocol and port, with the IDs EVerest's
    /// libiso15118 fixes (from ISO 15118-2's table): 1 ftp/20, 2 ftp/21, 3 http/80, 4 https/443.
    public static func internet(_ access: [InternetAccess] = [.http, .https], freeService: Bool = true) -> ValueAddedService {
        ValueAddedService(serviceID: internetServiceID, freeService: freeService, parameterSets: access.map { a in
            ParameterSetType(parameterSetID: a.parameterSetID, parameter: [
                ParameterType(name: "Protocol", choice: .finiteString(a.protocolName)),
                ParameterType(name: "Port", choice: .intValue(a.port))])
        })
    }

    /// What the parking service is for (`IntendedService`).
    public enum IntendedParkingService: Int32, Sendable, Hashable {
        case vehicleCheckIn = 1
        case vehicleCheckOut = 2
    }

    /// How the car park reports the space (`ParkingStatusType`, libiso15118's name).
    public enum ParkingStatusKind: Int32, Sendable, Hashable {
        case autoInternal = 1, autoExternal = 2, manualInternal = 3, manualExternal = 4
    }

    /// Parking status: one parameter set per intended service (check-in, check-out), numbered from 1.
    public static func parkingStatus(_ intended: [IntendedParkingService] = [.vehicleCheckIn, .vehicleCheckOut],
                                     status: ParkingStatusKind = .autoInternal, freeService: Bool = true) -> ValueAddedService {
        ValueAddedService(serviceID: parkingStatusServiceID, freeService: freeService, parameterSets: intended.enumerated().map { i, s in
            ParameterSetType(parameterSetID: UInt16(i + 1), parameter: [
                ParameterType(name: "IntendedService", choice: .intValue(s.rawValue)),
                ParameterType(name: "ParkingStatusType", choice: .intValue(status.rawValue))])
        })
    }

    /// The parameter set with this ID, if offered.
    public func parameterSet(_ id: UInt16) -> ParameterSetType? { parameterSets.first { $0.parameterSetID == id } }
}

/// A value-added service the EV selected, with the parameters of the set it chose: what the
/// charger's runtime acts on (`SECCAction.valueAddedServicesSelected`).
public struct SelectedValueAddedService: Sendable, Hashable, CustomStringConvertible {
    public var serviceID: UInt16
    public var parameterSet: ParameterSetType

    public init(serviceID: UInt16, parameterSet: ParameterSetType) { self.serviceID = serviceID; self.parameterSet = parameterSet }

    public var description: String {
        if let access = internetAccess { return "Internet \(access.protocolName):\(access.port)" }
        if serviceID == ValueAddedService.parkingStatusServiceID,
           case .intValue(let intended)? = parameterSet.parameter.first(where: { $0.name == "IntendedService" })?.choice {
            return intended == ValueAddedService.IntendedParkingService.vehicleCheckOut.rawValue ? "parking status (check-out)" : "parking status (check-in)"
        }
        return "service \(serviceID) (parameter set \(parameterSet.parameterSetID))"
    }

    /// Internet: the protocol and port the EV may use.
    public var internetAccess: ValueAddedService.InternetAccess? {
        serviceID == ValueAddedService.internetServiceID ? ValueAddedService.InternetAccess(parameterSet) : nil
    }
}
