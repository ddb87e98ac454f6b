import ISO20Common
import XMLDSig

/// Where a Plug & Charge authorization stands on the SECC: the request being checked (the EVCC
/// repeats it while the SECC answers Ongoing), or the result of the check, answered to the next
/// repetition.
enum ContractAuthorizationProgress: Sendable {
    case none
    /// The request being checked, with the Signature that was checked.
    case checking(PnC_AReqAuthorizationModeType, SignatureType?)
    case decided(PnC_AReqAuthorizationModeType, SignatureType?, ContractAuthorizationResult)
}

/// AuthorizationSetup and Authorization: EIM, and Plug & Charge over TLS.
extension SECCSession {
    /// The services offered: as configured, PnC only over TLS (-20 runs PnC on TLS only; over the
    /// non-conformant plain-TCP test mode it is left out), EIM when nothing else remains.
    var offeredAuthorizationServices: [AuthorizationType] {
        let offered = configuration.authorizationServices.filter { $0 != .pnC || tls }
        return offered.isEmpty ? [.eim] : offered
    }

    mutating func authorizationSetup(_ evse: EVSEInputs) -> [SECCAction] {
        state = .waitingForAuthorization
        let services = offeredAuthorizationServices
        let mode: AuthorizationSetupResType.ASResAuthorizationMode
        if services.contains(.pnC) {
            // When PnC is offered its mode carries the challenge, EIM offered or not ([V2G20-2568]).
            let challenge = makeGenChallenge()
            genChallenge = challenge
            contractAuthorization = .none
            mode = .pnC_ASResAuthorizationMode(PnC_ASResAuthorizationModeType(
                genChallenge: challenge, supportedProviders: configuration.supportedProviders.map { SupportedProvidersListType(providerID: $0) }))
        } else {
            mode = .eim_ASResAuthorizationMode(EIM_ASResAuthorizationModeType())
        }
        return respond(.common(.authorizationSetupRes(AuthorizationSetupResType(
            header: header(evse), responseCode: .ok, authorizationServices: services,
            certificateInstallationService: certificateInstallationOffered, asResAuthorizationMode: mode))))
    }

    mutating func authorization(_ m: AuthorizationReqType, _ evse: EVSEInputs) -> [SECCAction] {
        guard offeredAuthorizationServices.contains(m.selectedAuthorizationService) else {
            return answerAuthorization(.warning_AuthorizationSelectionInvalid, .finished, evse)
        }
        switch (m.selectedAuthorizationService, m.aReqAuthorizationMode) {
        case (.eim, .eim_AReqAuthorizationMode):
            // Not while a PnC check runs: the EV may change its mind only after an answer.
            if case .checking = contractAuthorization {
                return failed(.common(.authorizationReq), .failed_SequenceError, evse, "EIM while a PnC authorization is being checked")
            }
            guard evse.authorized else {
                // The EVCC repeats AuthorizationReq while Ongoing ([V2G20-1582]).
                return answerAuthorization(.ok, .ongoing, evse)
            }
            state = .waitingForServiceDiscovery
            return answerAuthorization(.ok, .finished, evse)
        case (.pnC, .pnC_AReqAuthorizationMode(let pnc)):
            return contractAuthorization(pnc, m.header, evse)
        default:
            return failed(.common(.authorizationReq), .failed, evse, "SelectedAuthorizationService does not match the authorization mode")
        }
    }

    /// PnC: the first request starts the check (answered Ongoing, [V2G20-1977]); repetitions are
    /// answered Ongoing until the result is in, then with it. A repetition must be the same
    /// request (only TimeStamp and Signature may change); after a WARNING the EV may present
    /// another chain, which is checked anew.
    private mutating func contractAuthorization(_ pnc: PnC_AReqAuthorizationModeType, _ header: MessageHeaderType,
                                                _ evse: EVSEInputs) -> [SECCAction] {
        switch contractAuthorization {
        case .checking(let pending, let signature):
            // A repetition is the request that is being checked, signed the same way.
            guard pending == pnc, signature == header.signature else {
                return failed(.common(.authorizationReq), .failed_SequenceError, evse, "the PnC request changed while it was being checked")
            }
            return answerAuthorization(.ok, .ongoing, evse)
        case .decided(let decided, let signature, let result):
            // The answer goes to the request that was checked, and to no other.
            guard decided == pnc, signature == header.signature else {
                return failed(.common(.authorizationReq), .failed_SequenceError, evse, "the PnC request changed before its answer")
            }
            if result.responseCode.rawValue.hasPrefix("FAILED") {
                return failed(.common(.authorizationReq), result.responseCode, evse, "Plug & Charge refused: \(result.detail)")
            }
            if result.authorized {
                state = .waitingForServiceDiscovery
                authorizedContract = pnc.contractCertificateChain.certificate
            } else {
                contractAuthorization = .none  // the EV may try again ([V2G20-1583])
            }
            return answerAuthorization(result.responseCode, .finished, evse)
        case .none:
            contractAuthorization = .checking(pnc, header.signature)
            let check = ContractCheckRequest(authorization: pnc, signature: header.signature, genChallenge: genChallenge ?? [],
                                             supportedProviders: configuration.supportedProviders)
            return [.checkContract(check)] + answerAuthorization(.ok, .ongoing, evse)
        }
    }

    /// The runtime's answer to `SECCAction.checkContract`: kept for the EVCC's next repetition of
    /// AuthorizationReq, which it answers. A late answer for a request no longer pending is dropped.
    public mutating func contractChecked(_ result: ContractAuthorizationResult) -> [SECCAction] {
        guard case .checking(let pending, let signature) = contractAuthorization, state == .waitingForAuthorization else { return [] }
        contractAuthorization = .decided(pending, signature, result)
        return []
    }

    private func answerAuthorization(_ code: ISO20Common.ResponseCodeType, _ processing: ProcessingType, _ evse: EVSEInputs) -> [SECCAction] {
        respond(.common(.authorizationRes(AuthorizationResType(header: header(evse), responseCode: code, evseProcessing: processing))))
    }
}
