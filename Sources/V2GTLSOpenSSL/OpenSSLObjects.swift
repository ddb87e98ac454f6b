#if canImport(COpenSSL)
import COpenSSL
import SwiftASN1
import V2GTLS
import X509

/// An OpenSSL `X509`, owned: from a swift-certificates `Certificate` by its DER, and back.
final class OpenSSLX509 {
    let x509: OpaquePointer

    init(_ certificate: Certificate) throws(TLSError) {
        var serializer = DER.Serializer()
        do { try serializer.serialize(certificate) } catch { throw .library("cannot encode a certificate: \(error)") }
        let der = serializer.serializedBytes
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw OpenSSLError.last("d2i_X509") }
        x509 = parsed
    }

    deinit { X509_free(x509) }

    /// The DER of an `X509` OpenSSL holds.
    static func der(_ x509: OpaquePointer) throws(TLSError) -> [UInt8] {
        let length = i2d_X509(x509, nil)
        guard length > 0 else { throw OpenSSLError.last("i2d_X509") }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_X509(x509, &cursor)
        }
        guard written == length else { throw OpenSSLError.last("i2d_X509") }
        return bytes
    }

    static func certificate(_ x509: OpaquePointer) throws -> Certificate {
        try Certificate(derEncoded: try der(x509))
    }
}

/// An OpenSSL `EVP_PKEY`, owned, from a PKCS#8 PEM.
final class OpenSSLPrivateKey {
    let pkey: OpaquePointer

    init(pem: String) throws(TLSError) {
        let bytes = Array(pem.utf8)
        let parsed: OpaquePointer? = bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let parsed else { throw OpenSSLError.last("PEM_read_bio_PrivateKey") }
        pkey = parsed
    }

    deinit { EVP_PKEY_free(pkey) }
}

/// OpenSSL's thread-local error queue, read and cleared into a `TLSError`.
enum OpenSSLError {
    /// The queue's errors as one line, and the alert a peer sent if one of them is that.
    static func drain() -> (text: String, receivedAlert: String?) {
        var lines: [String] = []
        var alert: String?
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            lines.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            let reason = v2g_ERR_GET_REASON(code)
            if reason > v2g_SSL_AD_REASON_OFFSET(), alert == nil {
                alert = OpenSSLAlert.name(Int32(reason - v2g_SSL_AD_REASON_OFFSET()))
            }
        }
        return (lines.joined(separator: "; "), alert)
    }

    static func last(_ what: String) -> TLSError {
        let (text, _) = drain()
        return .library("\(what): \(text.isEmpty ? "failed" : text)")
    }
}

/// Alert descriptions by their RFC 8446 names.
enum OpenSSLAlert {
    static func name(_ description: Int32) -> String {
        switch description {
        case 0: "close_notify"
        case 10: "unexpected_message"
        case 20: "bad_record_mac"
        case 22: "record_overflow"
        case 40: "handshake_failure"
        case 42: "bad_certificate"
        case 43: "unsupported_certificate"
        case 44: "certificate_revoked"
        case 45: "certificate_expired"
        case 46: "certificate_unknown"
        case 47: "illegal_parameter"
        case 48: "unknown_ca"
        case 49: "access_denied"
        case 50: "decode_error"
        case 51: "decrypt_error"
        case 70: "protocol_version"
        case 71: "insufficient_security"
        case 80: "internal_error"
        case 86: "inappropriate_fallback"
        case 90: "user_canceled"
        case 109: "missing_extension"
        case 110: "unsupported_extension"
        case 112: "unrecognized_name"
        case 113: "bad_certificate_status_response"
        case 115: "unknown_psk_identity"
        case 116: "certificate_required"
        case 120: "no_application_protocol"
        default: String(cString: SSL_alert_desc_string_long(description))
        }
    }
}
#endif
