import EXI
import Foundation
import V2GCodec
import V2GPKI
import V2GSession
import V2GTP

/// Where each target's fuzzing starts: inputs in the target's layout made from the shared test
/// data (`../shared` or `$V2G_TEST_DATA`: the EXI vectors, the SDP vectors, the real captures and
/// their frames) and from our own test PKI. Written to the corpus folder when a harness starts
/// (`FuzzHarness`), and replayed by `FuzzRegressionTests`.
public enum FuzzSeeds {
    public static func seeds(for target: FuzzTarget, data root: URL) -> [[UInt8]] {
        switch target {
        case .exi:
            return lines(root, "vectors/iso15118-20.jsonl").compactMap { line in
                guard let namespace = line["namespace"] as? String, let schema = MessageSchema(namespace: namespace),
                      let index = EXIFuzzing.schemas.firstIndex(of: schema), let exi = (line["exi_hex"] as? String).flatMap(Hex.decode) else { return nil }
                return [UInt8(index) | (line["kind"] as? String == "fragment" ? 0x80 : 0)] + exi
            }
        case .sdp:
            return lines(root, "vectors/sdp.jsonl").compactMap { ($0["v2gtp_hex"] as? String).flatMap(Hex.decode) }
        case .v2gtp:
            return captureFrames(root).flatMap { frames in frames.map { [3] + $0.bytes } + [[0x41] + frames.flatMap(\.bytes)] }
        case .capture:
            return ["captures/josev-dc-eim-notls.pcap", "captures/ISO-20_BPT_AC_DS5366_Josev.pcapng"].compactMap { name in
                (try? Data(contentsOf: root.appendingPathComponent(name))).map { [0xFF] + Array($0) }
            }
        case .pki:
            guard let pki = try? TestPKI() else { return [] }
            let certificates = pki.files.compactMap { try? $0.1.certificate.derBytes }
            let pem = pki.files.compactMap { try? $0.1.certificate.serializeAsPEM().pemString }.joined(separator: "\n")
            let key = (try? PrivateKeyPEM.encode(pki.secc.privateKey, encryption: PrivateKeyPEM.Encryption(passphrase: "fuzz"))) ?? ""
            return certificates + [Array(pem.utf8), Array(key.utf8)]
        case .secc, .evcc:
            // Each capture's conversation from one side, in `FuzzStep`'s layout; and the same with
            // the SECC's sequence timer expiring half way.
            let sender = target == .secc ? "EVCC" : "SECC"
            return captureLines(root).flatMap { lines -> [[UInt8]] in
                var steps: [FuzzStep] = []
                var last: MessageKind?
                for line in lines {
                    guard line["from"] as? String == sender, let frame = frame(line), frame.payloadType < 0x9000 else { continue }
                    // Josev's charger answered these Ongoing a few times; ours (the harness's
                    // EVSE) finishes at once, so the EV's repetitions would be out of sequence.
                    let kind = MessageKind(peeking: frame)
                    if target == .secc, kind == last, let kind, Self.repeatedWhileOngoing.contains(kind) { continue }
                    last = kind
                    steps.append(.frame(frame))
                }
                var interrupted = steps
                interrupted.insert(.timer(.sequence), at: steps.count / 2)
                return [FuzzStep.encode(steps), FuzzStep.encode(interrupted)]
            }
        }
    }

    static let repeatedWhileOngoing: Set<MessageKind> = [.common(.authorizationReq), .common(.scheduleExchangeReq), .dc(.dc_CableCheckReq)]

    private static func lines(_ root: URL, _ path: String) -> [[String: Any]] {
        guard let text = try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// The shared captures' reference decodes, one list of lines per capture.
    private static func captureLines(_ root: URL) -> [[[String: Any]]] {
        ["captures/josev-dc-eim-notls.messages.jsonl", "captures/ISO-20_BPT_AC_DS5366_Josev.messages.jsonl"].map { lines(root, $0) }
    }

    private static func captureFrames(_ root: URL) -> [[V2GTPFrame]] { captureLines(root).map { $0.compactMap(frame) } }

    private static func frame(_ line: [String: Any]) -> V2GTPFrame? {
        guard let bytes = (line["hex"] as? String).flatMap(Hex.decode), bytes.count >= 8 else { return nil }
        return V2GTPFrame(payloadType: UInt16(bytes[2]) << 8 | UInt16(bytes[3]), payload: Array(bytes[8...]))
    }
}
