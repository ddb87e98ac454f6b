import AppProtocol
import ISO20Common
import ISO20DC

/// A request the SECC receives, already decoded with the message set its V2GTP payload type names.
public enum SECCRequest: Sendable, Hashable {
    case supportedAppProtocol(SupportedAppProtocolReq)
    case common(CommonMessagesDocument)
    case dc(DCDocument)

    /// The kind of request, for the sequence rules.
    public var kind: RequestKind? {
        switch self {
        case .supportedAppProtocol: return .supportedAppProtocol
        case .common(let d):
            switch d {
            case .sessionSetupReq: return .sessionSetup
            case .authorizationSetupReq: return .authorizationSetup
            case .authorizationReq: return .authorization
            case .serviceDiscoveryReq: return .serviceDiscovery
            case .serviceDetailReq: return .serviceDetail
            case .serviceSelectionReq: return .serviceSelection
            case .scheduleExchangeReq: return .scheduleExchange
            case .powerDeliveryReq: return .powerDelivery
            case .sessionStopReq: return .sessionStop
            case .certificateInstallationReq: return .certificateInstallation
            case .meteringConfirmationReq: return .meteringConfirmation
            case .vehicleCheckInReq: return .vehicleCheckIn
            case .vehicleCheckOutReq: return .vehicleCheckOut
            default: return nil
            }
        case .dc(let d):
            switch d {
            case .dc_ChargeParameterDiscoveryReq: return .dcChargeParameterDiscovery
            case .dc_CableCheckReq: return .dcCableCheck
            case .dc_PreChargeReq: return .dcPreCharge
            case .dc_ChargeLoopReq: return .dcChargeLoop
            case .dc_WeldingDetectionReq: return .dcWeldingDetection
            default: return nil
            }
        }
    }

    /// The header of a -20 request (supportedAppProtocol has none).
    var header: MessageHeaderType? {
        switch self {
        case .supportedAppProtocol: return nil
        case .common(let d):
            switch d {
            case .sessionSetupReq(let m): return m.header
            case .authorizationSetupReq(let m): return m.header
            case .authorizationReq(let m): return m.header
            case .serviceDiscoveryReq(let m): return m.header
            case .serviceDetailReq(let m): return m.header
            case .serviceSelectionReq(let m): return m.header
            case .scheduleExchangeReq(let m): return m.header
            case .powerDeliveryReq(let m): return m.header
            case .sessionStopReq(let m): return m.header
            case .certificateInstallationReq(let m): return m.header
            case .meteringConfirmationReq(let m): return m.header
            case .vehicleCheckInReq(let m): return m.header
            case .vehicleCheckOutReq(let m): return m.header
            default: return nil
            }
        case .dc(let d):
            switch d {
            case .dc_ChargeParameterDiscoveryReq(let m): return m.header
            case .dc_CableCheckReq(let m): return m.header
            case .dc_PreChargeReq(let m): return m.header
            case .dc_ChargeLoopReq(let m): return m.header
            case .dc_WeldingDetectionReq(let m): return m.header
            default: return nil
            }
        }
    }
}

/// The request messages of ISO 15118-20 DC sessions, by name.
public enum RequestKind: String, Sendable, Hashable, CaseIterable {
    case supportedAppProtocol, sessionSetup, authorizationSetup, authorization, serviceDiscovery, serviceDetail
    case serviceSelection, scheduleExchange, powerDelivery, sessionStop, certificateInstallation, meteringConfirmation
    case vehicleCheckIn, vehicleCheckOut
    case dcChargeParameterDiscovery, dcCableCheck, dcPreCharge, dcChargeLoop, dcWeldingDetection
}

/// A response the SECC sends.
public enum SECCResponse: Sendable, Hashable {
    case supportedAppProtocol(SupportedAppProtocolRes)
    case common(CommonMessagesDocument)
    case dc(DCDocument)
}
