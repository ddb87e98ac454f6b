/// The V2GTP payload types of ISO 15118-20 (PROTOCOL-NOTES §2).
public enum V2GTPPayloadType: UInt16, CaseIterable, Sendable {
    /// supportedAppProtocol (and -2/DIN EXI).
    case sap = 0x8001
    case mainStreamCommon = 0x8002
    case mainStreamAC = 0x8003
    case mainStreamDC = 0x8004
    case mainStreamACDP = 0x8005
    case mainStreamWPT = 0x8006
    case scheduleRenegotiation = 0x8101
    case meteringConfirmation = 0x8102
    case acdpSystemStatus = 0x8103
    case parkingStatus = 0x8104
    case sdpRequest = 0x9000
    case sdpResponse = 0x9001
    case sdpRequestWireless = 0x9002
    case sdpResponseWireless = 0x9003

    /// Payload types that carry EXI on the TCP/TLS connection.
    public var isEXI: Bool { rawValue & 0xF000 == 0x8000 }
}
