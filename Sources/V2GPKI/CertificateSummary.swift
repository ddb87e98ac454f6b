import Foundation
import X509

/// What Plug & Charge reads from a certificate besides its key: the validity window and the
/// subject's common name (the eMAID of a contract certificate, [V2G20-2640]; the EVSEID of an SECC).
/// From DER of either algorithm: swift-certificates for P-521, OpenSSL for Ed448.
public struct CertificateSummary: Sendable, Equatable {
    public var notBefore: Date
    public var notAfter: Date
    public var commonName: String?
    /// The subject key identifier extension's value: with the PCID, what binds a sealed contract
    /// key to its certificate (`ContractKeyEnvelope.Binding`).
    public var subjectKeyIdentifier: [UInt8]?
    /// The subject's domain components: the -20 profile names each certificate's domain there
    /// (DC=MO for contract certificates, CPO for the SECC's, OEM, CPS), as -2 did.
    public var domainComponents: [String]

    public init(notBefore: Date, notAfter: Date, commonName: String?, subjectKeyIdentifier: [UInt8]? = nil, domainComponents: [String] = []) {
        self.notBefore = notBefore; self.notAfter = notAfter; self.commonName = commonName; self.subjectKeyIdentifier = subjectKeyIdentifier
        self.domainComponents = domainComponents
    }

    public enum Failure: Error, Sendable, Equatable { case unreadable }

    public init(der: [UInt8]) throws(Failure) {
        if let certificate = try? Certificate(derEncoded: der) {
            let cn = certificate.subject.flatMap { $0 }.last { $0.type == .RDNAttributeType.commonName }
            let ski = (try? certificate.extensions.subjectKeyIdentifier).flatMap { $0 }.map { Array($0.keyIdentifier) }
            let dcs = certificate.subject.flatMap { $0 }.filter { $0.type == .RDNAttributeType.domainComponent }.map { String(describing: $0.value) }
            self.init(notBefore: certificate.notValidBefore, notAfter: certificate.notValidAfter,
                      commonName: cn.map { String(describing: $0.value) }, subjectKeyIdentifier: ski, domainComponents: dcs)
            return
        }
        #if OpenSSL
        if let summary = try? Self.openSSL(der) { self = summary; return }
        #endif
        throw .unreadable
    }
}
