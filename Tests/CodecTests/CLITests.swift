import Foundation
import Testing
import TestSupport

/// The `v2g exi` command line, as outside tools and scripts use it.
@Suite struct CLITests {
    static let binary = BuiltTools.v2g

    static func run(_ args: [String], stdin: String? = nil) throws -> (status: Int32, out: String) {
        let p = Process()
        guard let binary else { throw CocoaError(.fileNoSuchFile) }
        p.executableURL = binary
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        let input = Pipe()
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: binary != nil, "v2g is not built next to the tests"))
    func decodeAndEncodeOneItem() throws {
        let d = try Self.run(["exi", "decode", "--schema", "sap", "80400040"])
        #expect(d.status == 0)
        #expect(d.out == #"{"supportedAppProtocolRes":{"ResponseCode":"OK_SuccessfulNegotiation","SchemaID":1}}"# + "\n")
        let e = try Self.run(["exi", "encode", "--schema", "sap", #"{"supportedAppProtocolRes":{"ResponseCode":"OK_SuccessfulNegotiation","SchemaID":1}}"#])
        #expect(e.status == 0)
        #expect(e.out == "80400040\n")
    }

    @Test(.enabled(if: binary != nil, "v2g is not built next to the tests"))
    func standardInputOneLinePerItemAndErrorsGoOn() throws {
        let r = try Self.run(["exi", "decode", "--schema", "sap"], stdin: "80400040\nzz\n80400040\n")
        let lines = r.out.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("error: "))
        #expect(lines[2].hasPrefix("{\"supportedAppProtocolRes\""))
        #expect(r.status == 1)
        let ok = try Self.run(["exi", "decode", "--schema", "sap"], stdin: "80400040\n")
        #expect(ok.status == 0)
    }

    @Test(.enabled(if: binary != nil, "v2g is not built next to the tests"))
    func v2gtpFramePicksTheSchema() throws {
        let r = try Self.run(["exi", "decode", "--v2gtp", "01fe80010000000480400040"])
        #expect(r.status == 0)
        #expect(r.out.hasPrefix("{\"supportedAppProtocolRes\""))
        let bad = try Self.run(["exi", "decode", "--v2gtp", "02fe80010000000480400040"])
        #expect(bad.status == 1)
        #expect(bad.out.hasPrefix("error: V2GTP protocol version 0x2"))
    }

    /// The README's first command completes a session (sped up).
    @Test(.enabled(if: binary != nil, "v2g is not built next to the tests"))
    func simulateCompletesASession() async throws {
        let r = try await TimingSensitive.run { try Self.run(["simulate", "--quiet", "--time-factor", "600"]) }
        #expect(r.status == 0, "\(r.out)")
        #expect(r.out.contains("ended: EVCC terminated"))
        #expect(r.out.contains("TLS 1.3"))
    }
}
