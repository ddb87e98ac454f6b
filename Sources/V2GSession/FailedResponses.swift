import ISO20Common
import ISO20DC

/// The response to any request with a FAILED code: the mandatory fields carry schema-valid
/// placeholder values ([V2G20-736]), since the session ends with it.
enum FailedResponses {
    static func response(to request: SECCRequest, kind: RequestKind, code: ISO20Common.ResponseCodeType, header: MessageHeaderType) -> SECCResponse? {
        let zero = RationalNumberType(exponent: 0, value: 0)
        switch kind {
        case .supportedAppProtocol:
            return nil
        case .sessionSetup:
            return .common(.sessionSetupRes(SessionSetupResType(header: header, responseCode: code, evseid: "ZZ00000")))
        case .authorizationSetup:
            return .common(.authorizationSetupRes(AuthorizationSetupResType(
                header: header, responseCode: code, authorizationServices: [.eim], certificateInstallationService: false,
                asResAuthorizationMode: .eim_ASResAuthorizationMode(EIM_ASResAuthorizationModeType()))))
        case .authorization:
            return .common(.authorizationRes(AuthorizationResType(header: header, responseCode: code, evseProcessing: .finished)))
        case .serviceDiscovery:
            return .common(.serviceDiscoveryRes(ServiceDiscoveryResType(
                header: header, responseCode: code, serviceRenegotiationSupported: false,
                energyTransferServiceList: ServiceListType(service: [ServiceType(serviceID: EnergyService.dcServiceID, freeService: false)]))))
        case .serviceDetail:
            let serviceID: UInt16
            if case .common(.serviceDetailReq(let m)) = request { serviceID = m.serviceID } else { serviceID = EnergyService.dcServiceID }
            return .common(.serviceDetailRes(ServiceDetailResType(
                header: header, responseCode: code, serviceID: serviceID,
                serviceParameterList: ServiceParameterListType(parameterSet: [
                    ParameterSetType(parameterSetID: 1, parameter: [ParameterType(name: "Connector", choice: .intValue(0))])]))))
        case .serviceSelection:
            return .common(.serviceSelectionRes(ServiceSelectionResType(header: header, responseCode: code)))
        case .scheduleExchange:
            return .common(.scheduleExchangeRes(ScheduleExchangeResType(
                header: header, responseCode: code, evseProcessing: .finished,
                seResControlMode: .dynamic_SEResControlMode(Dynamic_SEResControlModeType()))))
        case .powerDelivery:
            return .common(.powerDeliveryRes(PowerDeliveryResType(header: header, responseCode: code)))
        case .sessionStop:
            return .common(.sessionStopRes(SessionStopResType(header: header, responseCode: code)))
        case .meteringConfirmation:
            return .common(.meteringConfirmationRes(MeteringConfirmationResType(header: header, responseCode: code)))
        case .certificateInstallation, .vehicleCheckIn, .vehicleCheckOut:
            // Not offered by this SECC: the session ends without an answer to these.
            return nil
        case .dcChargeParameterDiscovery:
            return .dc(.dc_ChargeParameterDiscoveryRes(DC_ChargeParameterDiscoveryResType(
                header: header, responseCode: code,
                dc_CPDResEnergyTransferMode: .dc_CPDResEnergyTransferMode(DC_CPDResEnergyTransferModeType(
                    evseMaximumChargePower: zero, evseMinimumChargePower: zero, evseMaximumChargeCurrent: zero,
                    evseMinimumChargeCurrent: zero, evseMaximumVoltage: zero, evseMinimumVoltage: zero)))))
        case .dcCableCheck:
            return .dc(.dc_CableCheckRes(DC_CableCheckResType(header: header, responseCode: code, evseProcessing: .finished)))
        case .dcPreCharge:
            return .dc(.dc_PreChargeRes(DC_PreChargeResType(header: header, responseCode: code, evsePresentVoltage: zero)))
        case .dcChargeLoop:
            return .dc(.dc_ChargeLoopRes(DC_ChargeLoopResType(
                header: header, responseCode: code, evsePresentCurrent: zero, evsePresentVoltage: zero,
                evsePowerLimitAchieved: false, evseCurrentLimitAchieved: false, evseVoltageLimitAchieved: false,
                clResControlMode: .dynamic_DC_CLResControlMode(Dynamic_DC_CLResControlModeType(
                    evseMaximumChargePower: zero, evseMinimumChargePower: zero, evseMaximumChargeCurrent: zero, evseMaximumVoltage: zero)))))
        case .dcWeldingDetection:
            return .dc(.dc_WeldingDetectionRes(DC_WeldingDetectionResType(header: header, responseCode: code, evsePresentVoltage: zero)))
        }
    }
}
