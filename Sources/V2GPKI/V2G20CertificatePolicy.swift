import Foundation
import Crypto
import SwiftASN1
@_spi(FixedExpiryValidationTime) import X509

/// The -20 certificate profile (`V2G20CertificateRules`) as a swift-certificates verifier policy,
/// run after RFC 5280 path validation. swift-certificates reads P-521 certificates only (it cannot
/// parse an Ed448 key): the OpenSSL validator takes Ed448 chains.
public struct V2G20CertificatePolicy: VerifierPolicy {
    /// Whose chain: the SECC's or the vehicle's in TLS, or a contract certificate chain of Plug &
    /// Charge (no TLS purpose).
    public enum Peer: Sendable { case secc, evcc, contract }

    public let peer: Peer
    public let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = []

    public init(peer: Peer) { self.peer = peer }

    public func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        do {
            let facts = try chain.map(CertificateFacts.init)
            return V2G20CertificateRules.violation(in: facts, peer: peer).map { .failsToMeetPolicy(reason: $0) } ?? .meetsPolicy
        } catch {
            return .failsToMeetPolicy(reason: "certificate extensions are malformed: \(error)")
        }
    }
}

extension CertificateFacts {
    /// The facts of a certificate swift-certificates parsed.
    public init(_ certificate: Certificate) throws {
        let key: KeyAlgorithm = P521.Signing.PublicKey(certificate.publicKey) != nil ? .secp521r1 : .other("\(certificate.publicKey)")
        let signature: SignatureAlgorithm = certificate.signatureAlgorithm == .ecdsaWithSHA512 ? .ecdsaWithSHA512 : .other("\(certificate.signatureAlgorithm)")
        var isCA = false
        if let bc = try certificate.extensions.basicConstraints, case .isCertificateAuthority = bc { isCA = true }
        self.init(name: certificate.subject.description, key: key, signature: signature,
                  digitalSignature: try certificate.extensions.keyUsage?.digitalSignature,
                  clientAuth: try certificate.extensions.extendedKeyUsage.map { $0.contains(.clientAuth) }, isCA: isCA)
    }
}

/// Validates a peer's certificate chain (leaf first, as sent in TLS) against trusted roots.
public struct ChainValidator: Sendable {
    public let roots: [Certificate]
    public let peer: V2G20CertificatePolicy.Peer

    public init(roots: [Certificate], peer: V2G20CertificatePolicy.Peer) {
        self.roots = roots
        self.peer = peer
    }

    public enum Failure: Error, CustomStringConvertible, Sendable, Equatable {
        case noCertificate
        case invalid(String)
        /// The revocation check failed: a failed OCSP check makes the chain invalid ([V2G20-2409]).
        case revocation(OCSPFailure)
        public var description: String {
            switch self {
            case .noCertificate: return "the peer sent no certificate"
            case .invalid(let r): return "certificate chain rejected: \(r)"
            case .revocation(let f): return "certificate chain rejected: \(f)"
            }
        }
    }

    /// The validated chain from the leaf to a root, or why there is none.
    /// Validity is checked at `time`, by default now.
    public func validate(_ presented: [Certificate], at time: Date? = nil) async -> Result<[Certificate], Failure> {
        guard let leaf = presented.first else { return .failure(.noCertificate) }
        let peer = self.peer
        var verifier = Verifier(rootCertificates: CertificateStore(roots)) {
            // A fixed time only when asked: the default follows the clock, as swift-certificates intends.
            if let time { RFC5280Policy(fixedExpiryValidationTime: time) } else { RFC5280Policy() }
            V2G20CertificatePolicy(peer: peer)
        }
        switch await verifier.validate(leaf: leaf, intermediates: CertificateStore(presented.dropFirst())) {
        case .validCertificate(let chain):
            return .success(Array(chain))
        case .couldNotValidate(let failures):
            let reasons = failures.map { "\($0.policyFailureReason)" }
            return .failure(.invalid(reasons.isEmpty ? "no path to a trusted root" : reasons.joined(separator: "; ")))
        }
    }
}

