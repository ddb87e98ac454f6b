import EXI
import V2GSession

/// The SECC engine fed EVCC frames and timer expiries: after every step it keeps
/// `SessionInvariants`. Its SessionID is Josev's from the shared capture, so the seeds (that
/// capture's EVCC frames) are in sequence and reach the charge loop.
enum SECCFuzzing {
    static let sessionID: ShortBinary = [0x43, 0x5F, 0xC6, 0x9B, 0x67, 0xAC, 0xF6, 0x07]

    /// Returns the states the SECC went through (the tests check the seeds go deep).
    @discardableResult
    static func run(_ bytes: [UInt8]) throws(FuzzFinding) -> [SECCState] {
        var secc = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567"), makeSessionID: { sessionID },
                               makeGenChallenge: { ShortBinary([UInt8](repeating: 7, count: 16)) })
        var evse = EVSEInputs(authorized: true, timestamp: 1_795_542_185)
        _ = secc.connectionOpened()
        var visited: [SECCState] = [secc.state]
        for step in FuzzStep.steps(bytes) {
            let wasEnded = secc.state == .ended
            let actions: [SECCAction]
            var request = false
            switch step {
            case .frame(let frame):
                request = SideStream(payloadType: frame.payloadType) == nil
                actions = secc.receive(frame: frame, evse: evse)
            case .timer(let timer):
                actions = secc.timerExpired(timer, evse: evse)
            }
            let broken = SessionInvariants.secc(actions, wasEnded: wasEnded, isEnded: secc.state == .ended, answerExpected: request)
            if !broken.isEmpty { throw FuzzFinding(.secc, broken.joined(separator: "; ")) }
            evse.timestamp += 1
            if visited.last != secc.state { visited.append(secc.state) }
        }
        return visited
    }
}
