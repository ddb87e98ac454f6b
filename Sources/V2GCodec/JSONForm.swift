import Foundation
import EXI
import XMLDSig
import AppProtocol
import ISO20Common
import ISO20DC
import ISO20AC
import ISO20ACDP
import ISO20WPT

/// The JSON form of documents, in the shape of EXIficient-based tools (`../shared/vectors`).
extension V2GDocument {
    /// Parses JSON (`{"RootElement": {…}}`) as a document of `schema`.
    public init(json: String, schema: MessageSchema) throws {
        let data = Data(json.utf8)
        let decoder = JSONDecoder()
        do {
            switch schema {
            case .sap: self = .sap(try decoder.decode(AppProtocolDocument.self, from: data))
            case .common: self = .common(try decoder.decode(CommonMessagesDocument.self, from: data))
            case .dc: self = .dc(try decoder.decode(DCDocument.self, from: data))
            case .ac: self = .ac(try decoder.decode(ACDocument.self, from: data))
            case .wpt: self = .wpt(try decoder.decode(WPTDocument.self, from: data))
            case .acdp: self = .acdp(try decoder.decode(ACDPDocument.self, from: data))
            case .xmldsig: self = .xmldsig(try decoder.decode(XMLDSigDocument.self, from: data))
            }
        } catch let e as DecodingError {
            throw EXIError(.invalidJSON, Self.describe(e))
        }
    }

    /// One-line JSON, keys in schema order where the encoder keeps them.
    public func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let data: Data
        switch self {
        case .sap(let d): data = try encoder.encode(d)
        case .common(let d): data = try encoder.encode(d)
        case .dc(let d): data = try encoder.encode(d)
        case .ac(let d): data = try encoder.encode(d)
        case .wpt(let d): data = try encoder.encode(d)
        case .acdp(let d): data = try encoder.encode(d)
        case .xmldsig(let d): data = try encoder.encode(d)
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func describe(_ e: DecodingError) -> String {
        func path(_ p: [any CodingKey]) -> String { p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: "/") }
        switch e {
        case .keyNotFound(let k, let c): return "missing \(k.stringValue) at \(path(c.codingPath))"
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            return "\(c.debugDescription) at \(path(c.codingPath))"
        @unknown default: return "\(e)"
        }
    }
}
