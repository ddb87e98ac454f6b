import V2GSession

/// The EVCC engine fed SECC frames and timer expiries after its first request: after every
/// response it keeps `SessionInvariants` (one request or the end), and timers never make it
/// send twice.
enum EVCCFuzzing {
    /// Returns the states the EVCC went through (the tests check the seeds go deep).
    @discardableResult
    static func run(_ bytes: [UInt8]) throws(FuzzFinding) -> [EVCCState] {
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX"))
        var ev = EVInputs(timestamp: 1_795_542_185)
        _ = evcc.start(ev: ev)
        var visited: [EVCCState] = [evcc.state]
        for step in FuzzStep.steps(bytes) {
            let wasEnded = evcc.state == .ended || evcc.state == .idle
            switch step {
            case .frame(let frame):
                var actions = evcc.receive(frame: frame, ev: ev)
                // The pacing pause before a loop request is the runtime's; here it is over at once.
                if actions.contains(where: { if case .startTimer(.pacing, _) = $0 { return true }; return false }) {
                    actions += evcc.timerExpired(.pacing, ev: ev)
                }
                guard SideStream(payloadType: frame.payloadType) == nil else { continue }
                let broken = SessionInvariants.evcc(actions, wasEnded: wasEnded, isEnded: evcc.state == .ended)
                if !broken.isEmpty { throw FuzzFinding(.evcc, broken.joined(separator: "; ")) }
            case .timer(let timer):
                let actions = evcc.timerExpired(timer, ev: ev)
                let sent = actions.filter { if case .send = $0 { return true }; return false }.count
                if sent > 1 { throw FuzzFinding(.evcc, "\(sent) requests on one timer") }
            }
            ev.timestamp += 1
            if visited.last != evcc.state { visited.append(evcc.state) }
        }
        return visited
    }
}
