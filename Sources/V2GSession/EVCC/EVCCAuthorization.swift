import EXI
import ISO20Common
import XMLDSig

/// Where Plug & Charge stands on the EVCC: the PnC request waiting for its signature, or signed
/// and sent (repeated unchanged but for the TimeStamp while the SECC answers Ongoing, [V2G20-1582]).
enum EVCCContractAuthorization: Sendable, Hashable {
    case none
    case signing(PnC_AReqAuthorizationModeType)
    case sent(PnC_AReqAuthorizationModeType, SignatureType)
}

/// AuthorizationSetup and Authorization: Plug & Charge when the SECC offers it over TLS and the
/// EV holds a contract for one of its providers, EIM otherwise; repeated while Ongoing.
extension EVCCSession {
    mutating func authorizationSetupAnswered(_ m: AuthorizationSetupResType, _ ev: EVInputs) -> [EVCCAction] {
        authorizationOffer = m
        if installs(m) { return requestCertificateInstallation(ev) }
        return authorize(m, ev)
    }

    /// The contract the EV authorizes with: one installed in this session, else the configured one.
    var currentContract: EVCCContract? { installedContract ?? configuration.contract }

    /// PnC with the current contract where offered for its provider, EIM otherwise.
    mutating func authorize(_ m: AuthorizationSetupResType, _ ev: EVInputs) -> [EVCCAction] {
        if let contract = currentContract, tls, m.authorizationServices.contains(.pnC),
           case .pnC_ASResAuthorizationMode(let offer) = m.asResAuthorizationMode {
            let providers = offer.supportedProviders?.providerID.map(ProviderID.normalized)
            if providers == nil || providers!.contains(contract.providerID) {
                return signAuthorization(contract, challenge: offer.genChallenge)
            }
            return [.note("Plug & Charge offered, but not for provider \(contract.providerID)")] + authorizeWithEIM(m.authorizationServices, ev)
        }
        return authorizeWithEIM(m.authorizationServices, ev)
    }

    /// The PnC request for this challenge, to be signed with the contract key (`signed`).
    private mutating func signAuthorization(_ contract: EVCCContract, challenge: ShortBinary) -> [EVCCAction] {
        let chain = contract.certificateChain
        let request = PnC_AReqAuthorizationModeType(
            id: "PnC_AReq", genChallenge: challenge,
            contractCertificateChain: ContractCertificateChainType(certificate: chain.first ?? [],
                                                                   subCertificates: SubCertificatesType(certificate: Array(chain.dropFirst()))))
        contractAuthorization = .signing(request)
        state = .awaiting(.common(.authorizationReq))
        return [.sign(.authorization(request))]
    }

    /// The runtime's Signature for what `EVCCAction.sign` asked: the request it was for goes out.
    public mutating func signed(_ signature: SignatureType, ev: EVInputs) -> [EVCCAction] {
        guard state != .ended else { return [] }
        if case .signing = installation { return installationSigned(signature, ev) }
        if meteringToSign != nil { return meteringSigned(signature, ev) }
        guard case .signing(let request) = contractAuthorization else { return [] }
        contractAuthorization = .sent(request, signature)
        state = .idle  // not yet sent: `send` moves to awaiting and starts the response timer
        return send(pncRequest(request, signature, ev), ev)
    }

    /// The runtime could not sign (no key, a key store that refused): the EV goes on without what
    /// needed the signature (installation: to authorization; PnC: to EIM).
    public mutating func signingFailed(_ reason: String, ev: EVInputs) -> [EVCCAction] {
        guard state != .ended else { return [] }
        if case .signing = installation { return installationFailed("signing CertificateInstallationReq failed: \(reason)", ev) }
        if meteringToSign != nil {
            // Without the signature there is no confirmation to send: the loop goes on (it
            // already does when the confirmation was to go on its side stream).
            meteringToSign = nil
            let note = EVCCAction.note("MeteringConfirmation not signed: \(reason)")
            if meteringOnSideStream { meteringOnSideStream = false; return [note] }
            return [note] + nextChargeLoop(ev)
        }
        guard case .signing = contractAuthorization else { return [] }
        state = .idle
        return [.note("Plug & Charge signature failed: \(reason)")] + authorizeWithEIM(offeredServices, ev)
    }

    private func pncRequest(_ request: PnC_AReqAuthorizationModeType, _ signature: SignatureType, _ ev: EVInputs) -> V2GRequest {
        var header = header(ev)
        header.signature = signature
        return .common(.authorizationReq(AuthorizationReqType(
            header: header, selectedAuthorizationService: .pnC, aReqAuthorizationMode: .pnC_AReqAuthorizationMode(request))))
    }

    /// What the SECC offered in AuthorizationSetupRes.
    private var offeredServices: [AuthorizationType] { authorizationOffer?.authorizationServices ?? [.eim] }

    private mutating func authorizeWithEIM(_ offered: [AuthorizationType], _ ev: EVInputs) -> [EVCCAction] {
        guard offered.contains(.eim) else { return stopUnauthorized(.warning_AuthorizationSelectionInvalid, ev) }
        // A switch from PnC: EIM gets its own V2G_EVCC_Ongoing_Timeout and is not paced as a repeat.
        if contractAuthorization != .none {
            phaseStart[.common(.authorizationReq)] = nil
            state = .idle
        }
        contractAuthorization = .none
        return send(.common(.authorizationReq(AuthorizationReqType(
            header: header(ev), selectedAuthorizationService: .eim, aReqAuthorizationMode: .eim_AReqAuthorizationMode(EIM_AReqAuthorizationModeType())))), ev)
    }

    mutating func authorizationAnswered(_ m: AuthorizationResType, _ ev: EVInputs) -> [EVCCAction] {
        if m.evseProcessing != .finished {
            if case .sent(let request, let signature) = contractAuthorization { return send(pncRequest(request, signature, ev), ev) }
            return authorizeWithEIM(offeredServices, ev)
        }
        if case .sent = contractAuthorization, m.responseCode == .ok || m.responseCode == .ok_CertificateExpiresSoon {
            authorizedWithContract = true
        }
        switch m.responseCode {
        case .ok:
            return serviceDiscovery(ev)
        case .ok_CertificateExpiresSoon:
            // The contract needs renewing soon (certificate installation, when offered).
            return [.note("the contract certificate expires soon")] + serviceDiscovery(ev)
        default:
            // A WARNING: PnC (or EIM) refused. The EV may switch to EIM or stop ([V2G20-1583]).
            if case .sent = contractAuthorization, configuration.policy.eimAfterRefusedContract {
                return [.note("Plug & Charge refused (\(m.responseCode.rawValue)): authorizing with EIM")] + authorizeWithEIM(offeredServices, ev)
            }
            return stopUnauthorized(m.responseCode, ev)
        }
    }

    /// Nothing left to authorize with: SessionStop(Terminate), the session ending as `notAuthorized`.
    private mutating func stopUnauthorized(_ code: ISO20Common.ResponseCodeType, _ ev: EVInputs) -> [EVCCAction] {
        stopIntent = .terminate
        refusedAuthorization = code
        return sessionStop(ev)
    }
}
