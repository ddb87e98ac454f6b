import Crypto
import Foundation
import SwiftASN1
import X509

/// The certificate profiles of the ISO 15118-20 PKI (PROTOCOL-NOTES §6): every key is secp521r1
/// and every signature ECDSA with SHA-512.
public enum CertificateRole: String, CaseIterable, Sendable {
    case root, subCA1, subCA2
    /// SECC leaf (TLS server): CN = EVSEID.
    case secc
    /// Vehicle certificate (TLS client): CN = EVCCID, O = OEM, EKU clientAuth.
    case vehicle
    /// OEM provisioning certificate: signs CertificateInstallationReq.
    case oemProvisioning
    /// Contract certificate: CN = eMAID.
    case contract
    /// Certificate provisioning service leaf: signs SignedInstallationData.
    case cps
    /// OCSP responder certificate of a CA (EKU OCSPSigning).
    case ocspSigner

    var isCA: Bool { self == .root || self == .subCA1 || self == .subCA2 }

    /// Path length constraint of CA certificates: Sub-CA 1 may issue one more CA, Sub-CA 2 none.
    var pathLength: Int? {
        switch self {
        case .subCA1: return 1
        case .subCA2: return 0
        default: return nil
        }
    }

    /// Validity in days (the dSPACE test PKI of the captures: roots 10 years, Sub-CA 1 4 years,
    /// Sub-CA 2 2 years, SECC leaf 90 days; provisioning and vehicle leaves 2 years).
    var validityDays: Int {
        switch self {
        case .root: return 3650
        case .subCA1: return 1460
        case .subCA2: return 730
        case .secc: return 90
        case .vehicle, .oemProvisioning, .contract: return 730
        case .cps: return 90
        case .ocspSigner: return 365
        }
    }

    var keyUsage: KeyUsage {
        switch self {
        case .root, .subCA1, .subCA2: return KeyUsage(keyCertSign: true, cRLSign: true)
        case .secc, .vehicle, .oemProvisioning, .contract: return KeyUsage(digitalSignature: true, keyAgreement: true)
        case .cps, .ocspSigner: return KeyUsage(digitalSignature: true)
        }
    }

    func extendedKeyUsage() throws -> ExtendedKeyUsage? {
        switch self {
        case .vehicle: return try ExtendedKeyUsage([.clientAuth])
        case .ocspSigner: return try ExtendedKeyUsage([.ocspSigning])
        default: return nil
        }
    }
}

/// A certificate with its private key.
public struct Credential: Sendable {
    public let certificate: Certificate
    public let privateKey: P521.Signing.PrivateKey
    public let role: CertificateRole

    public var publicKey: P521.Signing.PublicKey { privateKey.publicKey }
}

enum CertificateIssuer {
    /// Issues a certificate of `role` for `subject`, signed by `issuer` (self-signed when nil).
    static func issue(role: CertificateRole, subject: DistinguishedName, issuer: Credential?, now: Date,
                      validityDays: Int? = nil) throws -> Credential {
        let key = P521.Signing.PrivateKey()
        let notBefore = now.addingTimeInterval(-3600)  // backdated an hour: clock skew between test hosts
        let certificate = try certificate(
            role: role, subject: subject, publicKey: Certificate.PublicKey(key.publicKey),
            subjectKeyID: subjectKeyIdentifier(key.publicKey), issuer: issuer, selfSigningKey: key,
            notBefore: notBefore, notAfter: notBefore.addingTimeInterval(Double(validityDays ?? role.validityDays) * 86_400))
        return Credential(certificate: certificate, privateKey: key, role: role)
    }

    /// The certificate of `role` for `publicKey`, signed by `issuer` (or by `selfSigningKey`).
    static func certificate(role: CertificateRole, subject: DistinguishedName, publicKey: Certificate.PublicKey, subjectKeyID: [UInt8],
                            issuer: Credential?, selfSigningKey: P521.Signing.PrivateKey?,
                            notBefore: Date, notAfter: Date, keyUsage: KeyUsage? = nil) throws -> Certificate {
        guard let signer = issuer?.privateKey ?? selfSigningKey else { throw CertificateError.noSigningKey }
        let aki = issuer.map { subjectKeyIdentifier($0.publicKey) } ?? subjectKeyID
        let eku = try role.extendedKeyUsage()
        let extensions = try Certificate.Extensions {
            Critical(role.isCA ? BasicConstraints.isCertificateAuthority(maxPathLength: role.pathLength)
                               : BasicConstraints.notCertificateAuthority)
            Critical(keyUsage ?? role.keyUsage)
            if let eku { eku }
            SubjectKeyIdentifier(keyIdentifier: ArraySlice(subjectKeyID))
            AuthorityKeyIdentifier(keyIdentifier: ArraySlice(aki))
        }
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: notBefore, notValidAfter: notAfter,
            issuer: issuer?.certificate.subject ?? subject, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA512, extensions: extensions, issuerPrivateKey: Certificate.PrivateKey(signer))
    }

    /// RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits.
    static func subjectKeyIdentifier(_ key: P521.Signing.PublicKey) -> [UInt8] {
        Array(Insecure.SHA1.hash(data: key.x963Representation))
    }
}

public enum CertificateError: Error, Sendable {
    case noSigningKey
}

extension TestPKI {
    /// Issues a P-521 certificate outside the standard tree: for tests of what validation must
    /// refuse (expired, wrong key usage, one CA too many). `validity` defaults to the role's.
    public static func issue(role: CertificateRole, commonName: String, by issuer: Credential,
                             validity: (notBefore: Date, notAfter: Date)? = nil, keyUsage: KeyUsage? = nil) throws -> Credential {
        let key = P521.Signing.PrivateKey()
        let now = Date()
        let v = validity ?? (now.addingTimeInterval(-3600), now.addingTimeInterval(Double(role.validityDays) * 86_400))
        let cert = try CertificateIssuer.certificate(
            role: role, subject: try DistinguishedName { CommonName(commonName) }, publicKey: Certificate.PublicKey(key.publicKey),
            subjectKeyID: CertificateIssuer.subjectKeyIdentifier(key.publicKey), issuer: issuer, selfSigningKey: nil,
            notBefore: v.notBefore, notAfter: v.notAfter, keyUsage: keyUsage)
        return Credential(certificate: cert, privateKey: key, role: role)
    }

    /// A certificate for a P-256 key (outside the -20 profile), signed by `issuer`.
    public static func issueP256(role: CertificateRole, commonName: String, by issuer: Credential) throws -> (Certificate, P256.Signing.PrivateKey) {
        let key = P256.Signing.PrivateKey()
        let now = Date()
        let cert = try CertificateIssuer.certificate(
            role: role, subject: try DistinguishedName { CommonName(commonName) }, publicKey: Certificate.PublicKey(key.publicKey),
            subjectKeyID: Array(Insecure.SHA1.hash(data: key.publicKey.x963Representation)), issuer: issuer, selfSigningKey: nil,
            notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(86_400))
        return (cert, key)
    }
}
