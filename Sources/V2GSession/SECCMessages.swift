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
    var header: MessageHeaderType? { withHeader { _ in }.header }

    /// The request with `change` applied to its header, and that header (nil for
    /// supportedAppProtocol and for documents that are not requests). One switch serves reading
    /// and rewriting, e.g. a test giving a random request the session's ID.
    public func withHeader(_ change: (inout MessageHeaderType) -> Void) -> (request: SECCRequest, header: MessageHeaderType?) {
        func apply<M>(_ m: M, _ path: WritableKeyPath<M, MessageHeaderType>, _ wrap: (M) -> SECCRequest) -> (SECCRequest, MessageHeaderType?) {
            var m = m
            change(&m[keyPath: path])
            return (wrap(m), m[keyPath: path])
        }
        switch self {
        case .supportedAppProtocol: return (self, nil)
        case .common(let d):
            switch d {
            case .sessionSetupReq(let m): return apply(m, \.header) { .common(.sessionSetupReq($0)) }
            case .authorizationSetupReq(let m): return apply(m, \.header) { .common(.authorizationSetupReq($0)) }
            case .authorizationReq(let m): return apply(m, \.header) { .common(.authorizationReq($0)) }
            case .serviceDiscoveryReq(let m): return apply(m, \.header) { .common(.serviceDiscoveryReq($0)) }
            case .serviceDetailReq(let m): return apply(m, \.header) { .common(.serviceDetailReq($0)) }
            case .serviceSelectionReq(let m): return apply(m, \.header) { .common(.serviceSelectionReq($0)) }
            case .scheduleExchangeReq(let m): return apply(m, \.header) { .common(.scheduleExchangeReq($0)) }
            case .powerDeliveryReq(let m): return apply(m, \.header) { .common(.powerDeliveryReq($0)) }
            case .sessionStopReq(let m): return apply(m, \.header) { .common(.sessionStopReq($0)) }
            case .certificateInstallationReq(let m): return apply(m, \.header) { .common(.certificateInstallationReq($0)) }
            case .meteringConfirmationReq(let m): return apply(m, \.header) { .common(.meteringConfirmationReq($0)) }
            case .vehicleCheckInReq(let m): return apply(m, \.header) { .common(.vehicleCheckInReq($0)) }
            case .vehicleCheckOutReq(let m): return apply(m, \.header) { .common(.vehicleCheckOutReq($0)) }
            default: return (self, nil)
            }
        case .dc(let d):
            switch d {
            case .dc_ChargeParameterDiscoveryReq(let m): return apply(m, \.header) { .dc(.dc_ChargeParameterDiscoveryReq($0)) }
            case .dc_CableCheckReq(let m): return apply(m, \.header) { .dc(.dc_CableCheckReq($0)) }
            case .dc_PreChargeReq(let m): return apply(m, \.header) { .dc(.dc_PreChargeReq($0)) }
            case .dc_ChargeLoopReq(let m): return apply(m, \.header) { .dc(.dc_ChargeLoopReq($0)) }
            case .dc_WeldingDetectionReq(let m): return apply(m, \.header) { .dc(.dc_WeldingDetectionReq($0)) }
            default: return (self, nil)
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

    /// The -20 response code (nil for supportedAppProtocol and for documents that are not responses).
    public var responseCode: ISO20Common.ResponseCodeType? { withHeader { _ in }.code }
    /// The -20 header (nil likewise).
    public var header: MessageHeaderType? { withHeader { _ in }.header }

    /// The response with `change` applied to its header, with its code and that header. One switch
    /// serves reading and rewriting.
    public func withHeader(_ change: (inout MessageHeaderType) -> Void)
        -> (response: SECCResponse, code: ISO20Common.ResponseCodeType?, header: MessageHeaderType?) {
        func apply<M>(_ m: M, _ path: WritableKeyPath<M, MessageHeaderType>, _ code: KeyPath<M, ISO20Common.ResponseCodeType>,
                      _ wrap: (M) -> SECCResponse) -> (SECCResponse, ISO20Common.ResponseCodeType?, MessageHeaderType?) {
            var m = m
            change(&m[keyPath: path])
            return (wrap(m), m[keyPath: code], m[keyPath: path])
        }
        switch self {
        case .supportedAppProtocol: return (self, nil, nil)
        case .common(let d):
            switch d {
            case .sessionSetupRes(let m): return apply(m, \.header, \.responseCode) { .common(.sessionSetupRes($0)) }
            case .authorizationSetupRes(let m): return apply(m, \.header, \.responseCode) { .common(.authorizationSetupRes($0)) }
            case .authorizationRes(let m): return apply(m, \.header, \.responseCode) { .common(.authorizationRes($0)) }
            case .serviceDiscoveryRes(let m): return apply(m, \.header, \.responseCode) { .common(.serviceDiscoveryRes($0)) }
            case .serviceDetailRes(let m): return apply(m, \.header, \.responseCode) { .common(.serviceDetailRes($0)) }
            case .serviceSelectionRes(let m): return apply(m, \.header, \.responseCode) { .common(.serviceSelectionRes($0)) }
            case .scheduleExchangeRes(let m): return apply(m, \.header, \.responseCode) { .common(.scheduleExchangeRes($0)) }
            case .powerDeliveryRes(let m): return apply(m, \.header, \.responseCode) { .common(.powerDeliveryRes($0)) }
            case .sessionStopRes(let m): return apply(m, \.header, \.responseCode) { .common(.sessionStopRes($0)) }
            case .meteringConfirmationRes(let m): return apply(m, \.header, \.responseCode) { .common(.meteringConfirmationRes($0)) }
            default: return (self, nil, nil)
            }
        case .dc(let d):
            switch d {
            case .dc_ChargeParameterDiscoveryRes(let m): return apply(m, \.header, \.responseCode) { .dc(.dc_ChargeParameterDiscoveryRes($0)) }
            case .dc_CableCheckRes(let m): return apply(m, \.header, \.responseCode) { .dc(.dc_CableCheckRes($0)) }
            case .dc_PreChargeRes(let m): return apply(m, \.header, \.responseCode) { .dc(.dc_PreChargeRes($0)) }
            case .dc_ChargeLoopRes(let m): return apply(m, \.header, \.responseCode) { .dc(.dc_ChargeLoopRes($0)) }
            case .dc_WeldingDetectionRes(let m): return apply(m, \.header, \.responseCode) { .dc(.dc_WeldingDetectionRes($0)) }
            default: return (self, nil, nil)
            }
        }
    }
}
