import EXI
import Foundation
import ISO20Common
import ISO20DC
import V2GCapture
import V2GSession
import V2GTLS

/// The checks a trace runs against ISO 15118-20, frame by frame as they come (so a capture of
/// any size is checked without keeping its frames), then over the TLS sessions at the end:
/// - the message sequence: each request against the state our SECC would be in, followed from
///   the answers (`SECCSequenceObserver`): what it would refuse with FAILED_SequenceError;
/// - request and response in turn: a response to the request before it, no second request
///   before the answer (the main stream; side streams have their own turn);
/// - SessionID: every message after SessionSetup carries the one SessionSetupRes gave ([V2G20-460]);
/// - response codes: a FAILED code ends the session, so nothing may follow it; WARNING codes noted;
/// - timing: a response after V2G_EVCC_Msg_Timeout (the EV would have given up) or after the
///   known V2G_SECC_Msg_Performance_Time; the next request after V2G_SECC_Sequence_Timeout (0.5 s
///   after a charge loop response, [V2G20-1500]/[V2G20-1502], 60 s otherwise, [V2G20-443]) or after
///   V2G_EVCC_Sequence_Performance_Time in the loop (0.25 s); the cable check within 40 s and
///   pre-charge within 10 s; Ongoing repetitions within 60 s (PROTOCOL-NOTES §8);
/// - limits in the loop against what ChargeParameterDiscovery announced (`TraceLimits`);
/// - the TLS profile: TLS 1.3, its suites, groups and signature schemes, the EVCC's certificate
///   and status_request; V2G on TCP without TLS at all.
public struct TraceChecker: Sendable {
    public private(set) var findings: [TraceFinding] = []
    /// Findings past `maximumFindings`, counted, not kept (a capture of any length stays bounded).
    public private(set) var suppressedFindings = 0
    public static let maximumFindings = 1000

    private struct Conversation: Sendable {
        var pending: TraceEntry?
        var lastResponse: TraceEntry?
        var sessionID: ShortBinary?
        var failed: TraceEntry?
        var phaseStart: [MessageKind: Int64] = [:]
        var limits = TraceLimits()
        /// Findings reported once per connection: their index in `findings`, by check.
        var reported: [String: Int] = [:]
        /// The SECC's state as the conversation shows it; unknown when the capture starts mid-session.
        var sequence: SECCSequenceObserver?
    }

    private var conversations: [Set<Endpoint>: Conversation] = [:]
    /// Sessions paused (SessionID → the service selected): a resume on a later connection
    /// continues in it. Bounded: the oldest are forgotten.
    private var paused: [ShortBinary: SelectedServiceType] = [:]
    private var pausedOrder: [ShortBinary] = []
    static let pausedLimit = 4096
    private var plainTCP = false

    public init() {}

    static func seconds(_ ns: Int64) -> Double { Double(ns) / 1e9 }
    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
    static func text(_ s: Double) -> String { s.formatted6.replacingOccurrences(of: "000$", with: "", options: .regularExpression) + " s" }

    public mutating func add(_ e: TraceEntry, encrypted: Bool) {
        let key: Set<Endpoint> = [e.source, e.destination]
        var c = conversations[key] ?? Conversation()
        defer { conversations[key] = c }
        switch e.message {
        case .request(let m, .main)?:
            if !encrypted, e.payloadType != 0x8001 || m.kind != .supportedAppProtocol { plainTCP = true }
            request(m, e, &c)
        case .response(let m, .main)?:
            response(m, e, &c)
        case .request(let m, .side(.scheduleRenegotiation))?:
            // New limits agreed beside the loop count from here on.
            for check in c.limits.request(m) { noteOnce(check, e, &c) }
        case .response(let m, .side(.scheduleRenegotiation))?:
            for check in c.limits.response(m) { noteOnce(check, e, &c) }
        default:
            break
        }
    }

    private mutating func note(_ severity: TraceFinding.Severity, _ e: TraceEntry?, _ requirement: String, _ text: String) {
        guard findings.count < Self.maximumFindings else { suppressedFindings += 1; return }
        findings.append(TraceFinding(severity: severity, time: e?.time, frame: e?.index, message: e?.name, requirement: requirement, text: text))
    }

    /// A finding that holds frame after frame: listed at its first frame, counted afterwards.
    private mutating func noteOnce(_ check: TraceLimits.Check, _ e: TraceEntry, _ c: inout Conversation) {
        let key = "\(check.requirement) \(e.name) \(check.id)"
        if let index = c.reported[key] {
            findings[index].repeats += 1
            findings[index].lastFrame = e.index
        } else {
            c.reported[key] = findings.count
            note(check.severity, e, check.requirement, check.text)
        }
    }

    private mutating func request(_ m: V2GRequest, _ e: TraceEntry, _ c: inout Conversation) {
        guard let kind = m.kind else { return }
        if c.sequence == nil {
            // The first request seen: from the start of a session, or mid-session (not judged).
            c.sequence = kind == .supportedAppProtocol ? SECCSequenceObserver() : SECCSequenceObserver(midSession: ())
        }
        if c.sequence?.accepts(m) == false, let state = c.sequence?.state {
            note(.violation, e, "[V2G20-459] the message sequence", "out of sequence in state \(state): our SECC would answer FAILED_SequenceError")
        }
        if let failed = c.failed {
            note(.violation, e, "ISO 15118-20 8.6: a FAILED response code ends the session",
                 "the EVCC went on after \(failed.name) answered \(failed.responseCode ?? "FAILED") (frame \(failed.index))")
            c.failed = nil
        }
        if let pending = c.pending {
            note(.violation, e, "[V2G20-459]: one request at a time", "sent before \(pending.name) (frame \(pending.index)) was answered")
        }
        if let last = c.lastResponse {
            let gap = Self.seconds(e.time - last.time)
            let loop = last.message.flatMap { if case .response(let r, _) = $0 { return r.kind?.isChargeLoop }; return nil } ?? false
            let timeout = loop ? V2GTiming.seccSequenceTimeoutChargeLoop : V2GTiming.seccSequenceTimeout
            if gap > Self.seconds(timeout) {
                note(.violation, e, loop ? "[V2G20-1500]/[V2G20-1502] V2G_SECC_Sequence_Timeout" : "[V2G20-443] V2G_SECC_Sequence_Timeout",
                     "came \(Self.text(gap)) after \(last.name), past the \(Self.text(Self.seconds(timeout))) the SECC waits")
            } else if loop, kind.isChargeLoop, gap > Self.seconds(V2GTiming.evccSequencePerformanceTimeChargeLoop) {
                note(.warning, e, "V2G_EVCC_Sequence_Performance_Time (Tables 216/217)",
                     "came \(Self.text(gap)) after the last charge loop response, past 0.25 s")
            }
        }
        // SessionID: zero or a paused session's in SessionSetupReq; the agreed one afterwards.
        if kind != .common(.sessionSetupReq), kind != .supportedAppProtocol, let id = c.sessionID, let header = m.header, header.sessionID != id {
            note(.violation, e, "[V2G20-460]", "SessionID \(hex(header.sessionID)) is not the session's \(hex(id))")
        }
        // Phases that repeat: their overall limits.
        let phase: (MessageKind, Duration, String)? = switch kind {
        case .dc(.dc_CableCheckReq): (kind, V2GTiming.evccCableCheckTimeout, "V2G_EVCC_CableCheck_Timeout")
        case .dc(.dc_PreChargeReq): (kind, V2GTiming.evccPreChargeTimeout, "V2G_EVCC_PreCharge_Timeout")
        case .common(.authorizationReq), .common(.scheduleExchangeReq): (kind, V2GTiming.evccOngoingTimeout, "V2G_EVCC_Ongoing_Timeout")
        default: nil
        }
        if let (k, limit, name) = phase {
            let start = c.phaseStart[k] ?? e.time
            c.phaseStart[k] = start
            if Self.seconds(e.time - start) > Self.seconds(limit) {
                note(.violation, e, "\(name) (PROTOCOL-NOTES §8)", "\(kind) still repeated \(Self.text(Self.seconds(e.time - start))) after it began, past \(Self.text(Self.seconds(limit)))")
                c.phaseStart[k] = e.time  // once per overrun
            }
        }
        for k in c.phaseStart.keys where k != kind { c.phaseStart[k] = nil }
        for check in c.limits.request(m) { noteOnce(check, e, &c) }
        c.pending = e
    }

    private mutating func response(_ m: V2GResponse, _ e: TraceEntry, _ c: inout Conversation) {
        guard let kind = m.kind else { return }
        guard let pending = c.pending, case .request(let request, _)? = pending.message, let requestKind = request.kind else {
            note(.violation, e, "ISO 15118-20 8.8: the SECC answers requests", "a response with no request before it")
            return
        }
        c.pending = nil
        c.lastResponse = e
        guard requestKind.isAnswered(by: kind) else {
            note(.violation, e, "[V2G20-459]", "answers \(pending.name) (frame \(pending.index)) with \(e.name)")
            return
        }
        let delay = Self.seconds(e.time - pending.time)
        let timeout = Self.seconds(V2GTiming.evccMessageTimeout(for: requestKind))
        if delay > timeout {
            note(.violation, e, "V2G_EVCC_Msg_Timeout (PROTOCOL-NOTES §8)", "answered \(Self.text(delay)) after the request: the EV waits \(Self.text(timeout))")
        } else if let performance = V2GTiming.seccPerformanceTime(for: requestKind), delay > Self.seconds(performance) {
            note(.warning, e, "V2G_SECC_Msg_Performance_Time (Tables 215/217)", "answered \(Self.text(delay)) after the request, past \(Self.text(Self.seconds(performance)))")
        }
        follow(request, m, &c)
        if case .common(.sessionSetupRes(let s)) = m { c.sessionID = s.header.sessionID }
        else if let id = c.sessionID, let header = m.header, kind != .supportedAppProtocol, header.sessionID != id {
            note(.violation, e, "[V2G20-460]", "SessionID \(hex(header.sessionID)) is not the session's \(hex(id))")
        }
        if let code = m.responseCode?.rawValue {
            if code.hasPrefix("FAILED") {
                c.failed = e
                note(.violation, e, "the SECC's verdict", "\(code): the session ends here")
            } else if code.hasPrefix("WARNING") {
                note(.warning, e, "the SECC's verdict", code)
            }
        }
        for check in c.limits.response(m) { noteOnce(check, e, &c) }
    }

    /// The sequence moves on with the answer; a pause is remembered for the resume.
    private mutating func follow(_ request: V2GRequest, _ response: V2GResponse, _ c: inout Conversation) {
        var resuming: SelectedServiceType?
        if case .common(.sessionSetupRes(let r)) = response, r.responseCode == .ok_OldSessionJoined {
            resuming = paused.removeValue(forKey: r.header.sessionID)
            if resuming != nil { pausedOrder.removeAll { $0 == r.header.sessionID } }
        }
        if case .common(.sessionStopReq(let stop)) = request, stop.chargingSession == .pause, response.responseCode == .ok,
           let id = c.sessionID, let service = c.sequence?.selectedService {
            if paused.updateValue(service, forKey: id) == nil { pausedOrder.append(id) }
            if pausedOrder.count > Self.pausedLimit { paused[pausedOrder.removeFirst()] = nil }
        }
        c.sequence?.observe(request, answeredBy: response, resuming: resuming)
    }

    /// A connection closed: its state goes (memory stays bounded over any number of sessions).
    public mutating func closed(_ key: Set<Endpoint>) { conversations[key] = nil }

    /// The capture ended: the TLS sessions against the -20 profile, and V2G in the clear.
    public mutating func finish(tls sessions: [TLSSessionSummary]) {
        if plainTCP {
            note(.violation, nil, "[V2G20-2356] TLS 1.3", "V2G messages went over TCP without TLS (a test mode, not conformant)")
        }
        for s in sessions {
            let who = "TLS \(s.client) → \(s.server)"
            if let v = s.version, v != 0x0304 {
                note(.violation, nil, "[V2G20-2356]", "\(who): version 0x\(String(v, radix: 16)), not TLS 1.3")
            }
            if let suite = s.suite, !TLSProfile.cipherSuites.contains(TLSSessionSummary.suiteName(suite)) {
                note(.violation, nil, "the -20 TLS profile, Table 6", "\(who): cipher suite \(TLSSessionSummary.suiteName(suite))")
            }
            if let group = s.group, !TLSProfile.groups.contains(TLSSessionSummary.groupName(group)) {
                note(.violation, nil, "the -20 TLS profile, Table 7", "\(who): key exchange group \(TLSSessionSummary.groupName(group))")
            }
            for (side, scheme) in [("SECC", s.serverSignatureScheme), ("EVCC", s.clientSignatureScheme)] {
                if let scheme, !TLSProfile.signatureAlgorithms.contains(TLSSessionSummary.schemeName(scheme)) {
                    note(.violation, nil, "the -20 TLS profile, Table 8", "\(who): the \(side) signs with \(TLSSessionSummary.schemeName(scheme))")
                }
            }
            if s.frames > 0 && s.clientCertificates.isEmpty {
                note(.violation, nil, "the -20 TLS profile: mutual authentication", "\(who): the EVCC sent no certificate")
            }
            certificates(s, who)
            if s.version == 0x0304 && !s.statusRequested {
                note(.warning, nil, "the -20 TLS profile: OCSP stapling ([V2G20-2398])", "\(who): the EVCC sent no status_request")
            }
        }
    }

    /// The certificates seen (decrypted handshakes only): valid when the connection began, the
    /// -20 algorithms (secp521r1 keys signed with ecdsa-with-SHA512, or Ed448; Table 8 and
    /// [V2G20-2461]), and the vehicle certificate's subject of CN and O only ([V2G20-2598]).
    private mutating func certificates(_ s: TLSSessionSummary, _ who: String) {
        let time = s.time.map { Date(timeIntervalSince1970: Double($0) / 1e9) }
        for (side, chain) in [("SECC", s.serverChain), ("EVCC", s.clientChain)] {
            for (index, c) in chain.enumerated() {
                let name = "\(who): the \(side)'s certificate \(index + 1)"
                guard let c else {
                    note(.violation, nil, "RFC 5280", "\(name) is not a readable X.509 certificate")
                    continue
                }
                if let time, time < c.notBefore || time > c.notAfter {
                    note(.violation, nil, "RFC 5280 §4.1.2.5 validity ([V2G20-2409]: the chain is invalid)",
                         "\(name) (\(c.subject)) is valid \(TLSSessionSummary.day(c.notBefore)) to \(TLSSessionSummary.day(c.notAfter)), not at the handshake")
                }
                let algorithms = (c.keyAlgorithm, c.signatureAlgorithm)
                if algorithms != ("secp521r1", "ecdsa-with-SHA512") && algorithms != ("ED448", "ED448") {
                    note(.violation, nil, "the -20 TLS profile, Table 8 and [V2G20-2461]",
                         "\(name) (\(c.subject)) has a \(c.keyAlgorithm) key signed with \(c.signatureAlgorithm), not secp521r1/ecdsa-with-SHA512 or Ed448")
                }
            }
        }
        if let leaf = s.clientChain.first ?? nil {
            let types = leaf.subject.split(separator: ",").compactMap { $0.split(separator: "=").first.map(String.init) }
            if Set(types) != ["CN", "O"] || types.count != 2 {
                note(.violation, nil, "[V2G20-2598]", "\(who): the vehicle certificate's subject is \(leaf.subject), not CN = EVCCID and O = OEM alone")
            }
        }
    }

    private func hex(_ b: some Collection<UInt8>) -> String { Hex.encode(Array(b), uppercase: false) }
}
