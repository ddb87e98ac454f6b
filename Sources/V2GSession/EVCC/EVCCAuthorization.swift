import ISO20Common

/// AuthorizationSetup and Authorization (EIM), repeated while the SECC answers Ongoing ([V2G20-1582]).
extension EVCCSession {
    mutating func authorize(_ ev: EVInputs) -> [EVCCAction] {
        send(.common(.authorizationReq(AuthorizationReqType(
            header: header(ev), selectedAuthorizationService: .eim, aReqAuthorizationMode: .eim_AReqAuthorizationMode(EIM_AReqAuthorizationModeType())))), ev)
    }

    mutating func authorizationAnswered(_ m: AuthorizationResType, _ ev: EVInputs) -> [EVCCAction] {
        if m.evseProcessing != .finished { return authorize(ev) }
        return serviceDiscovery(ev)
    }
}
