// swift-tools-version: 6.1
// Codec, session and TLS benchmarks, kept out of the main package so that `swift test` does not build them.
// Run from this folder: `swift package benchmark` (see the README).
import PackageDescription

let package = Package(
    name: "swift-iso15118-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "swift-iso15118", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "CodecBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "EXI", package: "swift-iso15118"),
                .product(name: "V2GCodec", package: "swift-iso15118"),
            ],
            path: "Benchmarks/CodecBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "SessionBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "V2GSession", package: "swift-iso15118"),
                .product(name: "V2GTP", package: "swift-iso15118"),
            ],
            path: "Benchmarks/SessionBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "TLSBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "V2GPKI", package: "swift-iso15118"),
                .product(name: "V2GTLS", package: "swift-iso15118"),
                .product(name: "V2GTLSNIOSSL", package: "swift-iso15118"),
                .product(name: "V2GTLSOpenSSL", package: "swift-iso15118"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ],
            path: "Benchmarks/TLSBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "TraceBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "V2GCapture", package: "swift-iso15118"),
                .product(name: "V2GTrace", package: "swift-iso15118"),
            ],
            path: "Benchmarks/TraceBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "LoadBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "V2GPKI", package: "swift-iso15118"),
                .product(name: "V2GTLS", package: "swift-iso15118"),
                .product(name: "V2GRuntime", package: "swift-iso15118"),
                .product(name: "V2GSession", package: "swift-iso15118"),
                .product(name: "V2GSimulation", package: "swift-iso15118"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/LoadBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "SignatureBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "V2GPKI", package: "swift-iso15118"),
                .product(name: "V2GMessages", package: "swift-iso15118"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Benchmarks/SignatureBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
