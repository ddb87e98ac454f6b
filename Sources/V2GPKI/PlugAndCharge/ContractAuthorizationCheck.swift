import Foundation
import ISO20Common
import X509
import XMLDSig

/// What the SECC checks itself in a Plug & Charge AuthorizationReq before the backend is asked
/// (`ContractAuthorizer` in the runtime), in EVerest's order, each failure with the -20 response
/// code (research notes: /work/notes/pnc-authorization-research.md):
/// 1. the header Signature over PnC_AReqAuthorizationMode with the contract certificate's key
///    (`XMLSignature`) — otherwise FAILED_SignatureError ([V2G20-461]; the session ends);
/// 2. the echoed GenChallenge ([V2G20-2565]) — otherwise WARNING_ChallengeInvalid ([V2G20-2216]);
/// 3. every certificate of the contract chain within its validity — WARNING_CertificateExpired
///    ([V2G20-2212]) or WARNING_CertificateNotYetValid ([V2G20-2213]);
/// 4. the chain to a trusted V2G or MO root with the -20 certificate profile — otherwise
///    WARNING_CertificateValidationError.
/// A contract certificate that expires within `expiresSoonWindow` (14 days, [V2G20-2218]) is
/// reported so that the SECC answers OK_CertificateExpiresSoon.
public struct ContractAuthorizationCheck: Sendable {
    /// The V2G and MO roots a contract chain may end in (DER).
    public let trustedRootsDER: [[UInt8]]
    public var expiresSoonWindow: TimeInterval = 14 * 86_400

    public init(trustedRootsDER: [[UInt8]]) { self.trustedRootsDER = trustedRootsDER }

    /// A contract the checks passed: what the backend is asked about.
    public struct Contract: Sendable, Equatable {
        /// The eMAID: the contract certificate's common name.
        public var emaid: String
        /// The validated path, leaf to root (DER).
        public var chainDER: [[UInt8]]
        public var notAfter: Date
        public var expiresSoon: Bool
        /// Which algorithm signed the request.
        public var algorithm: XMLSignatureAlgorithm
    }

    /// A check that failed: the response code and why.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var responseCode: ResponseCodeType
        public var reason: String
        public init(_ responseCode: ResponseCodeType, _ reason: String) { self.responseCode = responseCode; self.reason = reason }
        public var description: String { "\(responseCode.rawValue): \(reason)" }
    }

    public func check(_ request: PnC_AReqAuthorizationModeType, signature: SignatureType?, expectedChallenge: [UInt8],
                      now: Date = Date()) async -> Result<Contract, Refusal> {
        let presented = [request.contractCertificateChain.certificate] + request.contractCertificateChain.subCertificates.certificate
        // 1. The signature, with the key of the certificate the request carries.
        guard let signature else { return .failure(Refusal(.failed_SignatureError, "the AuthorizationReq carries no Signature")) }
        guard let element = SignedElement(.pnC_AReqAuthorizationMode(request)) else {
            return .failure(Refusal(.failed_SignatureError, "PnC_AReqAuthorizationMode has no Id"))
        }
        let algorithm: XMLSignatureAlgorithm
        do {
            let key = try XMLSignatureVerifyingKey(certificateDER: presented[0])
            algorithm = try XMLSignature.verify(signature, covering: [element], with: key).get()
        } catch {
            return .failure(Refusal(.failed_SignatureError, "\(error)"))
        }
        // 2. The challenge this SECC sent in AuthorizationSetupRes.
        guard request.genChallenge == expectedChallenge else {
            return .failure(Refusal(.warning_ChallengeInvalid, "GenChallenge is not the one sent in AuthorizationSetupRes"))
        }
        // 3. Validity of every certificate presented.
        var leaf: CertificateSummary?
        for (index, der) in presented.enumerated() {
            guard let summary = try? CertificateSummary(der: der) else {
                return .failure(Refusal(.warning_CertificateValidationError, "certificate \(index) of the contract chain is unreadable"))
            }
            if now > summary.notAfter { return .failure(Refusal(.warning_CertificateExpired, "certificate \(index) expired \(summary.notAfter)")) }
            if now < summary.notBefore {
                return .failure(Refusal(.warning_CertificateNotYetValid, "certificate \(index) is valid from \(summary.notBefore)"))
            }
            if index == 0 { leaf = summary }
        }
        // 4. The path to a trusted root, with the -20 profile.
        let path: [[UInt8]]
        switch await validatePath(presented, now: now) {
        case .success(let validated): path = validated
        case .failure(let failure): return .failure(Refusal(.warning_CertificateValidationError, "\(failure)"))
        }
        guard let leaf, let emaid = leaf.commonName, !emaid.isEmpty else {
            return .failure(Refusal(.warning_CertificateValidationError, "the contract certificate names no eMAID"))
        }
        return .success(Contract(emaid: emaid, chainDER: path, notAfter: leaf.notAfter,
                                 expiresSoon: leaf.notAfter.timeIntervalSince(now) <= expiresSoonWindow, algorithm: algorithm))
    }

    /// OpenSSL where the build has it (Ed448 chains too), swift-certificates otherwise.
    private func validatePath(_ presented: [[UInt8]], now: Date) async -> Result<[[UInt8]], ChainValidator.Failure> {
        #if OpenSSL
        do {
            return try OpenSSLChainValidator(rootsDER: trustedRootsDER, peer: .contract).validate(presented, at: now)
        } catch {
            return .failure(.invalid("\(error)"))
        }
        #else
        do {
            let roots = try trustedRootsDER.map { try Certificate(derEncoded: $0) }
            let chain = try presented.map { try Certificate(derEncoded: $0) }
            switch await ChainValidator(roots: roots, peer: .contract).validate(chain, at: now) {
            case .success(let path): return .success(try path.map { try $0.derBytes })
            case .failure(let failure): return .failure(failure)
            }
        } catch {
            return .failure(.invalid("\(error)"))
        }
        #endif
    }
}
