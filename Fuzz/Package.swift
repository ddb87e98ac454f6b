// swift-tools-version: 6.1
// The libFuzzer harness, kept out of the main package: it is built with `--sanitize=fuzzer` (and
// address), which links libFuzzer's own main into every executable. Run it with ./run.sh.
import PackageDescription

let package = Package(
    name: "swift-iso15118-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "swift-iso15118", path: "..")],
    targets: [
        // One harness for every target (`FuzzTarget`): V2G_FUZZ_TARGET picks it.
        .executableTarget(name: "V2GFuzz", dependencies: [.product(name: "V2GFuzzTargets", package: "swift-iso15118")]),
    ],
    swiftLanguageModes: [.v6]
)
