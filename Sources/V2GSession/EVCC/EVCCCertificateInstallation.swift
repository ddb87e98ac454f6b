import ISO20Common
import XMLDSig

/// Where CertificateInstallation stands on the EVCC.
enum EVCCInstallation: Sendable, Hashable {
    case none
    case signing(SignedCertificateChainType)
    /// Sent (repeated unchanged but for the header while Ongoing, or for the next chain).
    case sent(SignedCertificateChainType, SignatureType)
    /// The runtime checks and opens the contract (`EVCCAction.installContract`).
    case installing(SignedCertificateChainType, SignatureType, remaining: UInt8)
}

/// CertificateInstallation ([V2G20-1970]): after AuthorizationSetupRes announced it, before
/// Authorization. The EV signs its OEM provisioning chain, the SECC answers with a contract from
/// the CPS, the runtime opens and keeps it; then the EV authorizes with it (Plug & Charge).
extension EVCCSession {
    /// Whether to install now: offered (with PnC, over TLS), the EV can (a provisioning chain),
    /// and its policy says so.
    func installs(_ m: AuthorizationSetupResType) -> Bool {
        guard tls, m.certificateInstallationService, m.authorizationServices.contains(.pnC),
              configuration.provisioning != nil, installationsDone == 0 else { return false }
        switch configuration.policy.contractInstallation {
        case .never: return false
        case .whenMissing: return currentContract == nil
        case .always: return true
        }
    }

    mutating func requestCertificateInstallation(_ ev: EVInputs) -> [EVCCAction] {
        guard let provisioning = configuration.provisioning, let leaf = provisioning.certificateChain.first else { return [] }
        let subs = Array(provisioning.certificateChain.dropFirst())
        let element = SignedCertificateChainType(id: "OEMProvisioningCertificateChain", certificate: leaf,
                                                 subCertificates: subs.isEmpty ? nil : SubCertificatesType(certificate: subs))
        installation = .signing(element)
        state = .awaiting(.common(.certificateInstallationReq))
        return [.sign(.certificateInstallation(element))]
    }

    mutating func installationSigned(_ signature: SignatureType, _ ev: EVInputs) -> [EVCCAction] {
        guard case .signing(let element) = installation else { return [] }
        installation = .sent(element, signature)
        state = .idle
        return send(installationRequest(element, signature, ev), ev)
    }

    private func installationRequest(_ element: SignedCertificateChainType, _ signature: SignatureType, _ ev: EVInputs) -> V2GRequest {
        var header = header(ev)
        header.signature = signature
        let provisioning = configuration.provisioning
        return .common(.certificateInstallationReq(CertificateInstallationReqType(
            header: header, oemProvisioningCertificateChain: element,
            listOfRootCertificateIDs: ListOfRootCertificateIDsType(rootCertificateID: provisioning?.rootCertificateIDs ?? []),
            maximumContractCertificateChains: provisioning?.maximumContractCertificateChains ?? 1)))
    }

    mutating func certificateInstallationAnswered(_ m: CertificateInstallationResType, _ ev: EVInputs) -> [EVCCAction] {
        guard case .sent(let element, let signature) = installation else { return unexpected(.common(.certificateInstallationRes(m))) }
        if m.evseProcessing != .finished { return send(installationRequest(element, signature, ev), ev) }
        guard m.responseCode == .ok else {
            return installationFailed("CertificateInstallation refused: \(m.responseCode.rawValue)", ev)
        }
        installation = .installing(element, signature, remaining: m.remainingContractCertificateChains)
        state = .idle
        return [.installContract(m)]
    }

    /// The runtime checked, opened and kept the contract: the next chain if the SECC has more and
    /// the EV wants more, else authorization with it.
    public mutating func contractInstalled(_ contract: EVCCContract, ev: EVInputs) -> [EVCCAction] {
        guard state != .ended, case .installing(let element, let signature, let remaining) = installation else { return [] }
        installedContract = contract
        installationsDone += 1
        let wanted = Int(configuration.provisioning?.maximumContractCertificateChains ?? 1)
        if remaining > 0, installationsDone < wanted {
            installation = .sent(element, signature)
            return [.note("contract \(contract.emaid) installed; \(remaining) more available")] + send(installationRequest(element, signature, ev), ev)
        }
        installation = .none
        guard let offer = authorizationOffer else { return end(.unexpectedResponse, "installed a contract without an AuthorizationSetupRes") }
        return [.note("contract \(contract.emaid) installed")] + authorize(offer, ev)
    }

    /// The runtime could not check or open the contract: authorization goes on without it.
    public mutating func contractInstallationFailed(_ reason: String, ev: EVInputs) -> [EVCCAction] {
        guard state != .ended, case .installing = installation else { return [] }
        return installationFailed("contract not installed: \(reason)", ev)
    }

    mutating func installationFailed(_ reason: String, _ ev: EVInputs) -> [EVCCAction] {
        installation = .none
        installationsDone += 1
        state = .idle
        guard let offer = authorizationOffer else { return [.note(reason)] }
        return [.note(reason)] + authorize(offer, ev)
    }
}
