import EXI
import ISO20AC
import ISO20ACDP
import ISO20Common
import ISO20DC
import ISO20WPT
import Testing
import TestSupport
import V2GCodec

/// The per-message plumbing `v2g-codegen` emits beside each -20 document: request and response
/// names, headers, response codes, the FAILED form of every response, the root peek.
@Suite(.offPool) struct GeneratedPlumbingTests {
    static let header = MessageHeaderType(sessionID: [1, 2, 3, 4, 5, 6, 7, 8], timeStamp: 1_795_542_185)

    /// [V2G20-736]: a FAILED response still carries schema-valid mandatory fields. Every request of
    /// every set has one, it encodes, decodes back equal, and answers that request.
    @Test func everyRequestHasASchemaValidFailedResponse() throws {
        func check<D: Equatable>(_ requests: [(String, Bool, String?)], _ failed: (Int) -> D?, encode: (D) throws -> [UInt8],
                                 decode: ([UInt8]) throws -> D, name: (D) -> String, code: (D) -> ResponseCodeType?) throws -> Int {
            var count = 0
            for (i, (request, isRequest, counterpart)) in requests.enumerated() where isRequest {
                guard let response = failed(i) else { Issue.record("\(request) has no FAILED response"); continue }
                let back = try decode(try encode(response))
                #expect(back == response, "\(request)")
                #expect(name(response) == counterpart, "\(request) is answered by \(name(response))")
                #expect(code(response) == .failed_SequenceError)
                count += 1
            }
            return count
        }
        var total = 0
        let common = CommonMessagesDocument.Message.allCases
        total += try check(common.map { ($0.rawValue, $0.isRequest, $0.counterpart?.rawValue) },
                           { CommonMessagesDocument.failedResponse(to: common[$0], code: .failed_SequenceError, header: Self.header) },
                           encode: { try $0.encodeEXI() }, decode: CommonMessagesDocument.decodeEXI, name: \.rootName, code: \.responseCode)
        let dc = DCDocument.Message.allCases
        total += try check(dc.map { ($0.rawValue, $0.isRequest, $0.counterpart?.rawValue) },
                           { DCDocument.failedResponse(to: dc[$0], code: .failed_SequenceError, header: Self.header) },
                           encode: { try $0.encodeEXI() }, decode: DCDocument.decodeEXI, name: \.rootName, code: \.responseCode)
        let ac = ACDocument.Message.allCases
        total += try check(ac.map { ($0.rawValue, $0.isRequest, $0.counterpart?.rawValue) },
                           { ACDocument.failedResponse(to: ac[$0], code: .failed_SequenceError, header: Self.header) },
                           encode: { try $0.encodeEXI() }, decode: ACDocument.decodeEXI, name: \.rootName, code: \.responseCode)
        let wpt = WPTDocument.Message.allCases
        total += try check(wpt.map { ($0.rawValue, $0.isRequest, $0.counterpart?.rawValue) },
                           { WPTDocument.failedResponse(to: wpt[$0], code: .failed_SequenceError, header: Self.header) },
                           encode: { try $0.encodeEXI() }, decode: WPTDocument.decodeEXI, name: \.rootName, code: \.responseCode)
        let acdp = ACDPDocument.Message.allCases
        total += try check(acdp.map { ($0.rawValue, $0.isRequest, $0.counterpart?.rawValue) },
                           { ACDPDocument.failedResponse(to: acdp[$0], code: .failed_SequenceError, header: Self.header) },
                           encode: { try $0.encodeEXI() }, decode: ACDPDocument.decodeEXI, name: \.rootName, code: \.responseCode)
        // 13 common, 5 DC, 2 AC, 6 WPT, 4 ACDP requests.
        #expect(total == 30, "\(total) FAILED responses")
    }

    /// Header, code and rewriting come from the document, whatever the message.
    @Test func headerAndResponseCodeOfEveryMessage() throws {
        var r = SeededRandom(seed: 0x9E4D)
        for _ in 0..<500 {
            let d = DCDocument.exiRandom(root: Int.random(in: 0..<DCDocument.rootCount, using: &r), &r, depth: 3)
            guard let message = d.message else { #expect(d.header == nil); continue }
            #expect(d.header != nil)
            #expect((d.responseCode != nil) == !message.isRequest)
            let moved = d.withHeader(Self.header)
            #expect(moved.header == Self.header)
            #expect(moved.message == message)
        }
    }

    /// What a document that does not decode was meant to be: its root, from the first bits alone.
    @Test func peekNamesTheRootOfATruncatedDocument() throws {
        let loop = DCDocument.failedResponse(to: .dc_ChargeLoopReq, code: .failed, header: Self.header)
        let bytes = try #require(loop).encodeEXI()
        #expect(DCDocument.peekMessage(Array(bytes.prefix(2))) == .dc_ChargeLoopRes)
        #expect(DCDocument.peekMessage(bytes) == .dc_ChargeLoopRes)
        #expect(DCDocument.peekMessage([0x80]) == nil)
        #expect(DCDocument.peekMessage([]) == nil)
    }
}
