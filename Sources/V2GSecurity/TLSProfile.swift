import Crypto
import NIOCore
import NIOSSL
import X509

/// The ISO 15118-20 TLS 1.3 profile (PROTOCOL-NOTES §5), behind a small seam of our own so that a
/// second TLS backend can replace BoringSSL (swift-nio-ssl) later.
///
/// What it sets: TLS 1.3 only; key-exchange group secp521r1; signature algorithm
/// ecdsa_secp521r1_sha512 for signing and verifying (both set explicitly, BoringSSL's defaults omit
/// it); the SECC always requests a client certificate and sends the names of the roots it trusts
/// (certificate_authorities); chains are validated by `ChainValidator` (RFC 5280 plus the -20
/// profile); NSS key-log lines for Wireshark.
///
/// Where BoringSSL cannot follow the profile (documented in the README): it always enables
/// TLS_AES_128_GCM_SHA256 in TLS 1.3 (the profile allows only TLS_AES_256_GCM_SHA384 and
/// TLS_CHACHA20_POLY1305_SHA256), it has no x448 and no Ed448, and no OCSP stapling.
public struct TLSProfile: Sendable {
    public enum Role: Sendable { case secc, evcc }

    public var role: Role
    /// Own chain, leaf first (SECC: leaf, CPO Sub-CA 2, Sub-CA 1; EVCC: the vehicle certificate chain).
    public var certificateChain: [Certificate]
    public var privateKey: P521.Signing.PrivateKey
    /// Roots the peer's chain must lead to (SECC: OEM and V2G roots; EVCC: V2G roots).
    public var trustedRoots: [Certificate]
    /// Receives each NSS key-log line (`CLIENT_HANDSHAKE_TRAFFIC_SECRET …`) for Wireshark.
    public var keyLog: (@Sendable (String) -> Void)?

    public init(role: Role, certificateChain: [Certificate], privateKey: P521.Signing.PrivateKey, trustedRoots: [Certificate],
                keyLog: (@Sendable (String) -> Void)? = nil) {
        self.role = role
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.trustedRoots = trustedRoots
        self.keyLog = keyLog
    }

    /// The profile's cipher suites (Table 6), in its order.
    public static let cipherSuites: [NIOTLSCipher] = [.TLS_AES_256_GCM_SHA384, .TLS_CHACHA20_POLY1305_SHA256]

    /// The swift-nio-ssl configuration of this profile.
    public func configuration() throws -> TLSConfiguration {
        let chain = try certificateChain.map { try NIOSSLCertificate(bytes: try derBytes($0), format: .der) }
        let key = try NIOSSLPrivateKey(bytes: Array(privateKey.pemRepresentation.utf8), format: .pem)
        let roots = try trustedRoots.map { try NIOSSLCertificate(bytes: try derBytes($0), format: .der) }
        var c: TLSConfiguration
        switch role {
        case .secc:
            c = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
            // Request and require the vehicle certificate, naming the roots we accept.
            c.sendCANameList = true
        case .evcc:
            c = TLSConfiguration.makeClientConfiguration()
            c.certificateChain = chain.map { .certificate($0) }
            c.privateKey = .privateKey(key)
        }
        c.minimumTLSVersion = .tlsv13
        c.maximumTLSVersion = .tlsv13
        c.curves = [.secp521r1]
        c.signingSignatureAlgorithms = [.ecdsaSecp521R1Sha512]
        c.verifySignatureAlgorithms = [.ecdsaSecp521R1Sha512]
        // TLS 1.3 cipher suites are not configurable in BoringSSL (its cipher list covers TLS ≤ 1.2;
        // a list of only 1.3 suites is rejected outright). It offers AES-128-GCM, AES-256-GCM and
        // ChaCha20; see `cipherSuites` for what the profile allows.
        c.certificateVerification = .noHostnameVerification
        c.trustRoots = .certificates(roots)
        if let keyLog {
            c.keyLogCallback = { buffer in keyLog(String(buffer: buffer)) }
        }
        return c
    }

    /// A handler for one connection. `verified` receives the peer's validated chain (leaf first),
    /// `rejected` why the peer's chain was refused; either is called once per handshake.
    public func makeHandler(context: NIOSSLContext,
                            verified: @escaping @Sendable ([Certificate]) -> Void = { _ in },
                            rejected: @escaping @Sendable (ChainValidator.Failure) -> Void = { _ in }) throws -> NIOSSLHandler {
        let validator = ChainValidator(roots: trustedRoots, peer: role == .secc ? .evcc : .secc)
        let callback: NIOSSLCustomVerificationCallbackWithMetadata = { presented, promise in
            let certs: [Certificate]
            do {
                certs = try presented.map { try Certificate(derEncoded: try $0.toDERBytes()) }
            } catch {
                rejected(.invalid("unparsable certificate: \(error)"))
                promise.succeed(.failed)
                return
            }
            @Sendable func validate() async -> NIOSSLVerificationResultWithMetadata {
                switch await validator.validate(certs) {
                case .success(let chain):
                    verified(chain)
                    guard let validated = try? chain.map({ try NIOSSLCertificate(bytes: try derBytes($0), format: .der) }) else {
                        return .failed
                    }
                    return .certificateVerified(VerificationMetadata(ValidatedCertificateChain(validated)))
                case .failure(let failure):
                    rejected(failure)
                    return .failed
                }
            }
            // On the connection's own event loop where the runtime allows (see EventLoopTaskExecutor).
            if #available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *) {
                Task(executorPreference: EventLoopTaskExecutor(promise.futureResult.eventLoop)) { promise.succeed(await validate()) }
            } else {
                promise.completeWithTask { await validate() }
            }
        }
        switch role {
        case .secc: return NIOSSLServerHandler(context: context, customVerificationCallbackWithMetadata: callback)
        case .evcc: return try NIOSSLClientHandler(context: context, serverHostname: nil, customVerificationCallbackWithMetadata: callback)
        }
    }
}

func derBytes(_ certificate: Certificate) throws -> [UInt8] {
    var serializer = DER.Serializer()
    try serializer.serialize(certificate)
    return serializer.serializedBytes
}

import SwiftASN1
