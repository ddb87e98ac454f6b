import ISO20Common

/// AuthorizationSetup and Authorization (EIM).
extension SECCSession {
    mutating func authorizationSetup(_ evse: EVSEInputs) -> [SECCAction] {
        state = .waitingForAuthorization
        return respond(.common(.authorizationSetupRes(AuthorizationSetupResType(
            header: header(evse), responseCode: .ok, authorizationServices: configuration.authorizationServices,
            certificateInstallationService: false, asResAuthorizationMode: .eim_ASResAuthorizationMode(EIM_ASResAuthorizationModeType())))))
    }

    mutating func authorization(_ m: AuthorizationReqType, _ evse: EVSEInputs) -> [SECCAction] {
        guard configuration.authorizationServices.contains(m.selectedAuthorizationService) else {
            return respond(.common(.authorizationRes(AuthorizationResType(
                header: header(evse), responseCode: .warning_AuthorizationSelectionInvalid, evseProcessing: .finished))))
        }
        guard evse.authorized else {
            // The EVCC repeats AuthorizationReq while Ongoing ([V2G20-1582]).
            return respond(.common(.authorizationRes(AuthorizationResType(header: header(evse), responseCode: .ok, evseProcessing: .ongoing))))
        }
        state = .waitingForServiceDiscovery
        return respond(.common(.authorizationRes(AuthorizationResType(header: header(evse), responseCode: .ok, evseProcessing: .finished))))
    }
}
