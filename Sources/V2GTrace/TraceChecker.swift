import EXI
import ISO20Common
import ISO20DC
import V2GCapture
import V2GSession
import V2GTLS

/// The checks a trace runs against ISO 15118-20, frame by frame as they come (so a capture of
/// any size is checked without keeping its frames), then over the TLS sessions at the end:
/// - request and response in turn: a response to the request before it, no second request
///   before the answer (the main stream; side streams have their own turn);
/// - SessionID: every message after SessionSetup carries the one SessionSetupRes gave ([V2G20-460]);
/// - response codes: a FAILED code ends the session, so nothing may follow it; WARNING codes noted;
/// - timing: a response after V2G_EVCC_Msg_Timeout (the EV would have given up) or after the
///   known V2G_SECC_Msg_Performance_Time; the next request after V2G_SECC_Sequence_Timeout (0.5 s
///   after a charge loop response, [V2G20-1500]/[V2G20-1502], 60 s otherwise, [V2G20-443]) or after
///   V2G_EVCC_Sequence_Performance_Time in the loop (0.25 s); the cable check within 40 s and
///   pre-charge within 10 s; Ongoing repetitions within 60 s (PROTOCOL-NOTES §8);
/// - limits in the DC loop: the EVSE's present voltage and current within what its
///   ChargeParameterDiscoveryRes announced ([V2G20-2188]);
/// - the TLS profile: TLS 1.3, its suites, groups and signature schemes, the EVCC's certificate
///   and status_request; V2G on TCP without TLS at all.
public struct TraceChecker: Sendable {
    public private(set) var findings: [TraceFinding] = []

    private struct Conversation: Sendable {
        var pending: TraceEntry?
        var lastResponse: TraceEntry?
        var sessionID: [UInt8]?
        var failed: TraceEntry?
        var phaseStart: [MessageKind: Int64] = [:]
        var announced: (voltage: Double, current: Double)?
    }

    private var conversations: [Set<Endpoint>: Conversation] = [:]
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
        default:
            break
        }
    }

    private mutating func note(_ severity: TraceFinding.Severity, _ e: TraceEntry?, _ requirement: String, _ text: String) {
        findings.append(TraceFinding(severity: severity, time: e?.time, frame: e?.index, message: e?.name, requirement: requirement, text: text))
    }

    private mutating func request(_ m: V2GRequest, _ e: TraceEntry, _ c: inout Conversation) {
        guard let kind = m.kind else { return }
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
        dcLimits(m, e, &c)
    }

    /// The EVSE stays within the DC limits it announced ([V2G20-2188]).
    private mutating func dcLimits(_ m: V2GResponse, _ e: TraceEntry, _ c: inout Conversation) {
        switch m {
        case .dc(.dc_ChargeParameterDiscoveryRes(let r)):
            switch r.dc_CPDResEnergyTransferMode {
            case .dc_CPDResEnergyTransferMode(let l): c.announced = (l.evseMaximumVoltage.doubleValue, l.evseMaximumChargeCurrent.doubleValue)
            case .bpt_DC_CPDResEnergyTransferMode(let l): c.announced = (l.evseMaximumVoltage.doubleValue, l.evseMaximumChargeCurrent.doubleValue)
            }
        case .dc(.dc_ChargeLoopRes(let r)):
            guard let limits = c.announced else { return }
            let v = r.evsePresentVoltage.doubleValue, i = r.evsePresentCurrent.doubleValue
            if v > limits.voltage * 1.01 {
                note(.violation, e, "[V2G20-2188]", "EVSEPresentVoltage \(v) V above the \(limits.voltage) V announced in DC_ChargeParameterDiscoveryRes")
            }
            if i > limits.current * 1.01 {
                note(.violation, e, "[V2G20-2188]", "EVSEPresentCurrent \(i) A above the \(limits.current) A announced in DC_ChargeParameterDiscoveryRes")
            }
        default:
            break
        }
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
            if s.version == 0x0304 && !s.statusRequested {
                note(.warning, nil, "the -20 TLS profile: OCSP stapling ([V2G20-2398])", "\(who): the EVCC sent no status_request")
            }
        }
    }

    private func hex(_ b: [UInt8]) -> String { Hex.encode(b, uppercase: false) }
}
