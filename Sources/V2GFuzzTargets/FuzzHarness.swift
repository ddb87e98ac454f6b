import Foundation

/// What the libFuzzer harness (Fuzz/Sources/V2GFuzz) does: `V2G_FUZZ_TARGET` names the target;
/// on start, the target's seeds go to `V2G_FUZZ_SEEDS` (a corpus folder) when it is set; each
/// input runs the target, and a broken rule stops the process with the finding, which libFuzzer
/// reports as a crash and saves the input of.
public enum FuzzHarness {
    public static let target: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["V2G_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("V2G_FUZZ_TARGET must name one of \(FuzzTarget.allCases.map(\.rawValue)), not '\(name)'")
        }
        return target
    }()

    public static func initialize() {
        let environment = ProcessInfo.processInfo.environment
        guard let folder = environment["V2G_FUZZ_SEEDS"] else { return }
        let data = URL(fileURLWithPath: environment["V2G_TEST_DATA"] ?? "../shared")
        let directory = URL(fileURLWithPath: folder)
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (index, seed) in FuzzSeeds.seeds(for: target, data: data).enumerated() {
            try? Data(seed).write(to: directory.appendingPathComponent("seed-\(index)"))
        }
    }

    public static func run(_ data: UnsafePointer<UInt8>?, _ count: Int) {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
        do { try target.run(bytes) } catch { fatalError("fuzz finding: \(error)") }
    }
}
