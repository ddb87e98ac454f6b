import AppProtocol
import EXI
import Foundation
import ISO20AC
import ISO20Common
import ISO20DC
import ISO20WPT
import ISO20ACDP
import Testing
import TestSupport
import V2GCodec
import XMLDSig

/// Every message type of every message set round-trips value → bytes → value, over generated
/// values that respect the schema facets (lengths, ranges, enumerations) and occurrence bounds,
/// including the largest arrays the schema allows. Also value → JSON → value.
@Suite(.offPool) struct RoundTripPropertyTests {
    static let samplesPerRoot = 40
    static let orderLossy = ["KeyInfo", "X509Data"]

    struct Case: Sendable, CustomStringConvertible {
        let schema: MessageSchema
        var description: String { schema.rawValue }
    }

    static func random(_ schema: MessageSchema, root: Int, _ r: inout SeededRandom, depth: Int = 6) -> V2GDocument {
        switch schema {
        case .sap: return .sap(AppProtocolDocument.exiRandom(root: root, &r, depth: depth))
        case .common: return .common(CommonMessagesDocument.exiRandom(root: root, &r, depth: depth))
        case .dc: return .dc(DCDocument.exiRandom(root: root, &r, depth: depth))
        case .ac: return .ac(ACDocument.exiRandom(root: root, &r, depth: depth))
        case .wpt: return .wpt(WPTDocument.exiRandom(root: root, &r, depth: depth))
        case .acdp: return .acdp(ACDPDocument.exiRandom(root: root, &r, depth: depth))
        case .xmldsig: return .xmldsig(XMLDSigDocument.exiRandom(root: root, &r, depth: depth))
        }
    }

    /// The largest value of every root type: every optional present, every array at maxOccurs.
    @Test(arguments: MessageSchema.allCases)
    func largestValuesRoundTrip(schema: MessageSchema) throws {
        var r = SeededRandom(seed: 4096 &+ UInt64(MessageSchema.allCases.firstIndex(of: schema)!))
        var largestSize = 0
        var largestName = ""
        for root in 0..<Self.rootCount(schema) {
            let value = Self.random(schema, root: root, &r, depth: EXIRandom.maximal)
            let encoded = Result { () throws(EXIError) -> [UInt8] in try value.encode() }
            guard case .success(let bytes) = encoded else {
                if case .failure(let error) = encoded { #expect(error.kind == .unsupported, "\(value.rootName): \(error)") }
                continue
            }
            #expect(try V2GDocument.decode(bytes, schema: schema) == value, "\(value.rootName) at maxOccurs")
            if bytes.count > largestSize {
                largestSize = bytes.count
                largestName = value.rootName
            }
        }
        print("largest \(schema.rawValue): \(largestName) with every array at maxOccurs is \(largestSize) bytes")
    }

    static func rootCount(_ schema: MessageSchema) -> Int {
        switch schema {
        case .sap: return AppProtocolDocument.rootCount
        case .common: return CommonMessagesDocument.rootCount
        case .dc: return DCDocument.rootCount
        case .ac: return ACDocument.rootCount
        case .wpt: return WPTDocument.rootCount
        case .acdp: return ACDPDocument.rootCount
        case .xmldsig: return XMLDSigDocument.rootCount
        }
    }

    @Test(arguments: MessageSchema.allCases)
    func exiRoundTrip(schema: MessageSchema) throws {
        var r = SeededRandom(seed: 20_22 &+ UInt64(MessageSchema.allCases.firstIndex(of: schema)!))
        var count = 0, bytesTotal = 0, largest = 0
        var unsupported = Set<String>()
        for root in 0..<Self.rootCount(schema) {
            for i in 0..<Self.samplesPerRoot {
                let value = Self.random(schema, root: root, &r)
                let options = EXIEncoder.Options(stringTableHits: i % 2 == 1)
                let bytes: [UInt8]
                do { bytes = try value.encode(options: options) } catch where error.kind == .unsupported {
                    // Types whose every value needs xs:any content (xmldsig SignatureProperty).
                    unsupported.insert(value.rootName)
                    continue
                } catch {
                    Issue.record("encode \(value.rootName): \(error)")
                    continue
                }
                let back = try V2GDocument.decode(bytes, schema: schema)
                #expect(back == value, "\(value.rootName) round trip")
                count += 1
                bytesTotal += bytes.count
                largest = max(largest, bytes.count)
            }
        }
        print("round trip \(schema.rawValue): \(Self.rootCount(schema)) root types, \(count) values, \(bytesTotal) bytes, largest \(largest) bytes; not encodable (wildcard content): \(unsupported.sorted())")
        #expect(unsupported.isSubset(of: ["SignatureProperty", "SignatureProperties"]))
    }

    @Test(arguments: MessageSchema.allCases)
    func jsonRoundTrip(schema: MessageSchema) throws {
        var r = SeededRandom(seed: 99 &+ UInt64(MessageSchema.allCases.firstIndex(of: schema)!))
        for root in 0..<Self.rootCount(schema) {
            for _ in 0..<5 {
                let value = Self.random(schema, root: root, &r)
                let json = try value.jsonString()
                let back = try V2GDocument(json: json, schema: schema)
                // JSON groups a repeated choice by element name (as EXIficient-shaped tools do), so
                // the interleaving of alternatives in xmldsig KeyInfo and X509Data is not kept;
                // there the JSON form is checked to be stable instead.
                if Self.orderLossy.contains(where: { json.contains("\"\($0)\"") }) {
                    #expect(try back.jsonString() == json, "\(value.rootName) JSON is stable")
                } else {
                    #expect(back == value, "\(value.rootName) JSON round trip: \(json.prefix(200))")
                }
            }
        }
    }
}
