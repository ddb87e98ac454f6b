import V2GSession
import V2GTP

/// A fuzz input read as what a session engine gets, one step at a time: a frame from the peer
/// (a payload type from the -20 list and up to 64 KiB of payload), or one of its timers expiring.
/// Step layout: one byte that says which, then for a frame a two-byte length and the payload.
/// Seeds are whole sessions in this layout (Fuzz/make-seeds.py), so libFuzzer starts from
/// conversations that go deep into the sequence and mutates them.
enum FuzzStep {
    case frame(V2GTPFrame)
    case timer(SessionTimer)

    static let payloadTypes: [UInt16] = [0x8001, 0x8002, 0x8003, 0x8004, 0x8005, 0x8006, 0x8101, 0x8102, 0x8103, 0x8104]
    static let timers: [SessionTimer] = [.sequence, .response, .communicationSetup, .pacing, .contactor, .scheduleRenegotiationResponse,
                                         .meteringConfirmationResponse, .parkingStatusResponse, .acdpSystemStatusResponse]

    /// The steps of an input, at most `limit` of them (bounded work per input).
    static func steps(_ bytes: [UInt8], limit: Int = 400) -> [FuzzStep] {
        var steps: [FuzzStep] = []
        var at = 0
        while at < bytes.count, steps.count < limit {
            let op = bytes[at]
            at += 1
            if op >= 0xF0 {
                steps.append(.timer(timers[Int(op - 0xF0) % timers.count]))
                continue
            }
            guard at + 2 <= bytes.count else { break }
            let length = Int(bytes[at]) << 8 | Int(bytes[at + 1])
            at += 2
            let payload = Array(bytes[at..<min(at + length, bytes.count)])
            at += payload.count
            steps.append(.frame(V2GTPFrame(payloadType: payloadTypes[Int(op) % payloadTypes.count], payload: payload)))
        }
        return steps
    }
}

extension FuzzStep {
    /// Steps in the layout `steps(_:)` reads.
    static func encode(_ steps: [FuzzStep]) -> [UInt8] {
        steps.flatMap { step -> [UInt8] in
            switch step {
            case .timer(let timer): return [0xF0 + UInt8(timers.firstIndex(of: timer) ?? 0)]
            case .frame(let frame):
                let op = UInt8(payloadTypes.firstIndex(of: frame.payloadType) ?? 0)
                let payload = frame.payload.prefix(0xFFFF)
                return [op, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)] + payload
            }
        }
    }
}
