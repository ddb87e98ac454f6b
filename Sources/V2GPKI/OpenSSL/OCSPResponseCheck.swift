#if OpenSSL
import COpenSSL
import Foundation
import X509

/// Checks an OCSP response for one certificate as the -20 EVCC does with what the SECC staples
/// ([V2G20-1240], [V2G20-2409]): the response is successful; its signature verifies and the signer
/// is the certificate's issuer or an OCSP signer that issuer certified, chaining to a trusted root;
/// it has a status for the certificate and that status is good; `now` lies within thisUpdate …
/// nextUpdate, and that window is at most a week ([V2G20-1021]).
public struct OCSPResponseCheck: Sendable {
    /// The trusted roots (DER) the responder's certificate must chain to.
    public let trustedRootsDER: [[UInt8]]
    /// Clock skew tolerated on thisUpdate and nextUpdate.
    public var allowedSkew: TimeInterval = 300

    public init(trustedRootsDER: [[UInt8]]) { self.trustedRootsDER = trustedRootsDER }

    public init(trustedRoots: [Certificate]) throws {
        self.init(trustedRootsDER: try CertificateList.certificates(trustedRoots).der())
    }

    /// The certificate's status window when the response shows it good; otherwise why not.
    /// `chain` is the presented chain the certificate came in (its issuer and intermediates for the
    /// signer's path).
    public func check(_ der: [UInt8], for certificate: Certificate, issuer: Certificate, chain: [Certificate] = [],
                      now: Date = Date()) -> Result<ClosedRange<Date>, OCSPFailure> {
        do {
            return check(der, forDER: try certificate.derBytes, issuerDER: try issuer.derBytes,
                         chainDER: try CertificateList.certificates(chain).der(), now: now)
        } catch {
            return .failure(.malformed("\(error)"))
        }
    }

    /// The same for certificates as DER (what a TLS library hands over; Ed448 ones too).
    public func check(_ der: [UInt8], forDER certificate: [UInt8], issuerDER issuer: [UInt8], chainDER chain: [[UInt8]] = [],
                      now: Date = Date()) -> Result<ClosedRange<Date>, OCSPFailure> {
        do {
            return .success(try validate(der, certificate: certificate, issuer: issuer, chain: chain, now: now))
        } catch let failure as OCSPFailure {
            return .failure(failure)
        } catch {
            return .failure(.malformed("\(error)"))
        }
    }

    private func validate(_ der: [UInt8], certificate: [UInt8], issuer: [UInt8], chain: [[UInt8]], now: Date) throws -> ClosedRange<Date> {
        defer { _ = OpenSSLErrorQueue.drain() }
        let response: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_OCSP_RESPONSE(nil, &cursor, buffer.count)
        }
        guard let response else { throw OCSPFailure.malformed("not a DER OCSPResponse") }
        defer { OCSP_RESPONSE_free(response) }
        let status = OCSP_response_status(response)
        guard status == OCSP_RESPONSE_STATUS_SUCCESSFUL else { throw OCSPFailure.unsuccessful(status: Int(status)) }
        guard let basic = OCSP_response_get1_basic(response) else { throw OCSPFailure.malformed("no BasicOCSPResponse") }
        defer { OCSP_BASICRESP_free(basic) }

        try verifySigner(basic, chain: chain.isEmpty ? [issuer] : chain, now: now)

        let subject = try OpenSSLX509(der: certificate)
        let issuerX509 = try OpenSSLX509(der: issuer)
        let single = try withExtendedLifetime((subject, issuerX509)) { () throws -> SingleStatus in
            try singleStatus(basic, subject: subject.x509, issuer: issuerX509.x509)
        }
        guard let nextUpdate = single.nextUpdate else { throw OCSPFailure.validityTooLong(nil) }
        let window = nextUpdate.timeIntervalSince(single.thisUpdate)
        guard window <= ocspMaximumValidity else { throw OCSPFailure.validityTooLong(window) }
        guard now.addingTimeInterval(allowedSkew) >= single.thisUpdate else { throw OCSPFailure.notYetValid(thisUpdate: single.thisUpdate) }
        guard now.addingTimeInterval(-allowedSkew) <= nextUpdate else { throw OCSPFailure.expired(nextUpdate: nextUpdate) }
        switch single.status {
        case .good: return single.thisUpdate...nextUpdate
        case .revoked(let date): throw OCSPFailure.revoked(at: date)
        case .unknown: throw OCSPFailure.unknownCertificate
        }
    }

    /// OCSP_basic_verify: the signature, the signer's path to a trusted root (at `now`), and that
    /// the signer may answer for the certificate's issuer (the issuer itself, or a certificate the
    /// issuer gave EKU OCSPSigning).
    private func verifySigner(_ basic: OpaquePointer, chain: [[UInt8]], now: Date) throws {
        guard let store = X509_STORE_new() else { throw OpenSSLFailure.last("X509_STORE_new") }
        defer { X509_STORE_free(store) }
        let roots = try trustedRootsDER.map { try OpenSSLX509(der: $0) }
        let untrusted = try chain.map { try OpenSSLX509(der: $0) }
        for root in roots where X509_STORE_add_cert(store, root.x509) != 1 { throw OpenSSLFailure.last("X509_STORE_add_cert") }
        X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), time_t(now.timeIntervalSince1970))
        let stack = try OpenSSLCertificateStack(untrusted)
        let verified = withExtendedLifetime((roots, untrusted, stack)) { OCSP_basic_verify(basic, stack.stack, store, 0) }
        guard verified == 1 else {
            let detail = OpenSSLErrorQueue.drain().map(\.text).joined(separator: "; ")
            throw OCSPFailure.untrustedResponder(detail.isEmpty ? "OCSP_basic_verify failed" : detail)
        }
    }

    private struct SingleStatus {
        let status: OCSPCertificateStatus
        let thisUpdate: Date
        let nextUpdate: Date?
    }

    /// The SingleResponse for the certificate, matched with the hash algorithm each CertID names.
    private func singleStatus(_ basic: OpaquePointer, subject: OpaquePointer, issuer: OpaquePointer) throws -> SingleStatus {
        for index in 0..<OCSP_resp_count(basic) {
            guard let single = OCSP_resp_get0(basic, index), let listed = OCSP_SINGLERESP_get0_id(single) else { continue }
            var algorithm: OpaquePointer?
            guard OCSP_id_get0_info(nil, &algorithm, nil, nil, listed) == 1, let algorithm,
                  let digest = EVP_get_digestbyname(OBJ_nid2sn(OBJ_obj2nid(algorithm))),
                  let id = OCSP_cert_to_id(digest, subject, issuer) else { continue }
            defer { OCSP_CERTID_free(id) }
            var code: Int32 = -1, reason: Int32 = -1
            var revokedAt: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
            var thisUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
            var nextUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
            guard OCSP_resp_find_status(basic, id, &code, &reason, &revokedAt, &thisUpdate, &nextUpdate) == 1 else { continue }
            guard let thisDate = thisUpdate.flatMap(Self.date) else { throw OCSPFailure.malformed("thisUpdate") }
            let status: OCSPCertificateStatus
            switch code {
            case V_OCSP_CERTSTATUS_GOOD: status = .good
            case V_OCSP_CERTSTATUS_REVOKED: status = .revoked(at: revokedAt.flatMap(Self.date) ?? thisDate)
            default: status = .unknown
            }
            return SingleStatus(status: status, thisUpdate: thisDate, nextUpdate: nextUpdate.flatMap(Self.date))
        }
        throw OCSPFailure.noStatusForCertificate
    }

    private static func date(_ time: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>) -> Date? { OpenSSLX509.date(time) }
}
#endif
