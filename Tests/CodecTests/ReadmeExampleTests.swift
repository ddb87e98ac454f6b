import EXI
import ISO20Common
import Testing
import TestSupport
import V2GCodec

/// The library example of the README, kept compiling and true.
@Suite(.offPool) struct ReadmeExampleTests {
    @Test func sessionSetupRoundTrip() throws {
        let request = CommonMessagesDocument.sessionSetupReq(SessionSetupReqType(
            header: MessageHeaderType(sessionID: [0, 0, 0, 0, 0, 0, 0, 0], timeStamp: 1_739_635_913),
            evccid: "WMIV1234567890ABCDEX"))
        let bytes = try request.encodeEXI()
        let decoded = try CommonMessagesDocument.decodeEXI(bytes)
        #expect(decoded == request)
        #expect(Hex.encode(bytes, uppercase: false) == "808c0400000000000000000c9f9c2bd0620b2ba6a4ab1899199a1a9b1b9c1c9820a121a222ac00")
        let json = try V2GDocument.common(decoded).jsonString()
        #expect(json == #"{"SessionSetupReq":{"EVCCID":"WMIV1234567890ABCDEX","Header":{"SessionID":"0000000000000000","TimeStamp":1739635913}}}"#)
    }

    /// A wrong SessionID length is a facet error that names the field.
    @Test func facetErrorsNameTheField() throws {
        let bad = CommonMessagesDocument.sessionStopReq(SessionStopReqType(
            header: MessageHeaderType(sessionID: [1, 2, 3], timeStamp: 0), chargingSession: .terminate))
        #expect { try bad.encodeEXI() } throws: { error in
            guard let e = error as? EXIError else { return false }
            return e.kind == .facetViolation && e.path == ["SessionStopReq", "Header", "SessionID"]
        }
    }
}
