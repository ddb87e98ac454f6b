import EXI
import Foundation
import V2GCapture
import V2GPKI
import V2GSession

/// How a trace is written: a timeline line per frame, or a JSON object per frame in the shape of
/// `../shared/captures/*.messages.jsonl` (from, payload_type, hex, i, json) plus time and name.
public enum TraceOutput {
    /// `  0.123456 EVCC → SECC  DC_ChargeLoopReq (EV present 400.0 V)  [OK]`
    public static func line(_ e: TraceEntry, start: Int64) -> String {
        let seconds = Double(e.time - start) / 1e9
        let time = String(seconds.formatted6).leftPadded(to: 11)
        let direction = e.from.map { $0 == .evcc ? "EVCC → SECC" : "SECC → EVCC" } ?? "\(e.source) → \(e.destination)"
        var text = "\(time) \(direction)  \(e.name)"
        switch e.message {
        case .request(let m, let stream)?:
            if let s = m.chargeLoopSummary { text += " (\(s))" }
            if case .side(let side) = stream { text += " [\(side.rawValue) side stream]" }
        case .response(let m, let stream)?:
            if let s = m.chargeLoopSummary { text += " (\(s))" }
            if let code = e.responseCode { text += "  \(code)" }
            if case .side(let side) = stream { text += " [\(side.rawValue) side stream]" }
        default:
            break
        }
        if let error = e.error { text += "  ✘ \(error)" }
        return text
    }

    /// One JSON object, on one line.
    public static func json(_ e: TraceEntry, start: Int64) -> String {
        var fields = [
            "\"i\":\(e.index)",
            "\"time\":\((Double(e.time - start) / 1e9).formatted6)",
            "\"from\":\(quoted(e.from?.rawValue ?? "\(e.source)"))",
            "\"payload_type\":\(quoted("0x" + String(e.payloadType, radix: 16)))",
            "\"hex\":\(quoted(Hex.encode(e.bytes, uppercase: false)))",
            "\"name\":\(quoted(e.name))",
        ]
        if let json = e.json { fields.append("\"json\":\(json)") }
        if let error = e.error { fields.append("\"error\":\(quoted(error))") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// The summary object that ends `--json` output.
    public static func summary(_ trace: Trace, frames: Int, undecoded: Int) -> String {
        let tls = trace.tlsSessions.map { s in
            "{" + [
                "\"client\":\(quoted("\(s.client)"))", "\"server\":\(quoted("\(s.server)"))",
                "\"version\":\(quoted(s.version.map { $0 == 0x0304 ? "TLS 1.3" : "0x" + String($0, radix: 16) } ?? "?"))",
                "\"suite\":\(quoted(s.suite.map(TLSSessionSummary.suiteName) ?? "?"))",
                "\"group\":\(quoted(s.group.map(TLSSessionSummary.groupName) ?? "?"))",
                "\"server_signature\":\(quoted(s.serverSignatureScheme.map(TLSSessionSummary.schemeName) ?? "?"))",
                "\"client_certificates\":\(s.clientCertificates.count)", "\"server_certificates\":\(s.serverCertificates.count)",
                "\"status_request\":\(s.statusRequested)", "\"ocsp_stapled\":\(s.ocspStapled)", "\"frames_decrypted\":\(s.frames)",
                "\"certificates\":[\((certificates("SECC", s.serverChain) + certificates("EVCC", s.clientChain)).joined(separator: ","))]",
            ].joined(separator: ",") + "}"
        }
        let notes = trace.notes.map { quoted($0.text) }
        let findings = trace.findings.map { f in
            "{" + ["\"severity\":\(quoted(f.severity.rawValue))", "\"frame\":\(f.frame.map(String.init) ?? "null")",
                   "\"message\":\(f.message.map(quoted) ?? "null")", "\"requirement\":\(quoted(f.requirement))", "\"text\":\(quoted(f.text))",
                   "\"repeats\":\(f.repeats)", "\"last_frame\":\(f.lastFrame.map(String.init) ?? "null")"]
                .joined(separator: ",") + "}"
        }
        return "{\"summary\":{\"frames\":\(frames),\"undecoded\":\(undecoded),\"packets\":\(trace.packets),\"tls\":[\(tls.joined(separator: ","))],"
            + "\"findings\":[\(findings.joined(separator: ","))],\"notes\":[\(notes.joined(separator: ","))]}}"
    }

    /// Each certificate of a chain, leaf first; null where one is unreadable.
    static func certificates(_ side: String, _ chain: [CertificateSummary?]) -> [String] {
        chain.map { c in
            guard let c else { return "null" }
            return "{" + ["\"side\":\(quoted(side))", "\"subject\":\(quoted(c.subject))", "\"issuer\":\(quoted(c.issuer))",
                          "\"key\":\(quoted(c.keyAlgorithm))", "\"signature\":\(quoted(c.signatureAlgorithm))",
                          "\"not_before\":\(quoted(c.notBefore.formatted(.iso8601)))", "\"not_after\":\(quoted(c.notAfter.formatted(.iso8601)))"]
                .joined(separator: ",") + "}"
        }
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where c.value < 0x20: out += "\\u" + String(String(c.value, radix: 16).leftPadded(to: 4, with: "0"))
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}

extension Double {
    /// Six decimals, without Foundation.
    var formatted6: String {
        let micro = Int64((self * 1_000_000).rounded())
        let sign = micro < 0 ? "-" : ""
        let m = abs(micro)
        return "\(sign)\(m / 1_000_000).\(String(m % 1_000_000).leftPadded(to: 6, with: "0"))"
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = " ") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
