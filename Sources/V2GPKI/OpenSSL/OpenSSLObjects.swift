#if OpenSSL
import COpenSSL
import Foundation
import X509

/// A call into OpenSSL that failed, with what its error queue said.
public struct OpenSSLFailure: Error, CustomStringConvertible, Sendable, Equatable {
    public let operation: String
    public let detail: String
    public var description: String { "\(operation): \(detail.isEmpty ? "failed" : detail)" }

    /// The failure of `operation`, with the thread's error queue drained into it.
    package static func last(_ operation: String) -> OpenSSLFailure {
        OpenSSLFailure(operation: operation, detail: OpenSSLErrorQueue.drain().map(\.text).joined(separator: "; "))
    }
}

/// OpenSSL's thread-local error queue.
package enum OpenSSLErrorQueue {
    /// Every queued error (code and OpenSSL's one-line text), oldest first; the queue is left empty.
    package static func drain() -> [(code: UInt, text: String)] {
        var errors: [(UInt, String)] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            errors.append((code, String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)))
        }
        return errors
    }
}

/// An OpenSSL `X509`, owned: from DER or a swift-certificates `Certificate`, and back.
package final class OpenSSLX509 {
    package let x509: OpaquePointer

    package init(der: [UInt8]) throws(OpenSSLFailure) {
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw .last("d2i_X509") }
        x509 = parsed
    }

    package convenience init(_ certificate: Certificate) throws(OpenSSLFailure) {
        let der: [UInt8]
        do { der = try certificate.derBytes } catch { throw OpenSSLFailure(operation: "encoding a certificate", detail: "\(error)") }
        try self.init(der: der)
    }

    deinit { X509_free(x509) }

    /// An ASN.1 time (UTCTime or GeneralizedTime) as a date.
    package static func date(_ time: UnsafePointer<ASN1_TIME>) -> Date? {
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    /// The DER of an `X509` OpenSSL holds.
    package static func der(_ x509: OpaquePointer) throws(OpenSSLFailure) -> [UInt8] {
        try OpenSSLDER.encode("i2d_X509") { i2d_X509(x509, $0) }
    }
}

/// An OpenSSL `EVP_PKEY`, owned, from a PKCS#8 PEM.
package final class OpenSSLPrivateKey {
    package let pkey: OpaquePointer

    package init(pem: String) throws(OpenSSLFailure) {
        let bytes = Array(pem.utf8)
        let parsed: OpaquePointer? = bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let parsed else { throw .last("PEM_read_bio_PrivateKey") }
        pkey = parsed
    }

    /// Takes ownership of `pkey`.
    package init(owning pkey: OpaquePointer) { self.pkey = pkey }

    deinit { EVP_PKEY_free(pkey) }
}

/// A `STACK_OF(X509)` of borrowed certificates (the stack holds no references: the owners must
/// outlive it).
package final class OpenSSLCertificateStack {
    package let stack: OpaquePointer

    package init(_ certificates: [OpenSSLX509]) throws(OpenSSLFailure) {
        guard let stack = v2g_sk_X509_new_null() else { throw .last("sk_X509_new_null") }
        self.stack = stack
        for certificate in certificates where v2g_sk_X509_push(stack, certificate.x509) == 0 {
            throw .last("sk_X509_push")
        }
    }

    deinit { v2g_sk_X509_free(stack) }
}

/// DER out of OpenSSL's `i2d_*` functions (called twice: for the length, then to write).
package enum OpenSSLDER {
    package static func encode(_ what: String, _ i2d: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) throws(OpenSSLFailure) -> [UInt8] {
        let length = i2d(nil)
        guard length > 0 else { throw .last(what) }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d(&cursor)
        }
        guard written == length else { throw .last(what) }
        return bytes
    }
}
#endif
