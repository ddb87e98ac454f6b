import AppProtocol
import EXI
import Foundation
import ISO20AC
import ISO20Common
import ISO20DC

/// Messages from other stacks' test suites for the side-by-side with libcbv2g: the list is
/// `Benchmarks/libcbv2g/vectors.txt`, the bytes come from `../shared/vectors` (or
/// `$V2G_TEST_DATA`). `scripts/codec-vs-libcbv2g.sh` gives libcbv2g the same bytes.
enum VectorMessages {
    /// A vector's name, its bytes exactly as the other stack wrote them, and our decode of them.
    struct Vector {
        let name: String
        let bytes: [UInt8]
        let message: any EXIRootCoder
    }

    static let benchmarksPackage = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shared test data, or nil when it is not beside the checkout.
    static var vectorsFile: URL? {
        let base = ProcessInfo.processInfo.environment["V2G_TEST_DATA"].map { URL(fileURLWithPath: $0) }
            ?? benchmarksPackage.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
        let url = base.appendingPathComponent("vectors/iso15118-20.jsonl")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    static func load() -> [Vector] {
        guard let vectorsFile, let text = try? String(contentsOf: vectorsFile, encoding: .utf8),
              let list = try? String(contentsOf: benchmarksPackage.appendingPathComponent("libcbv2g/vectors.txt"), encoding: .utf8)
        else { return [] }
        var bySource: [String: (namespace: String, hex: String)] = [:]
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let source = object["source"] as? String, let namespace = object["namespace"] as? String,
                  let hex = object["exi_hex"] as? String, bySource[source] == nil else { continue }
            bySource[source] = (namespace, hex)
        }
        return list.split(separator: "\n").compactMap { line -> Vector? in
            let fields = line.split(separator: " ")
            guard !line.hasPrefix("#"), fields.count == 2, let (namespace, hex) = bySource[String(fields[1])],
                  let bytes = Hex.decode(hex) else { return nil }
            let message: (any EXIRootCoder)? = switch namespace {
            case "urn:iso:15118:2:2010:AppProtocol": try? AppProtocolDocument.decodeEXI(bytes)
            case "urn:iso:std:iso:15118:-20:CommonMessages": try? CommonMessagesDocument.decodeEXI(bytes)
            case "urn:iso:std:iso:15118:-20:DC": try? DCDocument.decodeEXI(bytes)
            case "urn:iso:std:iso:15118:-20:AC": try? ACDocument.decodeEXI(bytes)
            default: nil
            }
            return message.map { Vector(name: String(fields[0]), bytes: bytes, message: $0) }
        }
    }
}
