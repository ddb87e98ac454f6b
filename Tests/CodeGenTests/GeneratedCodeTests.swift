import EXI
import Foundation
import Testing
import TestSupport
@testable import V2GCodeGen

/// The committed generated code is exactly what the generator makes from the schemas.
@Suite(.offPool) struct GeneratedCodeTests {
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schemas: URL? = {
        if let env = ProcessInfo.processInfo.environment["V2G_TEST_DATA"] { return URL(fileURLWithPath: env).appendingPathComponent("schemas") }
        let s = package.deletingLastPathComponent().appendingPathComponent("shared/schemas")
        return FileManager.default.fileExists(atPath: s.path) ? s : nil
    }()

    @Test(.enabled(if: schemas != nil, "no schemas: set V2G_TEST_DATA or place shared/ beside the package"))
    func committedCodeMatchesRegeneration() throws {
        let files = try CodeGenerator(schemas: try #require(Self.schemas)).generate()
        #expect(files.count > 100)
        var differing: [String] = []
        for (path, text) in files {
            let committed = try? String(contentsOf: Self.package.appendingPathComponent(path), encoding: .utf8)
            if committed != text { differing.append(path) }
        }
        // No stale generated files either.
        for module in Set(files.keys.map { $0.split(separator: "/").dropLast().joined(separator: "/") }) {
            let dir = Self.package.appendingPathComponent(module)
            for f in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where !files.keys.contains(module + "/" + f) {
                differing.append(module + "/" + f + " (stale)")
            }
        }
        #expect(differing.isEmpty, "regenerate with `swift run v2g-codegen`: \(differing.sorted().prefix(10))")
    }

    @Test(.enabled(if: schemas != nil, "no schemas"))
    func generationIsDeterministic() throws {
        let a = try CodeGenerator(schemas: try #require(Self.schemas)).generate()
        let b = try CodeGenerator(schemas: try #require(Self.schemas)).generate()
        #expect(a == b)
    }

    /// Document event-code widths that other codecs use (PROTOCOL-NOTES §1.1): SAP 2 bits,
    /// CommonMessages, DC and AC 6 bits.
    @Test(.enabled(if: schemas != nil, "no schemas"))
    func documentEventCodeWidths() throws {
        let files = try CodeGenerator(schemas: try #require(Self.schemas)).generate()
        func bits(_ path: String) -> String? {
            files[path]?.split(separator: "\n").first { $0.contains("public static let eventCodeBits") }.map { String($0.split(separator: "=").last!).trimmingCharacters(in: .whitespaces) }
        }
        #expect(bits("Sources/AppProtocol/Generated/AppProtocolDocument.swift") == "2")
        #expect(bits("Sources/ISO20Common/Generated/CommonMessagesDocument.swift") == "6")
        #expect(bits("Sources/ISO20DC/Generated/DCDocument.swift") == "6")
        #expect(bits("Sources/ISO20AC/Generated/ACDocument.swift") == "6")
    }

    /// Binary types the generator maps to `ShortBinary` fit its inline storage.
    @Test func shortBinaryLimitIsTheInlineCapacity() {
        #expect(LeafType.shortBinaryCapacity == ShortBinary.inlineCapacity)
        #expect(LeafType.hexBinary(minLength: 8, maxLength: 8).isShortBinary)
        #expect(LeafType.base64Binary(minLength: 16, maxLength: 16).isShortBinary)
        #expect(!LeafType.base64Binary(minLength: 0, maxLength: 64).isShortBinary)
        #expect(!LeafType.hexBinary(minLength: nil, maxLength: nil).isShortBinary)
    }

    @Test func qnamesSortByLocalNameThenURI() {
        let a = QName(uri: "urn:b", local: "A"), b = QName(uri: "urn:a", local: "B"), c = QName(uri: "urn:a", local: "A")
        #expect([a, b, c].sorted() == [c, a, b])
    }

    @Test func choiceFieldNames() {
        #expect(ModelBuilder.commonSuffix(["EIM_ASResAuthorizationMode", "PnC_ASResAuthorizationMode"]) == "ASResAuthorizationMode")
        #expect(ModelBuilder.commonSuffix(["boolValue", "intValue", "rationalNumber"]) == "Choice")
        #expect(SwiftNames.memberName("EVCCID") == "evccid")
        #expect(SwiftNames.memberName("EVSEProcessing") == "evseProcessing")
        #expect(SwiftNames.memberName("SessionID") == "sessionID")
    }
}
