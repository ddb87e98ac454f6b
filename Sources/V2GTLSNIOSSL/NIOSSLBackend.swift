import Crypto
import NIOCore
import NIOSSL
import V2GPKI
import V2GTLS
import X509

/// The swift-nio-ssl (BoringSSL) backend of the -20 TLS profile.
///
/// What it sets: TLS 1.3 only; key-exchange group secp521r1; signature algorithm
/// ecdsa_secp521r1_sha512 for signing and verifying (both set explicitly, BoringSSL's defaults omit
/// it); the SECC always requests a client certificate and sends the names of the roots it trusts
/// (certificate_authorities); chains are validated by `ChainValidator` (RFC 5280 plus the -20
/// profile); NSS key-log lines for Wireshark.
public struct NIOSSLBackend: TLSBackend {
    public init() {}

    public var name: String { "swift-nio-ssl (BoringSSL)" }

    /// Where BoringSSL cannot follow the profile (documented in the README).
    public var deviations: [String] {
        ["TLS_AES_128_GCM_SHA256 is always enabled in TLS 1.3 (the profile allows only \(TLSProfile.cipherSuites.joined(separator: ", ")))",
         "no x448 and no Ed448", "no OCSP stapling"]
    }

    public func prepare(_ profile: TLSProfile, rejected: @escaping @Sendable (ChainValidator.Failure) -> Void) throws -> any TLSConnectionFactory {
        // An EVCC that must see a stapled response cannot run here: refusing beats not checking.
        if profile.role == .evcc, profile.ocspPolicy == .required {
            throw TLSError.library("swift-nio-ssl cannot request or check OCSP staples; use the OpenSSL backend for ocspPolicy .required")
        }
        return Prepared(profile: profile, context: try NIOSSLContext(configuration: Self.configuration(profile)), rejected: rejected)
    }

    struct Prepared: TLSConnectionFactory {
        let profile: TLSProfile
        let context: NIOSSLContext
        let rejected: @Sendable (ChainValidator.Failure) -> Void

        func addHandler(to pipeline: ChannelPipeline.SynchronousOperations) throws {
            try pipeline.addHandler(NIOSSLBackend.makeHandler(profile, context: context, rejected: rejected))
        }
    }

    /// The swift-nio-ssl configuration of `profile`.
    public static func configuration(_ profile: TLSProfile) throws -> TLSConfiguration {
        let chain = try profile.certificateChain.der().map { try NIOSSLCertificate(bytes: $0, format: .der) }
        let key = try NIOSSLPrivateKey(bytes: Array(profile.privateKey.pemRepresentation.utf8), format: .pem)
        let roots = try profile.trustedRoots.der().map { try NIOSSLCertificate(bytes: $0, format: .der) }
        var c: TLSConfiguration
        switch profile.role {
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
        if let keyLog = profile.keyLog {
            c.keyLogCallback = { buffer in keyLog(String(buffer: buffer)) }
        }
        return c
    }

    /// A handler for one connection. `verified` receives the peer's validated chain (leaf first),
    /// `rejected` why the peer's chain was refused; either is called once per handshake.
    public static func makeHandler(_ profile: TLSProfile, context: NIOSSLContext,
                            verified: @escaping @Sendable ([Certificate]) -> Void = { _ in },
                            rejected: @escaping @Sendable (ChainValidator.Failure) -> Void = { _ in }) throws -> NIOSSLHandler {
        let validator = try profile.peerValidator()
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
                    guard let validated = try? chain.map({ try NIOSSLCertificate(bytes: try $0.derBytes, format: .der) }) else {
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
        switch profile.role {
        case .secc: return NIOSSLServerHandler(context: context, customVerificationCallbackWithMetadata: callback)
        case .evcc: return try NIOSSLClientHandler(context: context, serverHostname: nil, customVerificationCallbackWithMetadata: callback)
        }
    }
}
