import Foundation

/// Locates `../shared` (or `$V2G_TEST_DATA`): schemas, vectors and captures from other projects,
/// never copied into this repository. Tests that need it are skipped with a reason when absent.
enum TestData {
    static let root: URL? = {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["V2G_TEST_DATA"], fm.fileExists(atPath: env) {
            return URL(fileURLWithPath: env)
        }
        // <package>/Tests/CodecTests/TestData.swift → <package>/../shared
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shared = package.deletingLastPathComponent().appendingPathComponent("shared")
        return fm.fileExists(atPath: shared.path) ? shared : nil
    }()

    static var available: Bool { root != nil }

    struct Vector: Sendable {
        let namespace: String
        let message: String
        let kind: String
        let exiHex: String
        let canonicalHex: String?
        let jsonText: String?
        var json: Any? { jsonText.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } }
        let source: String
        let note: String?
        let describedAs: String?
    }

    static let vectors: [Vector] = {
        guard let root, let text = try? String(contentsOf: root.appendingPathComponent("vectors/iso15118-20.jsonl"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            let jsonText = obj["json"].flatMap { try? JSONSerialization.data(withJSONObject: $0) }.map { String(decoding: $0, as: UTF8.self) }
            return Vector(namespace: obj["namespace"] as? String ?? "", message: obj["message"] as? String ?? "",
                          kind: obj["kind"] as? String ?? "", exiHex: obj["exi_hex"] as? String ?? "",
                          canonicalHex: obj["canonical_hex"] as? String, jsonText: jsonText,
                          source: obj["source"] as? String ?? "", note: obj["note"] as? String,
                          describedAs: obj["described_as"] as? String)
        }
    }()
}

/// JSON values compared as the vectors mean them: numbers by value (`12.0` equals `12`), and a
/// one-element array equal to its element (some tools collapse single repeated elements).
enum JSONCompare {
    static func normalize(_ v: Any) -> Any {
        switch v {
        case let d as [String: Any]: return d.mapValues(normalize)
        case let a as [Any]: return a.count == 1 ? normalize(a[0]) : a.map(normalize)
        case let n as NSNumber:
            // Both sides are parsed by the same JSONSerialization, so booleans compare as numbers alike.
            let d = n.doubleValue
            if d == d.rounded(), abs(d) < 9.0e15 { return Int64(d) }
            return n.stringValue
        default: return v
        }
    }

    static func equal(_ a: Any, _ b: Any) -> Bool {
        let x = normalize(a), y = normalize(b)
        return NSDictionary(dictionary: ["v": x]).isEqual(to: ["v": y])
    }
}
