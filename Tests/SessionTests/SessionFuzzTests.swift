import EXI
import ISO20Common
import ISO20DC
import TestSupport
import Testing
import V2GSession

/// Bad input at the protocol level: valid sessions taken to a random point, then random messages
/// (any CommonMessages or DC document, with the session's ID or another) thrown at each side.
/// Whatever arrives, each side keeps `SessionInvariants` (the libFuzzer harnesses in Fuzz/ check
/// the same after every input).
@Suite(.offPool) struct SessionFuzzTests {
    static let sessions = 1500

    static func randomRequest(_ r: inout SeededRandom, sessionID: ShortBinary?) -> V2GRequest {
        var request: V2GRequest = Int.random(in: 0..<2, using: &r) == 0
            ? .common(CommonMessagesDocument.exiRandom(root: Int.random(in: 0..<CommonMessagesDocument.rootCount, using: &r), &r, depth: 3))
            : .dc(DCDocument.exiRandom(root: Int.random(in: 0..<DCDocument.rootCount, using: &r), &r, depth: 3))
        // Half of them carry the session's own ID, so they get past the SessionID check.
        if let sessionID, Bool.random(using: &r) { request = request.withHeader { $0.sessionID = sessionID }}
        return request
    }

    @Test func seccAnswersOnceOrEndsWhateverArrives() async throws {
        // CPU-bound for seconds (on the heavy lane, `.offPool`): it would take half of the two
        // cores from a test that measures time, so never beside one (`TimingSensitive`).
        try await TimingSensitive.run {
            var r = SeededRandom(seed: 0x5ECC)
            var counts: [String: Int] = [:]
            for _ in 0..<Self.sessions {
                // A valid prefix of random length.
                var pair = SessionPair(evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX",
                                                               controlMode: Bool.random(using: &r) ? .scheduled : .dynamic))
                let prefix = try pair.run(maxExchanges: Int.random(in: 0..<45, using: &r))
                var secc = pair.secc
                let evse = pair.evse.inputs(timestamp: pair.timestamp)
                // Then random messages: any document, or (half the time) a random one of the kind
                // the session expects next, with its ID: odd values where they are in sequence.
                for _ in 0..<Int.random(in: 1...4, using: &r) {
                    let wasEnded = secc.state == .ended
                    var request = Self.randomRequest(&r, sessionID: secc.sessionID)
                    if let expected = prefix.next?.kind, let id = secc.sessionID, Bool.random(using: &r) {
                        for _ in 0..<500 {
                            let candidate = Self.randomRequest(&r, sessionID: nil)
                            if candidate.kind == expected { request = candidate.withHeader { $0.sessionID = id }; break }
                        }
                    }
                    let actions = secc.receive(request, evse: evse)
                    let broken = SessionInvariants.secc(actions, wasEnded: wasEnded, isEnded: secc.state == .ended, answerExpected: true)
                    #expect(broken.isEmpty, "\(request.kind.map { "\($0)" } ?? "not a request"): \(broken)")
                    if wasEnded { continue }
                    let ended = actions.contains { if case .endSession = $0 { return true }; return false }
                    counts[ended ? "ended" : "answered", default: 0] += 1
                }
            }
            print("SECC fuzz: \(Self.sessions) sessions, \(counts)")
            #expect(counts["ended", default: 0] > 100 && counts["answered", default: 0] > 100)
        }
    }

    @Test func evccSendsOrEndsWhateverArrives() async throws {
        // CPU-bound for seconds (on the heavy lane, `.offPool`): it would take half of the two
        // cores from a test that measures time, so never beside one (`TimingSensitive`).
        try await TimingSensitive.run {
            var r = SeededRandom(seed: 0xEECC)
            var ends = 0, sent = 0
            for _ in 0..<Self.sessions {
                var pair = SessionPair()
                let prefix = try pair.run(maxExchanges: Int.random(in: 0..<45, using: &r))
                var evcc = pair.evcc
                let ev = pair.evInputs(loops: prefix.loops)
                var expected = prefix.responses.last
                if let request = prefix.next { expected = pair.secc.receive(request, evse: pair.evse.inputs(timestamp: pair.timestamp)).sentResponse }
                for _ in 0..<Int.random(in: 1...4, using: &r) {
                    let wasEnded = evcc.state == .ended
                    var random = Self.randomResponse(&r)
                    // Half the time a random one of the kind the EVCC waits for, with its SessionID.
                    if let expected, Bool.random(using: &r) {
                        for _ in 0..<500 {
                            let candidate = Self.randomResponse(&r)
                            if candidate.kind == expected.kind {
                                random = Self.withSessionID(candidate, evcc.sessionID)
                                break
                            }
                        }
                    }
                    let actions = evcc.receivePaced(random, ev: ev)
                    let broken = SessionInvariants.evcc(actions, wasEnded: wasEnded || evcc.state == .idle, isEnded: evcc.state == .ended)
                    #expect(broken.isEmpty, "\(random.name): \(broken)")
                    if wasEnded || evcc.state == .idle { continue }
                    let ended = actions.contains { if case .endSession = $0 { return true }; return false }
                    if ended { ends += 1 } else { sent += 1 }
                }
            }
            print("EVCC fuzz: \(Self.sessions) sessions, \(ends) ended by a random response, \(sent) answered with a request")
            #expect(ends > 100 && sent > 100)
        }
    }

    static func randomResponse(_ r: inout SeededRandom) -> V2GResponse {
        Bool.random(using: &r)
            ? .common(CommonMessagesDocument.exiRandom(root: Int.random(in: 0..<CommonMessagesDocument.rootCount, using: &r), &r, depth: 3))
            : .dc(DCDocument.exiRandom(root: Int.random(in: 0..<DCDocument.rootCount, using: &r), &r, depth: 3))
    }

    static func withSessionID(_ response: V2GResponse, _ id: ShortBinary) -> V2GResponse {
        response.withHeader { $0.sessionID = id }
    }
}
