import AppProtocol
import EXI
import ISO20AC
import ISO20ACDP
import ISO20Common
import ISO20DC
import ISO20WPT
import V2GTP

/// What each ISO 15118-20 side stream carries (V2GTP 0x8101–0x8104, PROTOCOL-NOTES §2), by root
/// element, and how a receiver finds a frame's message set. The one table: the codec decodes
/// side-stream frames by it (`V2GDocument.decode(v2gtpFrame:)`, `v2g exi decode --v2gtp`,
/// `v2g trace`) and the sessions accept and send by it (`SideStream`).
///
/// The standard's table is not public; this follows dsV2Gshark's dissector, the one public
/// reference: the schedule renegotiation stream carries "only ten different V2G messages"
/// (PowerDelivery, ScheduleExchange and the energy services' ChargeParameterDiscovery, each
/// request and response); the others the one exchange their names say.
public enum SideStreamMessages {
    /// The requests `stream` carries, by root element name; each comes with its response.
    public static func requests(on stream: V2GTPPayloadType) -> Set<String> {
        switch stream {
        case .scheduleRenegotiation:
            return ["PowerDeliveryReq", "ScheduleExchangeReq", "DC_ChargeParameterDiscoveryReq", "AC_ChargeParameterDiscoveryReq",
                    "WPT_ChargeParameterDiscoveryReq"]
        case .meteringConfirmation: return ["MeteringConfirmationReq"]
        case .acdpSystemStatus: return ["ACDP_SystemStatusReq"]
        case .parkingStatus: return ["VehicleCheckInReq", "VehicleCheckOutReq"]
        default: return []
        }
    }

    /// Whether `stream` carries the message with root `root` (a request it carries or its response).
    public static func carries(_ root: String, on stream: V2GTPPayloadType) -> Bool {
        let requests = requests(on: stream)
        return requests.contains(root) || (root.hasSuffix("Res") && requests.contains(root.dropLast(3) + "Req"))
    }

    /// The message sets a frame of `stream` may be encoded with. Schedule renegotiation mixes
    /// CommonMessages with the energy services' sets; the receiver takes the set under which the
    /// root event code names a message the stream carries. Those codes differ between the sets
    /// for every message the stream carries (`SideStreamDecodingTests`), so the choice is unambiguous.
    public static func schemas(on stream: V2GTPPayloadType) -> [MessageSchema] {
        switch stream {
        case .scheduleRenegotiation: return [.common, .dc, .ac, .wpt]
        case .meteringConfirmation, .parkingStatus: return [.common]
        case .acdpSystemStatus: return [.acdp]
        default: return []
        }
    }

    /// The set of a side-stream payload and the root it holds: the first of `schemas(on:)` under
    /// which the root event code names a carried message. Nil `schema`: none does; `root` is then
    /// what the first set that reads a root names (for the error), if any.
    public static func resolve(_ payload: [UInt8], on stream: V2GTPPayloadType) -> (schema: MessageSchema?, root: String?) {
        let candidates = schemas(on: stream).compactMap { schema in peekRoot(payload, schema: schema).map { (schema, $0) } }
        if let carried = candidates.first(where: { carries($0.1, on: stream) }) { return carried }
        return (nil, candidates.first?.1)
    }

    /// The root element a payload's first event code names under `schema`, without decoding it.
    public static func peekRoot(_ payload: [UInt8], schema: MessageSchema) -> String? {
        switch schema {
        case .common: return CommonMessagesDocument.peekMessage(payload)?.rawValue
        case .dc: return DCDocument.peekMessage(payload)?.rawValue
        case .ac: return ACDocument.peekMessage(payload)?.rawValue
        case .wpt: return WPTDocument.peekMessage(payload)?.rawValue
        case .acdp: return ACDPDocument.peekMessage(payload)?.rawValue
        case .sap, .xmldsig: return nil
        }
    }
}
