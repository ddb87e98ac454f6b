#if OpenSSL
import COpenSSL
import V2GPKI
import V2GTLS
import X509

/// A `TLSProfile` as an OpenSSL `SSL_CTX`, prepared once and shared by every connection: TLS 1.3
/// only ([V2G20-2356]); exactly the profile's two suites in its order (Table 6); groups secp521r1
/// and x448 (Table 7); signature algorithms ecdsa_secp521r1_sha512 and ed448 (Table 8); the SECC
/// requires a client certificate and names the roots it accepts (certificate_authorities); the
/// peer's chain goes through `OpenSSLChainValidator` (OpenSSL's RFC 5280 path validation plus
/// `V2G20CertificateRules`, the -20 rules every validator runs); NSS key-log lines to the
/// profile's sink.
final class OpenSSLContext: @unchecked Sendable {
    // @unchecked: the SSL_CTX is configured here, then only read (OpenSSL allows concurrent SSL_new).
    let ctx: OpaquePointer
    let profile: TLSProfile
    let validator: OpenSSLChainValidator
    let ocspCheck: OCSPResponseCheck
    /// The profile's trusted roots as DER, encoded once for the validator, the OCSP check and the CA names.
    private let trustedRootsDER: [[UInt8]]
    let rejected: @Sendable (ChainValidator.Failure) -> Void

    init(_ profile: TLSProfile, rejected: @escaping @Sendable (ChainValidator.Failure) -> Void) throws(TLSError) {
        guard let ctx = SSL_CTX_new(TLS_method()) else { throw OpenSSLError.last("SSL_CTX_new") }
        self.ctx = ctx
        self.profile = profile
        do {
            let roots = try profile.trustedRoots.der()
            self.trustedRootsDER = roots
            self.validator = try OpenSSLChainValidator(rootsDER: roots, peer: profile.peerRole)
            self.ocspCheck = OCSPResponseCheck(trustedRootsDER: roots)
        } catch {
            SSL_CTX_free(ctx)
            throw .library("trusted roots: \(error)")
        }
        self.rejected = rejected
        try configure()
    }

    deinit { SSL_CTX_free(ctx) }

    private func configure() throws(TLSError) {
        try check(v2g_SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION), "TLS 1.3 minimum")
        try check(v2g_SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION), "TLS 1.3 maximum")
        try check(SSL_CTX_set_ciphersuites(ctx, TLSProfile.cipherSuites.joined(separator: ":")), "cipher suites")
        try check(v2g_SSL_CTX_set1_groups_list(ctx, "secp521r1:X448"), "groups")
        try check(v2g_SSL_CTX_set1_sigalgs_list(ctx, TLSProfile.signatureAlgorithms.joined(separator: ":")), "signature algorithms")
        try check(v2g_SSL_CTX_set1_client_sigalgs_list(ctx, TLSProfile.signatureAlgorithms.joined(separator: ":")), "client signature algorithms")
        // No session resumption in -20: no tickets to issue or store.
        _ = SSL_CTX_set_num_tickets(ctx, 0)
        _ = v2g_SSL_CTX_set_session_cache_mode(ctx, Int(SSL_SESS_CACHE_OFF))

        // OpenSSL takes its own references (or copies): ours live until each call has returned.
        let chain: [OpenSSLX509], key: OpenSSLPrivateKey, roots: [OpenSSLX509]
        do {
            chain = try profile.certificateChain.der().map { try OpenSSLX509(der: $0) }
            key = try OpenSSLPrivateKey(pem: profile.privateKey.pemRepresentation)
            roots = try trustedRootsDER.map { try OpenSSLX509(der: $0) }
        } catch let failure as OpenSSLFailure {
            throw OpenSSLError.tls(failure)
        } catch {
            throw .library("own certificates: \(error)")
        }
        try withExtendedLifetime((chain, key, roots)) { () throws(TLSError) in
            guard let leaf = chain.first else { throw .library("the profile has no certificate") }
            try check(SSL_CTX_use_certificate(ctx, leaf.x509), "own certificate")
            for intermediate in chain.dropFirst() { try check(v2g_SSL_CTX_add1_chain_cert(ctx, intermediate.x509), "own chain") }
            try check(SSL_CTX_use_PrivateKey(ctx, key.pkey), "own private key")
            try check(SSL_CTX_check_private_key(ctx), "key matches certificate")
            if profile.role == .secc {
                // The names of the roots we accept, in the CertificateRequest (certificate_authorities).
                for root in roots { try check(SSL_CTX_add_client_CA(ctx, root.x509), "CA names") }
            }
        }

        switch profile.role {
        case .secc:
            // Request and require the vehicle certificate.
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        case .evcc:
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        }
        // OCSP stapling: the SECC staples its leaf's response when the EVCC asks; the EVCC always
        // asks (status_request, empty responder_id_list) and checks what comes back.
        switch profile.role {
        case .secc:
            if profile.ocspResponses.first?.isEmpty == false { _ = v2g_SSL_CTX_set_tlsext_status_cb(ctx, openSSLStapleOCSP) }
        case .evcc:
            _ = v2g_SSL_CTX_set_tlsext_status_type(ctx, TLSEXT_STATUSTYPE_ocsp)
            _ = v2g_SSL_CTX_set_tlsext_status_cb(ctx, openSSLCheckStapledOCSP)
        }
        // The whole chain decision is ours: OpenSSL's own path building is replaced.
        SSL_CTX_set_cert_verify_callback(ctx, openSSLVerifyChain, nil)
        if profile.keyLog != nil { SSL_CTX_set_keylog_callback(ctx, openSSLKeyLog) }
    }

    private func check(_ result: Int32, _ what: String) throws(TLSError) {
        guard result == 1 else { throw OpenSSLError.last(what) }
    }

    /// An EVCC's check of what the SECC stapled, by the profile's `ocspPolicy`.
    func checkStaple(_ staple: [UInt8]?, peerChain: [[UInt8]]) -> Result<Void, OCSPFailure> {
        guard let staple else { return profile.ocspPolicy == .required ? .failure(.missing) : .success(()) }
        guard peerChain.count >= 2 else { return .failure(.noStatusForCertificate) }
        return ocspCheck.check(staple, forDER: peerChain[0], issuerDER: peerChain[1], chainDER: Array(peerChain.dropFirst())).map { _ in () }
    }

}

/// OpenSSL's certificate verification, replaced by `OpenSSLChainValidator` (SSL_CTX_set_cert_verify_callback):
/// 1 accepts the chain, 0 refuses it (OpenSSL then sends the alert).
private func openSSLVerifyChain(_ store: OpaquePointer?, _ arg: UnsafeMutableRawPointer?) -> Int32 {
    guard let store, let ssl = v2g_X509_STORE_CTX_get_ssl(store), let connection = OpenSSLConnection.of(ssl) else { return 0 }
    let result: Result<[[UInt8]], ChainValidator.Failure>
    if let leaf = X509_STORE_CTX_get0_cert(store) {
        result = connection.context.validator.validate(leaf: leaf, untrusted: X509_STORE_CTX_get0_untrusted(store))
    } else {
        result = .failure(.noCertificate)
    }
    switch result {
    case .success(let chain):
        connection.verifiedChain = chain
        return 1
    case .failure(let failure):
        connection.rejection = failure
        connection.context.rejected(failure)
        X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED)
        return 0
    }
}

/// SECC: the leaf's OCSP response into the Certificate message (OpenSSL 3 staples one response,
/// the leaf's: the -20 rule of one per certificate of the chain, [V2G20-2388], needs TLS 1.3
/// multi-stapling, which OpenSSL 3.0 does not have).
private func openSSLStapleOCSP(_ ssl: OpaquePointer?, _ arg: UnsafeMutableRawPointer?) -> Int32 {
    guard let ssl, let connection = OpenSSLConnection.of(ssl), let staple = connection.context.profile.ocspResponses.first,
          !staple.isEmpty, let copy = v2g_OPENSSL_malloc(staple.count) else { return SSL_TLSEXT_ERR_NOACK }
    staple.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress!, byteCount: staple.count) }
    // OpenSSL takes ownership of the copy.
    guard v2g_SSL_set_tlsext_status_ocsp_resp(ssl, copy.assumingMemoryBound(to: UInt8.self), staple.count) == 1 else {
        v2g_OPENSSL_free(copy)
        return SSL_TLSEXT_ERR_ALERT_FATAL
    }
    return SSL_TLSEXT_ERR_OK
}

/// EVCC: the stapled response checked against the SECC's leaf ([V2G20-1240]); 0 refuses the chain
/// (OpenSSL sends bad_certificate_status_response), 1 accepts it. OpenSSL calls this only after the
/// verify callback accepted the chain, so the validated path is there.
private func openSSLCheckStapledOCSP(_ ssl: OpaquePointer?, _ arg: UnsafeMutableRawPointer?) -> Int32 {
    guard let ssl, let connection = OpenSSLConnection.of(ssl) else { return -1 }
    var bytes: UnsafePointer<UInt8>?
    let length = v2g_SSL_get_tlsext_status_ocsp_resp(ssl, &bytes)
    let staple = length > 0 && bytes != nil ? Array(UnsafeBufferPointer(start: bytes, count: length)) : nil
    switch connection.context.checkStaple(staple, peerChain: connection.verifiedChain ?? []) {
    case .success:
        return 1
    case .failure(let failure):
        connection.rejection = .revocation(failure)
        connection.context.rejected(.revocation(failure))
        return 0
    }
}

/// NSS key-log lines (SSL_CTX_set_keylog_callback) to the profile's sink.
private func openSSLKeyLog(_ ssl: OpaquePointer?, _ line: UnsafePointer<CChar>?) {
    guard let ssl, let line, let connection = OpenSSLConnection.of(ssl) else { return }
    connection.context.profile.keyLog?(String(cString: line))
}
#endif
