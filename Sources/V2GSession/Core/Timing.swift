/// The timing parameters of ISO 15118-20 (PROTOCOL-NOTES §8; Tables 215–217), by their names in
/// the standard. State machines take time as input, so tests run these in microseconds.
/// V2G_SECC_Msg_Performance_Time is not a timer of ours: the engine answers every request
/// synchronously, far inside it (measured: `SessionResult.chargeLoopTurnarounds`); where the notes
/// give it, `seccPerformanceTime(for:)` states it for the trace's checks.
public enum V2GTiming {
    /// V2G_EVCC_Msg_Timeout: how long the EVCC waits for a response.
    public static let evccMessageTimeout: Duration = .seconds(2)
    /// V2G_EVCC_Msg_Timeout for ServiceDetailReq and CertificateInstallationReq.
    public static let evccMessageTimeoutLong: Duration = .seconds(5)
    /// V2G_EVCC_Msg_Timeout for a ChargeLoopReq (AC, DC, WPT).
    public static let evccMessageTimeoutChargeLoop: Duration = .milliseconds(500)
    /// V2G_EVCC_Sequence_Performance_Time for the next ChargeLoopReq: the most `EVCCPolicy.chargeLoopInterval` may be.
    public static let evccSequencePerformanceTimeChargeLoop: Duration = .milliseconds(250)
    /// V2G_SECC_Sequence_Timeout: how long the SECC waits for the next request ([V2G20-443]).
    public static let seccSequenceTimeout: Duration = .seconds(60)
    /// V2G_SECC_Sequence_Timeout after a ChargeLoopRes ([V2G20-1500], [V2G20-1502]).
    public static let seccSequenceTimeoutChargeLoop: Duration = .milliseconds(500)
    /// V2G_EVCC_Ongoing_Timeout: how long the EVCC repeats a request while the SECC answers Ongoing.
    public static let evccOngoingTimeout: Duration = .seconds(60)
    public static let evccCableCheckTimeout: Duration = .seconds(40)
    public static let evccPreChargeTimeout: Duration = .seconds(10)
    public static let evccCommunicationSetupTimeout: Duration = .seconds(20)
    /// How long the SECC holds PowerDeliveryRes(Start) for the EV to reach CP state C and the
    /// contactor to close before answering FAILED_ContactorError ([V2G20-861], [V2G20-862]): inside
    /// V2G_SECC_Msg_Performance_Time (1.5 s) and the EV's 2 s V2G_EVCC_Msg_Timeout; the EV itself
    /// has 250 ms ([V2G20-847]).
    public static let seccContactorTimeout: Duration = .milliseconds(1400)
    /// How often the SECC reads the control pilot while it waits.
    public static let seccContactorPollInterval: Duration = .milliseconds(50)
    /// EVCC's wait for supportedAppProtocolRes.
    public static let evccSupportedAppProtocolTimeout: Duration = .seconds(2)

    /// V2G_EVCC_Msg_Timeout for a request: 5 s for ServiceDetailReq and CertificateInstallationReq,
    /// 0.5 s for a charge loop request, 2 s otherwise (PROTOCOL-NOTES §8). The EVCC's timer, and
    /// what a trace holds a response's delay against.
    public static func evccMessageTimeout(for kind: MessageKind) -> Duration {
        switch kind {
        case .supportedAppProtocol: return evccSupportedAppProtocolTimeout
        case .common(.serviceDetailReq), .common(.certificateInstallationReq): return evccMessageTimeoutLong
        case _ where kind.isChargeLoop: return evccMessageTimeoutChargeLoop
        default: return evccMessageTimeout
        }
    }

    /// V2G_SECC_Msg_Performance_Time where the notes give it (PROTOCOL-NOTES §8, Tables 215 and
    /// 217): 0.25 s for a DC charge loop request, 1.5 s for AuthorizationReq and the DC cable
    /// check, pre-charge and welding detection; nil where it is not known.
    public static func seccPerformanceTime(for kind: MessageKind) -> Duration? {
        switch kind {
        case .dc(.dc_ChargeLoopReq): return .milliseconds(250)
        case .common(.authorizationReq), .dc(.dc_CableCheckReq), .dc(.dc_PreChargeReq), .dc(.dc_WeldingDetectionReq): return .milliseconds(1500)
        default: return nil
        }
    }
}
