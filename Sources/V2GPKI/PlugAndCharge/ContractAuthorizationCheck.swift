import EXI
import Foundation
import ISO20Common
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

    public typealias Refusal = PlugAndChargeRefusal

    public func check(_ request: PnC_AReqAuthorizationModeType, signature: SignatureType?, expectedChallenge: ShortBinary,
                      now: Date = Date()) async -> Result<Contract, Refusal> {
        let presented = [request.contractCertificateChain.certificate] + request.contractCertificateChain.subCertificates.certificate
        guard let element = SignedElement(.pnC_AReqAuthorizationMode(request)) else {
            return .failure(Refusal(.failed_SignatureError, "PnC_AReqAuthorizationMode has no Id"))
        }
        let chainCheck = SignedChainCheck(trustedRootsDER: trustedRootsDER, leafDomain: "MO")
        let passed = await chainCheck.check(element, chain: presented, signature: signature, now: now) {
            // 2. The challenge this SECC sent in AuthorizationSetupRes, after the signature.
            request.genChallenge == expectedChallenge
                ? nil : Refusal(.warning_ChallengeInvalid, "GenChallenge is not the one sent in AuthorizationSetupRes")
        }
        return passed.flatMap { passed in
            guard let emaid = passed.leaf.commonName, !emaid.isEmpty else {
                return .failure(Refusal(.warning_CertificateValidationError, "the contract certificate names no eMAID"))
            }
            return .success(Contract(emaid: emaid, chainDER: passed.path, notAfter: passed.leaf.notAfter,
                                     expiresSoon: passed.leaf.notAfter.timeIntervalSince(now) <= expiresSoonWindow, algorithm: passed.algorithm))
        }
    }
}
