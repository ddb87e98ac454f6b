import Foundation
import ISO20Common
import X509
import XMLDSig

/// A Plug & Charge check that failed: the -20 response code and why.
public struct PlugAndChargeRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var responseCode: ResponseCodeType
    public var reason: String
    public init(_ responseCode: ResponseCodeType, _ reason: String) { self.responseCode = responseCode; self.reason = reason }
    public var description: String { "\(responseCode.rawValue): \(reason)" }
}

/// What every signed -20 element with a certificate chain is checked for, in this order: the
/// header Signature with the key of the chain's leaf (FAILED_SignatureError, [V2G20-461]); the
/// caller's own step (the PnC challenge); each certificate within its validity
/// (WARNING_CertificateExpired [V2G20-2212], WARNING_CertificateNotYetValid [V2G20-2213]); the path
/// to a trusted root with the -20 profile (WARNING_CertificateValidationError). Used for the
/// contract chain of AuthorizationReq, the OEM provisioning chain of CertificateInstallationReq
/// and the CPS chain of CertificateInstallationRes.
struct SignedChainCheck {
    let trustedRootsDER: [[UInt8]]
    /// The domain the leaf must be of (DC=MO for a contract certificate, OEM, CPS): a certificate of
    /// another role under the same root (an SECC's, an OCSP signer's) is not a contract. A leaf
    /// that names no domain is not refused for it: the domain is the -2 profile's and our PKI's,
    /// and whether every -20 PKI sets it is not public.
    var leafDomain: String?

    struct Passed {
        var algorithm: XMLSignatureAlgorithm
        var leaf: CertificateSummary
        /// Leaf to root, DER.
        var path: [[UInt8]]
    }

    func check(_ element: SignedElement, chain presented: [[UInt8]], signature: SignatureType?, now: Date,
               afterSignature: () -> PlugAndChargeRefusal? = { nil }) async -> Result<Passed, PlugAndChargeRefusal> {
        await check([element], chain: presented, signature: signature, now: now, afterSignature: afterSignature)
    }

    func check(_ elements: [SignedElement], chain presented: [[UInt8]], signature: SignatureType?, now: Date,
               afterSignature: () -> PlugAndChargeRefusal? = { nil }) async -> Result<Passed, PlugAndChargeRefusal> {
        guard let signature else { return .failure(PlugAndChargeRefusal(.failed_SignatureError, "the message carries no Signature")) }
        guard let leafDER = presented.first else { return .failure(PlugAndChargeRefusal(.failed_SignatureError, "no certificate to verify with")) }
        let algorithm: XMLSignatureAlgorithm
        do {
            let key = try XMLSignatureVerifyingKey(certificateDER: leafDER)
            algorithm = try XMLSignature.verify(signature, covering: elements, with: key).get()
        } catch {
            return .failure(PlugAndChargeRefusal(.failed_SignatureError, "\(error)"))
        }
        if let refusal = afterSignature() { return .failure(refusal) }
        return await validate(presented, now: now).map { Passed(algorithm: algorithm, leaf: $0.leaf, path: $0.path) }
    }

    /// The chain alone: each certificate within its validity, then the path to a trusted root.
    func validate(_ presented: [[UInt8]], now: Date) async -> Result<(leaf: CertificateSummary, path: [[UInt8]]), PlugAndChargeRefusal> {
        var summaries: [CertificateSummary] = []
        for (index, der) in presented.enumerated() {
            guard let summary = try? CertificateSummary(der: der) else {
                return .failure(PlugAndChargeRefusal(.warning_CertificateValidationError, "certificate \(index) of the chain is unreadable"))
            }
            if now > summary.notAfter {
                return .failure(PlugAndChargeRefusal(.warning_CertificateExpired, "certificate \(index) expired \(summary.notAfter)"))
            }
            if now < summary.notBefore {
                return .failure(PlugAndChargeRefusal(.warning_CertificateNotYetValid, "certificate \(index) is valid from \(summary.notBefore)"))
            }
            summaries.append(summary)
        }
        guard let leaf = summaries.first else { return .failure(PlugAndChargeRefusal(.warning_CertificateValidationError, "the chain is empty")) }
        if let leafDomain, !leaf.domainComponents.isEmpty, !leaf.domainComponents.contains(leafDomain) {
            return .failure(PlugAndChargeRefusal(.warning_CertificateValidationError,
                                                 "the leaf is a DC=\(leaf.domainComponents.joined(separator: ",")) certificate, not DC=\(leafDomain)"))
        }
        switch await validatePath(presented, now: now) {
        case .success(let path): return .success((leaf, path))
        case .failure(let failure): return .failure(PlugAndChargeRefusal(.warning_CertificateValidationError, "\(failure)"))
        }
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
