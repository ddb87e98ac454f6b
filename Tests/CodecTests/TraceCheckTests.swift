import Foundation
import ISO20DC
import Testing
import V2GCapture
import V2GSession
import V2GTrace

/// The trace's checks against ISO 15118-20 (`TraceChecker`) on a real session (Josev's DC
/// capture) and on that session altered in one place each: the finding names the frame and the
/// requirement, and nothing else is found.
@Suite struct TraceCheckTests {
    static func josev() throws -> [TraceEntry] {
        let root = try #require(TestData.root)
        let file = try [UInt8](Data(contentsOf: root.appendingPathComponent("captures/josev-dc-eim-notls.pcap")))
        var parser = CaptureFileParser()
        var trace = Trace()
        for record in try parser.feed(file) { trace.add(record) }
        trace.finish()
        return trace.entries
    }

    static func check(_ entries: [TraceEntry]) -> [TraceFinding] {
        var checker = TraceChecker()
        for e in entries { checker.add(e, encrypted: false) }
        checker.finish(tls: [])
        return checker.findings.filter { !$0.requirement.contains("V2G20-2356") }  // the capture is plain TCP
    }

    /// Every entry from `index` on, `seconds` later.
    static func delayed(_ entries: [TraceEntry], from index: Int, by seconds: Double) -> [TraceEntry] {
        entries.map { e in
            var e = e
            if e.index >= index { e.time += Int64(seconds * 1e9) }
            return e
        }
    }

    static func index(of name: String, _ entries: [TraceEntry], occurrence: Int = 1) throws -> Int {
        try #require(entries.filter { $0.name == name }.dropFirst(occurrence - 1).first?.index)
    }

    @Test(.enabled(if: TestData.available, "no test data"))
    func josevsSessionKeepsTheRulesButTLS() throws {
        let entries = try Self.josev()
        #expect(Self.check(entries).isEmpty, "\(Self.check(entries))")
        var checker = TraceChecker()
        for e in entries { checker.add(e, encrypted: false) }
        checker.finish(tls: [])
        #expect(checker.findings.map(\.requirement) == ["[V2G20-2356] TLS 1.3"], "plain TCP is reported")
    }

    /// A charge loop request 0.6 s after the response: past the 0.5 s the SECC waits.
    @Test(.enabled(if: TestData.available, "no test data"))
    func lateLoopRequestIsPastTheSequenceTimeout() throws {
        let entries = try Self.josev()
        let tenth = try Self.index(of: "DC_ChargeLoopReq", entries, occurrence: 10)
        let findings = Self.check(Self.delayed(entries, from: tenth, by: 0.6))
        #expect(findings.count == 1, "\(findings)")
        #expect(findings.first?.frame == tenth && findings.first?.severity == .violation)
        #expect(findings.first?.requirement.contains("V2G20-1502") == true)
    }

    /// A loop response 0.3 s after its request: past the SECC's 0.25 s performance time; 0.6 s:
    /// past the EV's 0.5 s timeout.
    @Test(.enabled(if: TestData.available, "no test data"))
    func slowLoopResponses() throws {
        let entries = try Self.josev()
        let response = try Self.index(of: "DC_ChargeLoopRes", entries, occurrence: 5)
        let request = response - 1
        let gap = Double(entries[response].time - entries[request].time) / 1e9
        let slow = Self.check(Self.delayed(entries, from: response, by: 0.3 - gap))
        #expect(slow.map(\.severity) == [.warning] && slow.first?.frame == response, "\(slow)")
        let lost = Self.check(Self.delayed(entries, from: response, by: 0.6 - gap))
        #expect(lost.first?.severity == .violation && lost.first?.requirement.contains("V2G_EVCC_Msg_Timeout") == true, "\(lost)")
    }

    /// Another SessionID in one request; a request sent before the last was answered.
    @Test(.enabled(if: TestData.available, "no test data"))
    func sessionIDAndTurnTaking() throws {
        var entries = try Self.josev()
        let i = try Self.index(of: "DC_ChargeLoopReq", entries, occurrence: 3)
        guard case .request(.dc(.dc_ChargeLoopReq(var m)), let stream)? = entries[i].message else { Issue.record("not a request"); return }
        m.header.sessionID = [1, 2, 3, 4, 5, 6, 7, 8]
        entries[i].message = .request(.dc(.dc_ChargeLoopReq(m)), stream)
        let findings = Self.check(entries)
        #expect(findings.map(\.requirement) == ["[V2G20-460]"] && findings.first?.frame == i, "\(findings)")

        let unanswered = try Self.josev().filter { $0.index != i + 1 }  // the answer to that request is lost
        let turn = Self.check(unanswered)
        #expect(turn.contains { $0.frame == i + 2 && $0.text.contains("before DC_ChargeLoopReq") }, "\(turn)")
    }

    /// The TLS profile: RFC 8448's handshake (AES-128, x25519, RSA-PSS) breaks it three ways.
    @Test func tlsProfileChecks() throws {
        let trace = try TLS13KnownAnswerTests.trace(TLS13KnownAnswerTests.keyLog)
        let tables = trace.findings.map(\.requirement)
        #expect(tables.contains("the -20 TLS profile, Table 6"), "\(trace.findings)")
        #expect(tables.contains("the -20 TLS profile, Table 7"))
        #expect(tables.contains("the -20 TLS profile, Table 8"))
        #expect(trace.findings.contains { $0.text.contains("no status_request") })
    }

    /// The HTML report of Josev's session: its facts, the finding (no TLS), the DC plots and
    /// the loop folded in the sequence; markup from the peer's strings is escaped.
    @Test(.enabled(if: TestData.available, "no test data"))
    func reportOfARealSession() throws {
        let root = try #require(TestData.root)
        var parser = CaptureFileParser()
        var trace = Trace()
        for record in try parser.feed(try [UInt8](Data(contentsOf: root.appendingPathComponent("captures/josev-dc-eim-notls.pcap")))) { trace.add(record) }
        trace.finish()
        let html = TraceReport.html(trace, title: "Josev <DC>")
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<title>Josev &lt;DC&gt;</title>"))
        #expect(html.contains("EVSEPresent") == false && html.contains("EVSE present current (A)"))
        #expect(html.contains("V2G messages went over TCP without TLS"))
        #expect(html.contains("DC_ChargeLoop × "), "the loop folded into one row")
        #expect(html.components(separatedBy: "<polyline").count - 1 >= 4)
        #expect(!html.contains("<script"))
    }
}
