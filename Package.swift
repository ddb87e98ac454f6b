// swift-tools-version: 6.1
import Foundation
import PackageDescription

// The OpenSSL trait builds the OpenSSL 3 backend of the -20 TLS profile and the OCSP and Ed448 parts
// of the PKI. It is on by default where the system's OpenSSL 3 headers are (Debian/Ubuntu
// libssl-dev, Homebrew openssl@3), off elsewhere so that the package still builds, on swift-nio-ssl.
// Force it with `--traits OpenSSL`, drop it with `--disable-default-traits`. (A `canImport` check
// cannot decide this: a system-library module is importable whenever its module map exists, and
// then fails to build without the headers.)
let openSSLHeaders = [
    "/usr/include/openssl/ssl.h", "/usr/local/include/openssl/ssl.h",
    "/opt/homebrew/opt/openssl@3/include/openssl/ssl.h", "/usr/local/opt/openssl@3/include/openssl/ssl.h",
]
let systemHasOpenSSL = openSSLHeaders.contains { FileManager.default.fileExists(atPath: $0) }
let openSSL = TargetDependencyCondition.when(traits: ["OpenSSL"])

let package = Package(
    name: "swift-iso15118",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "EXI", targets: ["EXI"]),
        .library(name: "V2GCodec", targets: ["V2GCodec"]),
        // The generated message types of every set, to build and read messages in code.
        .library(name: "V2GMessages", targets: ["AppProtocol", "XMLDSig", "ISO20Common", "ISO20DC", "ISO20AC", "ISO20WPT", "ISO20ACDP", "ISO20ACDER"]),
        .library(name: "V2GTP", targets: ["V2GTP"]),
        .library(name: "SDP", targets: ["SDP"]),
        .library(name: "V2GPKI", targets: ["V2GPKI"]),
        .library(name: "V2GTLS", targets: ["V2GTLS"]),
        .library(name: "V2GTLSNIOSSL", targets: ["V2GTLSNIOSSL"]),
        .library(name: "V2GTLSOpenSSL", targets: ["V2GTLSOpenSSL"]),
        .library(name: "V2GRuntime", targets: ["V2GRuntime"]),
        .library(name: "V2GSimulation", targets: ["V2GSimulation"]),
        .library(name: "V2GCapture", targets: ["V2GCapture"]),
        .library(name: "V2GTrace", targets: ["V2GTrace"]),
        .library(name: "V2GSession", targets: ["V2GSession"]),
        // The fuzz targets (decoders and engines on arbitrary bytes, with their rules), for the
        // libFuzzer harness in Fuzz/ and the regression tests.
        .library(name: "V2GFuzzTargets", targets: ["V2GFuzzTargets"]),
        .executable(name: "v2g", targets: ["v2g"]),
        .executable(name: "v2g-codegen", targets: ["v2g-codegen"]),
    ],
    traits: [
        .trait(name: "OpenSSL", description: "The OpenSSL 3 TLS backend (the whole -20 profile), OCSP and Ed448/X448 in the PKI"),
        .default(enabledTraits: systemHasOpenSSL ? ["OpenSSL"] : []),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // W3C EXI 1.0 runtime: bit streams, datatypes, string table, grammar tables. No Foundation.
        .target(name: "EXI"),
        // Generated message targets, one per XSD namespace (see Sources/*/Generated).
        .target(name: "XMLDSig", dependencies: ["EXI"]),
        .target(name: "AppProtocol", dependencies: ["EXI"]),
        .target(name: "ISO20Common", dependencies: ["EXI", "XMLDSig"]),
        .target(name: "ISO20DC", dependencies: ["EXI", "XMLDSig", "ISO20Common"]),
        .target(name: "ISO20AC", dependencies: ["EXI", "XMLDSig", "ISO20Common"]),
        .target(name: "ISO20WPT", dependencies: ["EXI", "XMLDSig", "ISO20Common"]),
        .target(name: "ISO20ACDP", dependencies: ["EXI", "XMLDSig", "ISO20Common"]),
        // Captures: pcap/pcapng, IP, TCP reassembly, V2GTP framing. No Foundation.
        .target(name: "V2GCapture", dependencies: ["V2GTP"]),
        // A capture read for V2G: frames decoded, notes; the `v2g trace` output.
        .target(name: "V2GTrace", dependencies: ["V2GCapture", "V2GSession", "V2GCodec", "V2GTP", "V2GTLS", "V2GPKI", "SDP", "EXI", "ISO20Common", "ISO20DC", "ISO20AC", .product(name: "Crypto", package: "swift-crypto")]),
        // ISO 15118-20 Amendment 1, AC-DER (IEC): the codec only, no sessions yet.
        .target(name: "ISO20ACDER", dependencies: ["EXI", "XMLDSig", "ISO20Common", "ISO20AC"]),
        // V2G Transfer Protocol framing (pure codec).
        .target(name: "V2GTP", dependencies: [.product(name: "NIOCore", package: "swift-nio")]),
        // The -20 PKI: certificate profiles, chain validation, the test PKI, PEM/PKCS#8 files, OCSP,
        // XML signatures over EXI fragments, the contract-key envelope.
        .target(name: "V2GPKI", dependencies: [
            .target(name: "COpenSSL", condition: openSSL), "V2GCodec", "EXI", "XMLDSig", "ISO20Common",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ]),
        // The -20 TLS profile as plain data, the TLSBackend seam, key logs.
        .target(name: "V2GTLS", dependencies: [
            "V2GPKI",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // The system's OpenSSL 3 (headers from libssl-dev), for the whole -20 TLS profile.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),
        // The OpenSSL 3 TLS backend: the -20 profile whole (both suites, secp521r1 and x448,
        // ECDSA-P521 and Ed448). Its sources compile to nothing without the OpenSSL trait.
        .target(name: "V2GTLSOpenSSL", dependencies: [
            .target(name: "COpenSSL", condition: openSSL), "V2GPKI", "V2GTLS",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOTLS", package: "swift-nio"),
        ]),
        // The swift-nio-ssl (BoringSSL) TLS backend.
        .target(name: "V2GTLSNIOSSL", dependencies: [
            "V2GPKI", "V2GTLS",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // SECC Discovery Protocol: messages and UDP client/server.
        .target(name: "SDP", dependencies: [
            "V2GTP",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // Sans-I/O session state machines for both roles: messages in, actions out, time injected.
        .target(name: "V2GSession", dependencies: ["EXI", "V2GTP", "V2GCodec", "AppProtocol", "XMLDSig", "ISO20Common", "ISO20DC", "ISO20AC", "ISO20WPT", "ISO20ACDP"]),
        // Async runtimes: the state machines over TCP/TLS with V2GTP framing, timers, controllers.
        .target(name: "V2GRuntime", dependencies: [
            "V2GSession", "V2GTP", "V2GCapture", "V2GTLS", "V2GTLSNIOSSL", "V2GTLSOpenSSL", "V2GPKI", "EXI", "AppProtocol", "ISO20Common", "ISO20DC",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOTLS", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ]),
        // Fuzz targets: each decoder and engine on arbitrary bytes, with the rules that must hold.
        .target(name: "V2GFuzzTargets", dependencies: [
            "EXI", "V2GCodec", "V2GTP", "SDP", "V2GCapture", "V2GTrace", "V2GPKI", "V2GSession",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "X509", package: "swift-certificates"),
        ]),
        // Simulated EVSE and EV behind the controller protocols.
        .target(name: "V2GSimulation", dependencies: [
            "V2GSession", "ISO20Common", "XMLDSig",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // One entry point over all message sets: schema names, JSON, V2GTP payload types.
        .target(name: "V2GCodec", dependencies: ["EXI", "V2GTP", "XMLDSig", "AppProtocol", "ISO20Common", "ISO20DC", "ISO20AC", "ISO20WPT", "ISO20ACDP"]),
        // XSD → EXI grammars → Swift source.
        .target(name: "V2GCodeGen", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .executableTarget(name: "v2g-codegen", dependencies: ["V2GCodeGen"]),
        .executableTarget(name: "v2g", dependencies: [
            "V2GCodec", "V2GPKI", "V2GTLS", "V2GTLSNIOSSL", "V2GTLSOpenSSL", "SDP", "V2GRuntime", "V2GSimulation", "V2GSession", "ISO20Common", "XMLDSig", "V2GCapture", "V2GTrace",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Helpers the tests share: built tools, child processes bounded in time, network namespaces.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "EXITests", dependencies: ["EXI"]),
        .testTarget(name: "CodeGenTests", dependencies: ["V2GCodeGen", "EXI", "TestSupport"]),
        .testTarget(name: "SessionTests", dependencies: ["V2GSession", "V2GSimulation", "V2GTP", "V2GCodec", "EXI", "AppProtocol", "ISO20Common", "ISO20DC", "ISO20AC", "ISO20WPT", "ISO20ACDP",
                                                     "XMLDSig", "V2GPKI", "TestSupport"]),
        .testTarget(name: "RuntimeTests", dependencies: [
            "V2GRuntime", "V2GSimulation", "V2GSession", "V2GPKI", "V2GTLS", "V2GTP", "TestSupport", "ISO20Common", "XMLDSig",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "TransportTests", dependencies: [
            "V2GTP", "SDP", "EXI", "TestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ]),
        .testTarget(name: "SecurityTests", dependencies: [
            "V2GPKI", "V2GTLS", "V2GTLSNIOSSL", "V2GTLSOpenSSL", "TestSupport", "V2GCodec", "ISO20Common", "XMLDSig",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOTLS", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "CodecTests", dependencies: ["V2GCodec", "EXI", "V2GTP", "AppProtocol", "ISO20Common", "ISO20DC", "ISO20AC", "ISO20WPT", "ISO20ACDP", "ISO20ACDER", "XMLDSig", "TestSupport", "V2GPKI", "V2GCapture", "V2GTrace", "V2GSession", "SDP", "V2GFuzzTargets",
                                                   .product(name: "Crypto", package: "swift-crypto"), .product(name: "X509", package: "swift-certificates")]),
        // Against independent stacks run beside ours (Josev: PyPI iso15118, in network namespaces).
        .testTarget(name: "InteropTests", dependencies: ["TestSupport", "V2GCodec"], exclude: ["josev"]),
    ],
    swiftLanguageModes: [.v6]
)
