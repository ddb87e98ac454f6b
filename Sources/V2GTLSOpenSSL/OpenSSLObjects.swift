#if OpenSSL
import COpenSSL
import V2GPKI
import V2GTLS

/// OpenSSL's thread-local error queue, read and cleared into a `TLSError`.
enum OpenSSLError {
    /// The queue's errors as one line, and the alert a peer sent if one of them is that.
    static func drain() -> (text: String, receivedAlert: String?) {
        let errors = OpenSSLErrorQueue.drain()
        let alert = errors.lazy.map { v2g_ERR_GET_REASON($0.code) }.first { $0 > v2g_SSL_AD_REASON_OFFSET() }
            .map { OpenSSLAlert.name(Int32($0 - v2g_SSL_AD_REASON_OFFSET())) }
        return (errors.map(\.text).joined(separator: "; "), alert)
    }

    /// A PKI-level OpenSSL failure as a `TLSError`.
    static func tls(_ failure: OpenSSLFailure) -> TLSError { .library(failure.description) }

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
