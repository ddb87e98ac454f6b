import SwiftASN1
import X509

extension Certificate {
    /// The certificate's DER encoding.
    public var derBytes: [UInt8] {
        get throws {
            var serializer = DER.Serializer()
            try serializer.serialize(self)
            return serializer.serializedBytes
        }
    }
}

/// Certificates as a caller has them: swift-certificates values (P-521 chains), or DER — what
/// OpenSSL reads, Ed448 certificates included, which swift-certificates cannot parse.
public enum CertificateList: Sendable, Equatable {
    case certificates([Certificate])
    case der([[UInt8]])

    public var count: Int {
        switch self {
        case .certificates(let list): list.count
        case .der(let list): list.count
        }
    }

    /// Every certificate as DER.
    public func der() throws -> [[UInt8]] {
        switch self {
        case .der(let list): return list
        case .certificates(let list): return try list.map { try $0.derBytes }
        }
    }

    /// Every certificate as a swift-certificates value; throws for what it cannot parse (Ed448).
    public func certificates() throws -> [Certificate] {
        switch self {
        case .certificates(let list): return list
        case .der(let list): return try list.map { try Certificate(derEncoded: $0) }
        }
    }
}
