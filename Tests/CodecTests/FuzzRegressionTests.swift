import Foundation
import ISO20Common
import TestSupport
import Testing
import V2GSession
@testable import V2GFuzzTargets

/// The fuzz targets (`FuzzTarget`, run by libFuzzer through Fuzz/run.sh) on their seeds and on
/// every input a fuzzer saved in Fuzz/Regressions: no rule broken. The seeds go deep: the SECC's
/// reach Josev's charge loop and session end.
@Suite(.offPool) struct FuzzRegressionTests {
    static let regressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/Regressions")

    @Test(.enabled(if: TestData.available, "no test data"), arguments: FuzzTarget.allCases)
    func seedsKeepTheRules(target: FuzzTarget) async throws {
        let root = try #require(TestData.root)
        // CPU-bound (a test PKI, whole captures; on the heavy lane, `.offPool`): it would take half
        // of the two cores from a test that measures time, so never beside one (`TimingSensitive`).
        try await TimingSensitive.run {
            let seeds = FuzzSeeds.seeds(for: target, data: root)
            #expect(!seeds.isEmpty, "\(target) has seeds")
            for seed in seeds { try target.run(seed) }
        }
    }

    @Test(.enabled(if: TestData.available, "no test data"))
    func sessionSeedsGoDeep() throws {
        let root = try #require(TestData.root)
        let secc = try SECCFuzzing.run(try #require(FuzzSeeds.seeds(for: .secc, data: root).first)).map { "\($0)" }
        #expect(secc.contains("charging") && secc.last == "ended", "\(secc)")
        let evcc = try EVCCFuzzing.run(try #require(FuzzSeeds.seeds(for: .evcc, data: root).first)).map { "\($0)" }
        #expect(evcc.count > 5, "\(evcc)")
    }

    @Test(arguments: FuzzTarget.allCases)
    func savedFindingsStayFixed(target: FuzzTarget) throws {
        let folder = Self.regressions.appendingPathComponent(target.rawValue)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
        for file in files {
            let input = try [UInt8](Data(contentsOf: folder.appendingPathComponent(file)))
            #expect(throws: Never.self, "\(target.rawValue)/\(file)") { try target.run(input) }
        }
    }

    /// The rules can fail: a FAILED answer without the session's end, two answers, silence.
    @Test func rulesCanBreak() {
        let failed = V2GResponse.common(.sessionSetupRes(SessionSetupResType(header: MessageHeaderType(sessionID: [1], timeStamp: 0),
                                                                             responseCode: .failed, evseid: "X")))
        #expect(!SessionInvariants.secc([.send(failed)], wasEnded: false, isEnded: false, answerExpected: true).isEmpty)
        #expect(!SessionInvariants.secc([.send(failed), .send(failed)], wasEnded: false, isEnded: true, answerExpected: true).isEmpty)
        #expect(!SessionInvariants.secc([], wasEnded: false, isEnded: false, answerExpected: true).isEmpty)
        #expect(!SessionInvariants.secc([.send(failed)], wasEnded: true, isEnded: true, answerExpected: true).isEmpty)
        #expect(!SessionInvariants.evcc([], wasEnded: false, isEnded: false).isEmpty)
    }
}
