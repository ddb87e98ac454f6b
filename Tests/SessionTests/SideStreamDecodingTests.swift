import EXI
import ISO20AC
import ISO20ACDP
import ISO20Common
import ISO20DC
import ISO20WPT
import Testing
import TestSupport
import V2GCodec
import V2GSession
import V2GTP

/// Side streams 0x8101–0x8104 (PROTOCOL-NOTES §2): every message of every -20 set, framed on each
/// side stream, decodes to itself where the stream carries it and is refused as `notCarried`
/// where it does not. On 0x8101 the message set is found from the root event code alone; this
/// shows the choice is unambiguous for all ten messages the stream carries, whatever the session.
@Suite(.offPool) struct SideStreamDecodingTests {
    static func documents() -> [(MessageSchema, V2GDocument)] {
        var r = SeededRandom(seed: 0x8101)
        var all: [(MessageSchema, V2GDocument)] = []
        for root in 0..<CommonMessagesDocument.rootCount { all.append((.common, .common(CommonMessagesDocument.exiRandom(root: root, &r, depth: 4)))) }
        for root in 0..<DCDocument.rootCount { all.append((.dc, .dc(DCDocument.exiRandom(root: root, &r, depth: 4)))) }
        for root in 0..<ACDocument.rootCount { all.append((.ac, .ac(ACDocument.exiRandom(root: root, &r, depth: 4)))) }
        for root in 0..<WPTDocument.rootCount { all.append((.wpt, .wpt(WPTDocument.exiRandom(root: root, &r, depth: 4)))) }
        for root in 0..<ACDPDocument.rootCount { all.append((.acdp, .acdp(ACDPDocument.exiRandom(root: root, &r, depth: 4)))) }
        return all
    }

    @Test(arguments: SideStream.allCases)
    func eachStreamCarriesExactlyItsMessages(stream: SideStream) throws {
        var carried = Set<String>()
        for (schema, document) in Self.documents() {
            guard let bytes = try? document.encode() else { continue }
            let frame = V2GTPFrame(payloadType: stream.payloadType.rawValue, payload: bytes)
            guard let kind = MessageKind(peeking: bytes, schema: schema), kind != .supportedAppProtocol else { continue }
            // The codec (`exi decode --v2gtp`, `v2g trace`) decides as the sessions do.
            let codec = try? V2GDocument.decode(v2gtpFrame: frame.bytes).1
            let session = kind.isRequest ? (try? V2GRequest(anyStream: frame))?.document : (try? V2GResponse(anyStream: frame))?.document
            #expect(codec == session, "\(kind) on \(stream): the codec and the sessions disagree")
            if kind.isRequest {
                check(document, Result { () throws(MessageDecodingError) in try V2GRequest(anyStream: frame) }, kind, stream, &carried)
            } else {
                check(document, Result { () throws(MessageDecodingError) in try V2GResponse(anyStream: frame) }, kind, stream, &carried)
            }
        }
        #expect(carried.count == stream.requests.count * 2, "\(stream): \(carried.sorted())")
    }

    /// A message the stream carries decodes to itself. One it does not is refused: as
    /// `notCarried` when its root event code names nothing the stream carries under any of the
    /// stream's sets, otherwise (its code is that of a carried message of another set) as the
    /// EXI error of the message the receiver must take it for; it is never accepted as itself.
    private func check<SAP>(_ expected: V2GDocument, _ decoded: Result<V2GMessage<SAP>, MessageDecodingError>, _ kind: MessageKind,
                            _ stream: SideStream, _ carried: inout Set<String>) {
        switch decoded {
        case .success(let m) where stream.carries(kind):
            #expect(m.document == expected, "\(kind) on \(stream)")
            carried.insert("\(kind)")
        case .success(let m):
            #expect(m.kind.map(stream.carries) == true && m.kind != kind, "\(kind) accepted on \(stream)")
        case .failure(.notCarried(let t, _)):
            #expect(!stream.carries(kind), "\(kind) refused on \(stream)")
            #expect(t == stream.payloadType.rawValue)
        case .failure(.exi(_, let meant)):
            #expect(!stream.carries(kind) && meant.map(stream.carries) == true, "\(kind) on \(stream)")
        case .failure(let e):
            Issue.record("\(kind) on \(stream): \(e)")
        }
    }

    /// A frame goes out on the stream it is meant for; the main stream's payload type names the set.
    @Test func framesCarryTheStreamsPayloadType() throws {
        let request = V2GRequest.common(.meteringConfirmationReq(MeteringConfirmationReqType(
            header: MessageHeaderType(sessionID: [1, 2, 3, 4, 5, 6, 7, 8], timeStamp: 1),
            signedMeteringData: SignedMeteringDataType(id: "id1", sessionID: [1, 2, 3, 4, 5, 6, 7, 8],
                                                       meterInfo: MeterInfoType(meterID: "M", chargedEnergyReadingWh: 1),
                                                       smdtControlMode: .dynamic_SMDTControlMode(Dynamic_SMDTControlModeType())))))
        #expect(try request.frame(on: .side(.meteringConfirmation)).payloadType == 0x8102)
        #expect(try request.frame(on: .main).payloadType == 0x8002)
        #expect(V2GRequest.stream(of: try request.frame(on: .side(.meteringConfirmation))) == V2GStream.side(.meteringConfirmation))
        #expect(V2GRequest.stream(of: V2GTPFrame(payloadType: 0x9000, payload: [])) == nil)
        #expect(try V2GRequest(anyStream: request.frame(on: .main)) == request)
    }
}
