import Crypto
import SwiftASN1
import X509

/// The ISO 15118-20 certificate profile, checked on every chain on top of RFC 5280 path
/// validation (validity, basic constraints, path length, key usage of CAs):
/// every certificate carries a secp521r1 key (or Ed448, which BoringSSL cannot verify yet) and is
/// signed with ecdsa-with-SHA512; the leaf may sign (digitalSignature); a TLS client's leaf, if it
/// has an extended key usage, allows clientAuth.
public struct V2G20CertificatePolicy: VerifierPolicy {
    public enum Peer: Sendable { case secc, evcc }

    public let peer: Peer
    public let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = []

    public init(peer: Peer) { self.peer = peer }

    public func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        for (index, cert) in chain.enumerated() {
            let name = index == 0 ? "leaf" : "certificate \(index) (\(cert.subject))"
            guard P521.Signing.PublicKey(cert.publicKey) != nil else {
                return .failsToMeetPolicy(reason: "\(name) does not have a secp521r1 key, as the -20 profile requires")
            }
            // The root is trusted by configuration; every certificate it or a Sub-CA signed must be
            // ecdsa-with-SHA512.
            guard cert.signatureAlgorithm == .ecdsaWithSHA512 else {
                return .failsToMeetPolicy(reason: "\(name) is signed with \(cert.signatureAlgorithm), not ecdsa-with-SHA512")
            }
        }
        let leaf = chain.leaf
        do {
            guard let ku = try leaf.extensions.keyUsage, ku.digitalSignature else {
                return .failsToMeetPolicy(reason: "leaf key usage does not allow digitalSignature")
            }
            if peer == .evcc, let eku = try leaf.extensions.extendedKeyUsage, !eku.contains(.clientAuth) {
                return .failsToMeetPolicy(reason: "vehicle certificate's extended key usage does not allow clientAuth")
            }
            if let bc = try leaf.extensions.basicConstraints, case .isCertificateAuthority = bc {
                return .failsToMeetPolicy(reason: "leaf is a CA certificate")
            }
        } catch {
            return .failsToMeetPolicy(reason: "leaf extensions are malformed: \(error)")
        }
        return .meetsPolicy
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
    /// Validity is checked against the current time.
    public func validate(_ presented: [Certificate]) async -> Result<[Certificate], Failure> {
        guard let leaf = presented.first else { return .failure(.noCertificate) }
        let peer = self.peer
        var verifier = Verifier(rootCertificates: CertificateStore(roots)) {
            RFC5280Policy()
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

