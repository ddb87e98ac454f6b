import EXI
import Foundation
import ISO20AC
import ISO20ACDP
import ISO20Common
import ISO20DC
import ISO20WPT
import XMLDSig

extension MessageSchema {
    /// The generated coder of EXI fragments of this set, if the set has signable elements.
    public var fragmentCoder: (any EXIRootCoder.Type)? {
        switch self {
        case .sap: return nil
        case .common: return CommonMessagesFragment.self
        case .dc: return DCFragment.self
        case .ac: return ACFragment.self
        case .wpt: return WPTFragment.self
        case .acdp: return ACDPFragment.self
        case .xmldsig: return XMLDSigFragment.self
        }
    }
}

/// An EXI fragment holding one element (EXI 1.0 §8.5.2): what an XML signature digests or signs.
public struct V2GFragment: Sendable, Hashable {
    public let schema: MessageSchema
    public let value: any EXIRootCoder

    public init(_ value: any EXIRootCoder, schema: MessageSchema) {
        self.value = value
        self.schema = schema
    }

    public static func == (a: V2GFragment, b: V2GFragment) -> Bool {
        a.schema == b.schema && AnyHashable(a.value) == AnyHashable(b.value)
    }

    public func hash(into h: inout Hasher) {
        h.combine(schema)
        h.combine(AnyHashable(value))
    }

    public var rootName: String { value.rootName }

    public static func decode(_ bytes: [UInt8], schema: MessageSchema) throws(EXIError) -> V2GFragment {
        guard let coder = schema.fragmentCoder else {
            throw EXIError(.unsupported, "the \(schema.rawValue) message set has no signable elements")
        }
        return V2GFragment(try coder.decodeEXI(bytes), schema: schema)
    }

    public func encode(options: EXIEncoder.Options = .default) throws(EXIError) -> [UInt8] {
        try value.encodeEXI(options: options)
    }

    public init(json: String, schema: MessageSchema) throws {
        guard let coder = schema.fragmentCoder else {
            throw EXIError(.unsupported, "the \(schema.rawValue) message set has no signable elements")
        }
        func decode<T: EXIRootCoder>(_ t: T.Type) throws -> any EXIRootCoder {
            do { return try JSONDecoder().decode(T.self, from: Data(json.utf8)) } catch let e as DecodingError {
                throw EXIError(.invalidJSON, V2GDocument.describe(e))
            }
        }
        self.init(try decode(coder), schema: schema)
    }

    public func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// The inputs of ISO 15118-20 XML signatures (PROTOCOL-NOTES §1.3): a `Reference` digests the EXI
/// fragment of the referenced element, encoded with its message set's fragment grammar; the
/// signature is computed over the EXI fragment of `SignedInfo`, encoded with the grammar of
/// xmldsig-core-schema.xsd alone. Both include the `0x80` header and the final padding.
public enum SignatureInput {
    /// The bytes to digest for a signable element of CommonMessages (`PnC_AReqAuthorizationMode`,
    /// `OEMProvisioningCertificateChain`, `SignedInstallationData`, `SignedMeteringData`,
    /// `AbsolutePriceSchedule`, `PriceLevelSchedule`).
    public static func bytesToDigest(_ element: CommonMessagesFragment, options: EXIEncoder.Options = .default) throws(EXIError) -> [UInt8] {
        try element.encodeEXI(options: options)
    }

    /// The bytes to sign for a `SignedInfo`.
    public static func bytesToSign(_ signedInfo: SignedInfoType, options: EXIEncoder.Options = .default) throws(EXIError) -> [UInt8] {
        try XMLDSigFragment.signedInfo(signedInfo).encodeEXI(options: options)
    }
}
