import AppProtocol
import EXI
import Foundation
import ISO20AC
import ISO20Common
import ISO20DC

/// Messages from other stacks' test suites, read from `../shared/vectors` (or `$V2G_TEST_DATA`):
/// the same bytes that `scripts/codec-vs-libcbv2g.sh` times with libcbv2g, so that the two codecs
/// are compared message by message on identical input.
enum VectorMessages {
    /// (benchmark name, the vector's `source` field). One message per type, from libcbv2g's and
    /// libiso15118's own tests.
    static let sources: [(String, String)] = [
        ("SessionSetupReq", "EVerest/libiso15118@5c81c928dada6ba9dc931780c4d72aa0f0a16f88:test/exi/cb/iso20/session_setup.cpp:15"),
        ("SessionSetupRes", "EVerest/libiso15118@5c81c928dada6ba9dc931780c4d72aa0f0a16f88:test/exi/cb/iso20/session_setup.cpp:43"),
        ("AuthorizationSetupRes", "EVerest/libiso15118@5c81c928dada6ba9dc931780c4d72aa0f0a16f88:test/exi/cb/iso20/authorization_setup.cpp:58"),
        ("SessionStopReq", "EVerest/libiso15118@5c81c928dada6ba9dc931780c4d72aa0f0a16f88:test/exi/cb/iso20/session_stop.cpp:14"),
        ("DC_ChargeLoopReq", "EVerest/libcbv2g@54fed4de61d54aef497e1e3d5863bd8d4ea7d168:tests/iso20/dc_charge_loop.cpp:68"),
        ("DC_ChargeLoopRes", "EVerest/libcbv2g@54fed4de61d54aef497e1e3d5863bd8d4ea7d168:tests/iso20/dc_charge_loop.cpp:103"),
        ("AC_ChargeLoopReq", "EVerest/libcbv2g@54fed4de61d54aef497e1e3d5863bd8d4ea7d168:tests/iso20/ac_charge_loop.cpp:49"),
        ("AC_ChargeLoopRes", "EVerest/libcbv2g@54fed4de61d54aef497e1e3d5863bd8d4ea7d168:tests/iso20/ac_charge_loop.cpp:81"),
        ("ServiceDetailRes", "EVerest/libiso15118@5c81c928dada6ba9dc931780c4d72aa0f0a16f88:test/exi/cb/iso20/service_detail.cpp:63"),
        ("ScheduleExchangeRes", "EVerest/libiso15118@5c81c928dada6ba9dc931780c4d72aa0f0a16f88:test/exi/cb/iso20/schedule_exchange.cpp:185"),
        ("supportedAppProtocolReq", "EVerest/libcbv2g@54fed4de61d54aef497e1e3d5863bd8d4ea7d168:tests/app_handshake/app_handshake.cpp:14"),
        ("supportedAppProtocolRes", "EVerest/libcbv2g@54fed4de61d54aef497e1e3d5863bd8d4ea7d168:tests/app_handshake/app_handshake.cpp:45"),
    ]

    /// The vectors file, or nil when the shared test data is not beside the package.
    static var file: URL? {
        let env = ProcessInfo.processInfo.environment["V2G_TEST_DATA"]
        let base = env.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent()  // CodecBenchmarks
                .deletingLastPathComponent().deletingLastPathComponent()     // Benchmarks package
                .deletingLastPathComponent().deletingLastPathComponent()     // beside the checkout
                .appendingPathComponent("shared")
        let url = base.appendingPathComponent("vectors/iso15118-20.jsonl")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// (name, decoded message) for every source found, decoded by the coder of its namespace.
    static func load() -> [(String, any EXIRootCoder)] {
        guard let file, let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        var bySource: [String: (namespace: String, hex: String)] = [:]
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let source = object["source"] as? String, let namespace = object["namespace"] as? String,
                  let hex = object["exi_hex"] as? String, bySource[source] == nil else { continue }
            bySource[source] = (namespace, hex)
        }
        return sources.compactMap { name, source in
            guard let (namespace, hex) = bySource[source], let bytes = Hex.decode(hex) else { return nil }
            let message: (any EXIRootCoder)? = switch namespace {
            case "urn:iso:15118:2:2010:AppProtocol": try? AppProtocolDocument.decodeEXI(bytes)
            case "urn:iso:std:iso:15118:-20:CommonMessages": try? CommonMessagesDocument.decodeEXI(bytes)
            case "urn:iso:std:iso:15118:-20:DC": try? DCDocument.decodeEXI(bytes)
            case "urn:iso:std:iso:15118:-20:AC": try? ACDocument.decodeEXI(bytes)
            default: nil
            }
            return message.map { (name, $0) }
        }
    }
}
