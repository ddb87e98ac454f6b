import EXI
import Foundation
import ISO20Common
import Testing
import TestSupport
import V2GCodec

/// String-table hits (EXI 1.0 §7.3.3): our decoder must accept them, because encoders with the
/// default unbounded string table emit them.
@Suite(.offPool) struct StringTableTests {
    /// A ServiceDetailRes whose repeated `Parameter/@Name` values are local-value hits.
    static let serviceDetail: CommonMessagesDocument = {
        func set(_ id: UInt16, _ mode: Int32) -> ParameterSetType {
            ParameterSetType(parameterSetID: id, parameter: [
                ParameterType(name: "Connector", choice: .intValue(1)),
                ParameterType(name: "ControlMode", choice: .intValue(mode)),
                ParameterType(name: "MobilityNeedsMode", choice: .intValue(1)),
            ])
        }
        return .serviceDetailRes(ServiceDetailResType(
            header: MessageHeaderType(sessionID: [1, 2, 3, 4, 5, 6, 7, 8], timeStamp: 1_700_000_000),
            responseCode: .ok, serviceID: 2,
            serviceParameterList: ServiceParameterListType(parameterSet: [set(1, 1), set(2, 2)])))
    }()

    @Test func localValueHitsDecode() throws {
        let withHits = try Self.serviceDetail.encodeEXI(options: .init(stringTableHits: true))
        let withoutHits = try Self.serviceDetail.encodeEXI()
        // Three names written again as local hits: each is 8 bits of "0" plus a 2-bit local id
        // instead of the characters, so the stream with hits is shorter.
        #expect(withHits.count < withoutHits.count)
        #expect(try CommonMessagesDocument.decodeEXI(withHits) == Self.serviceDetail)
        #expect(try CommonMessagesDocument.decodeEXI(withoutHits) == Self.serviceDetail)
    }

    /// The same value under another qname is a global hit.
    @Test func globalValueHitsDecode() throws {
        var e = EXIEncoder(options: .init(stringTableHits: true))
        e.writeString("Connector", qname: 1)
        e.writeString("Connector", qname: 2)   // global hit: 1, then 0 in ⌈log₂ 1⌉ = 0 bits
        e.writeString("Connector", qname: 1)   // local hit: 0, then 0 in 0 bits
        let bytes = e.finish()
        var d = EXIDecoder(bytes)
        #expect(try d.readString(qname: 1) == "Connector")
        #expect(try d.readString(qname: 2) == "Connector")
        #expect(try d.readString(qname: 1) == "Connector")
        // 8 + 9·8 bits for the miss, 8 bits for each hit: 96 bits.
        #expect(bytes.count == 12)
    }

    @Test func hitToMissingEntryIsATypedError() throws {
        var w = BitWriter()
        w.write(1, bits: 8)  // global hit with an empty table
        var d = EXIDecoder(w.finish())
        #expect(throws: EXIError.self) { try d.readString(qname: 0) }
    }
}
