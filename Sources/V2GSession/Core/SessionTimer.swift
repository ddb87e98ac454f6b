/// The timers a session runs. The engine starts and cancels them through its actions; the runtime
/// only schedules them and reports their expiry back (`timerExpired`), so every timing rule of
/// the standard lives in the engine and is tested on injected time.
public enum SessionTimer: String, Sendable, Hashable, CaseIterable {
    /// SECC: V2G_SECC_Sequence_Timeout, restarted with each response ([V2G20-441], [V2G20-443]).
    case sequence
    /// EVCC: V2G_EVCC_Msg_Timeout for the request just sent.
    case response
    /// EVCC: V2G_EVCC_CommunicationSetup_Timeout, from the TCP connection to SessionSetupRes.
    case communicationSetup
    /// EVCC: the pause before the next charge loop request (within V2G_EVCC_Sequence_Performance_Time)
    /// or before repeating a request the SECC answered with Ongoing.
    case pacing
    /// SECC: polls the control pilot while PowerDeliveryReq(Start) waits for the EV's state C and
    /// the contactor ([V2G20-858]–[V2G20-862]).
    case contactor
    /// EVCC: V2G_EVCC_Msg_Timeout for a request on a side stream, one timer per stream.
    case scheduleRenegotiationResponse
    case meteringConfirmationResponse
    case parkingStatusResponse
    case acdpSystemStatusResponse

    /// The response timer of a side stream.
    public static func response(on stream: SideStream) -> SessionTimer {
        switch stream {
        case .scheduleRenegotiation: return .scheduleRenegotiationResponse
        case .meteringConfirmation: return .meteringConfirmationResponse
        case .parkingStatus: return .parkingStatusResponse
        case .acdpSystemStatus: return .acdpSystemStatusResponse
        }
    }
}
