import EXI

/// What holds for everything either engine does with one input, whatever the input is: the rules
/// the session fuzz tests and the libFuzzer harnesses (Fuzz/) check after every step. Each
/// returns what it found broken (empty: nothing).
public enum SessionInvariants {
    /// The SECC's actions on one main-stream request (`answerExpected`) or another input (a timer,
    /// a side-stream frame): at most one main-stream response; a request is answered or ends the
    /// session; a FAILED response ends it; an ended session does nothing; every response is EXI
    /// our own decoder reads back as itself.
    public static func secc(_ actions: [SECCAction], wasEnded: Bool, isEnded: Bool, answerExpected: Bool) -> [String] {
        if wasEnded { return actions.isEmpty ? [] : ["an ended SECC session acted: \(actions)"] }
        var broken: [String] = []
        let sent = actions.compactMap { if case .send(let r) = $0 { return r }; return nil }
        let ended = actions.contains { if case .endSession = $0 { return true }; return false }
        if sent.count > 1 { broken.append("\(sent.count) responses to one input") }
        // A request whose answer waits for the runtime (a contract check, a certificate, a
        // metering signature, signed prices, the pilot for a Start) is answered later.
        let held = actions.contains {
            switch $0 {
            case .checkContract, .provideCertificate, .checkMetering, .signPriceSchedules, .startTimer(.contactor, _): return true
            default: return false
            }
        }
        if answerExpected && sent.isEmpty && !ended && !held { broken.append("a request neither answered nor ending the session") }
        for response in sent + actions.compactMap({ if case .sendOnSideStream(let r, _) = $0 { return r }; return nil }) {
            if response.responseCode?.rawValue.hasPrefix("FAILED") == true && !(ended && isEnded) {
                broken.append("\(response.name) \(response.responseCode?.rawValue ?? "") without the session's end")
            }
            broken += roundTrip(response)
        }
        return broken
    }

    /// The EVCC's actions on one response: one request or the session's end, never both, never
    /// nothing (unless it had ended or not begun); a request comes with its response timer; every
    /// request reads back as itself.
    public static func evcc(_ actions: [EVCCAction], wasEnded: Bool, isEnded: Bool) -> [String] {
        if wasEnded { return actions.isEmpty ? [] : ["an ended EVCC session acted: \(actions)"] }
        var broken: [String] = []
        let sent = actions.compactMap { if case .send(let r) = $0 { return r }; return nil }
        let ended = actions.contains { if case .endSession = $0 { return true }; return false }
        if sent.count + (ended ? 1 : 0) != 1 { broken.append("\(sent.count) requests and \(ended ? "the end" : "no end") for one response") }
        if ended && !isEnded { broken.append("the end announced, the state \(isEnded) not ended") }
        if !sent.isEmpty && !actions.contains(where: { if case .startTimer(.response, _) = $0 { return true }; return false }) {
            broken.append("a request without its response timer")
        }
        for request in sent { broken += roundTrip(request) }
        return broken
    }

    /// A message the engine sends decodes, as its frame, to itself.
    static func roundTrip<SAP>(_ message: V2GMessage<SAP>) -> [String] {
        do {
            let back = try V2GMessage<SAP>(frame: try message.frame())
            return back == message ? [] : ["\(message.name) reads back as \(back.name), changed"]
        } catch {
            return ["\(message.name) does not read back: \(error)"]
        }
    }
}
