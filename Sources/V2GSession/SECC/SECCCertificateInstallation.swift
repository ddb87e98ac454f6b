import ISO20Common

/// CertificateInstallation ([V2G20-1970]): between AuthorizationSetup and Authorization, when
/// AuthorizationSetupRes announced it. The response waits for the runtime (the provisioning chain
/// checked, the backend's CPS asked), within the EVCC's 5 s V2G_EVCC_Msg_Timeout.
extension SECCSession {
    /// Offered only with PnC, over TLS, when the runtime can provide contracts.
    var certificateInstallationOffered: Bool {
        configuration.certificateInstallationService && offeredAuthorizationServices.contains(.pnC)
    }

    mutating func certificateInstallation(_ m: CertificateInstallationReqType, _ evse: EVSEInputs) -> [SECCAction] {
        guard certificateInstallationOffered else {
            return sequenceError(.common(.certificateInstallationReq), evse)
        }
        pendingInstallation = m
        // The EV waits for the answer: V2G_SECC_Sequence_Timeout runs from this request anew.
        return [.startTimer(.sequence, V2GTiming.seccSequenceTimeout), .provideCertificate(m)]
    }

    /// The runtime's answer to `SECCAction.provideCertificate`: the response goes out. A refusal
    /// with a WARNING keeps the session (the EV may authorize otherwise, [V2G20-1583]); FAILED ends it.
    public mutating func certificateProvided(_ outcome: CertificateInstallationOutcome, evse: EVSEInputs) -> [SECCAction] {
        guard pendingInstallation != nil, state == .waitingForAuthorization else { return [] }
        pendingInstallation = nil
        let kind = MessageKind.common(.certificateInstallationReq)
        switch outcome {
        case .provided(let data):
            var header = header(evse)
            header.signature = data.signature
            return respond(.common(.certificateInstallationRes(CertificateInstallationResType(
                header: header, responseCode: .ok, evseProcessing: .finished, cpsCertificateChain: data.cpsCertificateChain,
                signedInstallationData: data.signedInstallationData, remainingContractCertificateChains: data.remainingContractCertificateChains))))
        case .refused(let code, let detail):
            if code.rawValue.hasPrefix("FAILED") { return failed(kind, code, evse, "certificate installation refused: \(detail)") }
            // The mandatory fields of the response in their schema-valid minimal form, as for FAILED.
            guard let response = kind.failedResponse(code: code, header: header(evse)) else { return [] }
            return respond(response)
        }
    }
}
