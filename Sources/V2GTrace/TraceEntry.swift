import EXI
import SDP
import V2GCapture
import V2GSession
import V2GTP

/// One V2G frame of a capture, decoded: what a timeline line, a JSON line and the report show.
public struct TraceEntry: Sendable, Hashable {
    /// Its place among the capture's V2G frames, from 0.
    public var index: Int
    /// Nanoseconds since the Unix epoch.
    public var time: Int64
    public var from: V2GRole?
    public var source: Endpoint
    public var destination: Endpoint
    public var payloadType: UInt16
    /// The whole frame, header included.
    public var bytes: [UInt8]
    /// The decoded message, if it is EXI and decodes (`error` says why not).
    public var message: Message?
    public var error: String?

    public enum Message: Sendable, Hashable {
        case request(V2GRequest, V2GStream)
        case response(V2GResponse, V2GStream)
        case sdp(String)
    }

    /// The root element's name, or what the frame is.
    public var name: String {
        switch message {
        case .request(let m, _)?: return m.name
        case .response(let m, _)?: return m.name
        case .sdp(let text)?: return text
        case nil: return "payload type 0x\(String(payloadType, radix: 16))"
        }
    }

    /// The decoded message in the JSON shape of the vectors (EXIficient's), if it is EXI.
    public var json: String? {
        switch message {
        case .request(let m, _)?: return try? m.document.jsonString()
        case .response(let m, _)?: return try? m.document.jsonString()
        default: return nil
        }
    }

    public var responseCode: String? {
        switch message {
        case .response(let m, _)?: return m.responseCode?.rawValue
        default: return nil
        }
    }

    static func name(_ s: SDPSecurity) -> String { s == .tls ? "TLS" : "no TLS" }
    static func name(_ t: SDPTransport) -> String { t == .tcp ? "TCP" : "UDP" }

    /// Decodes a captured frame: SDP by its payload type, EXI by its stream (main-stream payload
    /// types name the message set; side streams are resolved as `SideStream` says), as a request
    /// from the EVCC and a response from the SECC.
    public init(index: Int, _ captured: CapturedFrame) {
        self.index = index
        time = captured.time
        from = captured.from
        source = captured.source
        destination = captured.destination
        payloadType = captured.frame.payloadType
        bytes = captured.frame.bytes
        let frame = captured.frame
        let stream: V2GStream = SideStream(payloadType: frame.payloadType).map { .side($0) } ?? .main
        switch frame.payloadType {
        case 0x9000:
            do {
                let m = try SDPRequest(frame: bytes)
                message = .sdp("SDP request (\(Self.name(m.security)), \(Self.name(m.transport)))")
            } catch { self.error = "\(error)" }
        case 0x9001:
            do {
                let m = try SDPResponse(frame: bytes)
                message = .sdp("SDP response: SECC at [\(IPAddress(m.address))]:\(m.port) (\(Self.name(m.security)), \(Self.name(m.transport)))")
            } catch { self.error = "\(error)" }
        case 0x9002:
            do {
                let m = try SDPRequestWireless(frame: bytes)
                message = .sdp("SDP request, wireless (\(Self.name(m.security)), \(Self.name(m.transport)))")
            } catch { self.error = "\(error)" }
        case 0x9003:
            do {
                let m = try SDPResponseWireless(frame: bytes)
                message = .sdp("SDP response, wireless: SECC at [\(IPAddress(m.address))]:\(m.port) (\(Self.name(m.security)), \(Self.name(m.transport)))")
            } catch { self.error = "\(error)" }
        case 0x9004, 0x9005:
            // dsV2Gshark names these "SDP EMSP"; no public source gives their layout, so the
            // bytes are shown as they are rather than guessed at.
            let payload = frame.payload
            message = .sdp("SDP EMSP \(frame.payloadType == 0x9004 ? "request" : "response") (layout not public): \(payload.count) bytes \(Hex.encode(Array(payload.prefix(64)), uppercase: false))")
        default:
            let request = Result { () throws(MessageDecodingError) in try V2GRequest(anyStream: frame) }
            let response = Result { () throws(MessageDecodingError) in try V2GResponse(anyStream: frame) }
            switch (captured.from, request, response) {
            case (.evcc?, .success(let m), _), (nil, .success(let m), _): message = .request(m, stream)
            case (.secc?, _, .success(let m)), (nil, _, .success(let m)): message = .response(m, stream)
            case (.evcc?, .failure(let e), _), (nil, .failure(let e), _): error = "\(e)"
            case (.secc?, _, .failure(let e)): error = "\(e)"
            }
        }
    }
}
