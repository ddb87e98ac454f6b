import EXI
import Foundation
import Testing
import TestSupport
import V2GCodec
import V2GTP

/// A real -20 DC session between Josev's EVCC and SECC (`captures/josev-dc-eim-notls.messages.jsonl`):
/// every EXI frame decodes through its V2GTP payload type to Josev's JSON and re-encodes to the
/// same frame.
@Suite(.offPool) struct CaptureTests {
    struct Frame: Sendable {
        let hex: String
        let json: String?
        let from: String
    }

    static let frames: [Frame] = {
        guard let root = TestData.root,
              let text = try? String(contentsOf: root.appendingPathComponent("captures/josev-dc-eim-notls.messages.jsonl"), encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            let json = o["json"].flatMap { try? JSONSerialization.data(withJSONObject: $0) }.map { String(decoding: $0, as: UTF8.self) }
            return Frame(hex: o["hex"] as? String ?? "", json: json, from: o["from"] as? String ?? "")
        }
    }()

    @Test(.enabled(if: TestData.available, "no test data: set V2G_TEST_DATA or place shared/ beside the package"))
    func josevSessionFramesRoundTrip() throws {
        let exiFrames = Self.frames.filter { $0.json != nil }
        #expect(exiFrames.count > 20)
        for f in exiFrames {
            let bytes = try #require(Hex.decode(f.hex))
            let (type, doc) = try V2GDocument.decode(v2gtpFrame: bytes)
            let ours = try JSONSerialization.jsonObject(with: Data(try doc.jsonString().utf8))
            let theirs = try JSONSerialization.jsonObject(with: Data(f.json!.utf8))
            #expect(JSONCompare.equal(ours, theirs), "\(f.from) \(doc.rootName)")
            let frame = V2GTPFrame(payloadType: type, payload: try doc.encode())
            #expect(Hex.encode(frame.bytes, uppercase: false) == f.hex, "\(f.from) \(doc.rootName) re-encoded")
        }
        print("capture josev-dc-eim-notls: \(exiFrames.count) EXI frames decoded and re-encoded byte-exact")
    }

    @Test func malformedFramesAreTypedErrors() {
        #expect(throws: V2GTPError.truncatedHeader(3)) { try V2GTPFrame(parsing: [1, 0xFE, 0x80]) }
        #expect(throws: V2GTPError.unsupportedVersion(2)) { try V2GTPFrame(parsing: [2, 0xFD, 0x80, 1, 0, 0, 0, 0]) }
        #expect(throws: V2GTPError.inverseVersionMismatch(0xFF)) { try V2GTPFrame(parsing: [1, 0xFF, 0x80, 1, 0, 0, 0, 0]) }
        #expect(throws: V2GTPError.truncatedPayload(expected: 4, actual: 1)) { try V2GTPFrame(parsing: [1, 0xFE, 0x80, 1, 0, 0, 0, 4, 0x80]) }
        #expect(throws: V2GTPError.payloadTooLarge(length: 0xFFFF_FFFF, maximum: 65_536)) {
            try V2GTPFrame(parsing: [1, 0xFE, 0x80, 1, 0xFF, 0xFF, 0xFF, 0xFF])
        }
        #expect(throws: V2GTPError.unknownPayloadType(0x7777)) {
            try V2GDocument.decode(v2gtpFrame: [1, 0xFE, 0x77, 0x77, 0, 0, 0, 1, 0x80])
        }
    }
}
