import Crypto
import Foundation
import NIOCore
import NIOSSL
import Testing
import TestSupport
import V2GPKI
import V2GTLS
import X509

/// The -20 TLS profile against Debian's OpenSSL, offering only the profile's cipher suites and
/// secp521r1, in both directions.
@Suite(.serialized, .offPool) struct OpenSSLInteropTests {
    static let openssl = TestPKITests.openssl
    static let suites = "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"

    /// The test PKI as PEM files, keys unencrypted.
    static let files: (pki: TestPKI, dir: URL) = {
        let dir = try! ScratchDirectory.forProcess("v2g-tls").url  // fixture: the temporary directory is writable
        let pki = try! TestPKI()  // fixture: defaults cannot fail
        try! pki.write(to: dir)
        return (pki, dir)
    }()

    static func path(_ name: String) -> String { files.dir.appendingPathComponent(name).path }

    /// The chain's CA certificates in one file, for OpenSSL's `-cert_chain`.
    static func subCAs(_ names: [String]) throws -> String {
        let url = files.dir.appendingPathComponent("subs-\(names.joined(separator: "-")).pem")
        let text = try names.map { try String(contentsOfFile: path("\($0).pem"), encoding: .utf8) }.joined()
        // Atomically: suites running in parallel write the same file, and openssl must never read
        // a half-written one.
        try Data(text.utf8).write(to: url, options: .atomic)
        return url.path
    }

    /// Runs `openssl ARGS` to the end: its exit status and its output (stdout and stderr).
    static func run(_ args: [String]) async throws -> (status: Int32, output: String) {
        let command = try await Command.run(try #require(openssl), args)
        return (command.status, command.output)
    }

    /// The peers' output files, kept with the PKI files and removed with them.
    static func log(_ name: String) -> URL { files.dir.appendingPathComponent("\(name)-\(UUID().uuidString).log") }

    /// Starts `openssl s_client -connect 127.0.0.1:PORT ARGS` with its standard input held open
    /// (closing it ends the session).
    static func startClient(port: Int, _ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(try #require(openssl), ["s_client", "-connect", "127.0.0.1:\(port)"] + arguments,
                         log: log("s_client"), limit: 30, holdingInputOpen: true)
    }

    /// Starts `openssl s_server` on an ephemeral port for one connection; returns it and the port.
    static func startServer(_ args: [String]) async throws -> (ChildProcess, Int) {
        let server = try ChildProcess(try #require(openssl), ["s_server", "-accept", "127.0.0.1:0", "-naccept", "1"] + args,
                                      log: log("s_server"), limit: 180, holdingInputOpen: true)
        // "ACCEPT 127.0.0.1:PORT" is the first line that names the port. On a loaded test machine
        // (every suite at once on two cores) starting it has taken more than 10 s.
        if await server.waitForOutput("ACCEPT ", timeout: 90),
           let line = server.output.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT ") }),
           let port = Int(line.split(separator: ":").last ?? "") {
            return (server, port)
        }
        server.stop()
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl s_server did not start: \(server.output)"])
    }

    @Test(.enabled(if: openssl != nil, "openssl is not installed"))
    func ourEVCCAgainstOpenSSLServer() async throws {
        let pki = Self.files.pki
        let (server, port) = try await Self.startServer([
            "-tls1_3", "-ciphersuites", Self.suites, "-groups", "P-521", "-sigalgs", "ecdsa_secp521r1_sha512",
            "-cert", Self.path("secc.pem"), "-key", Self.path("secc.key.pem"), "-cert_chain", try Self.subCAs(["cpo-subca2", "cpo-subca1"]),
            "-Verify", "3", "-CAfile", Self.path("oem-root.pem"), "-verify_return_error",
        ])
        defer { server.stop() }
        let evcc = TLSProfile(role: .evcc, certificateChain: pki.vehicleChain, privateKey: pki.vehicle.privateKey,
                              trustedRoots: [pki.v2gRoot.certificate])
        let c = try await Loopback.connect(evcc, port: port)
        defer { c.channel.close(promise: nil) }
        if case .failure(let e) = c.result { Issue.record("handshake failed: \(e) \(String(describing: c.rejected))") }
        #expect(c.tlsVersion == .tlsv13)
        #expect(c.serverHello?.cipher == 0x1302, "TLS_AES_256_GCM_SHA384")
        #expect(c.serverHello?.group == 0x0019, "secp521r1")
        #expect(c.verified?.first == pki.secc.certificate)
        print("openssl s_server: TLS 1.3, cipher 0x\(String(c.serverHello?.cipher ?? 0, radix: 16)), group 0x\(String(c.serverHello?.group ?? 0, radix: 16))")
    }

    /// Runs `openssl s_client` against our SECC and returns its output once the session is up.
    static func runClient(port: Int, cert: String, key: String, chain: String,
                          sigalgs: String = "ecdsa_secp521r1_sha512") async throws -> (Int32, String) {
        let client = try startClient(port: port, [
            "-tls1_3", "-ciphersuites", suites, "-groups", "P-521", "-sigalgs", sigalgs, "-cert", cert, "-key", key, "-cert_chain", chain,
            "-CAfile", path("v2g-root.pem"), "-verify_return_error", "-brief"])
        // Give the handshake time, then end the session by closing standard input.
        try await Task.sleep(for: .seconds(2))
        client.closeInput()
        let status = await client.wait()
        return (status, client.output)
    }

    @Test(.enabled(if: openssl != nil, "openssl is not installed"))
    func openSSLClientAgainstOurSECC() async throws {
        let pki = Self.files.pki
        let secc = TLSProfile(role: .secc, certificateChain: pki.seccChain, privateKey: pki.secc.privateKey,
                              trustedRoots: [pki.oemRoot.certificate, pki.v2gRoot.certificate])
        let s = try await Loopback.serve(secc)
        defer { s.channel.close(promise: nil) }
        let (_, output) = try await Self.runClient(port: s.port, cert: Self.path("vehicle.pem"), key: Self.path("vehicle.key.pem"),
                                             chain: try Self.subCAs(["oem-subca2", "oem-subca1"]))
        #expect(output.contains("Protocol version: TLSv1.3"), "\(output)")
        #expect(output.contains("Ciphersuite: TLS_AES_256_GCM_SHA384"), "\(output)")
        #expect(output.contains("secp521r1"), "\(output)")
        // Chain validation runs asynchronously beside the handshake; under load it can finish after
        // s_client has printed its summary.
        for _ in 0..<500 where s.verified.value == nil { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(s.verified.value?.first == pki.vehicle.certificate, "our SECC validated the vehicle chain")
        print("openssl s_client: \(output.split(separator: "\n").filter { $0.hasPrefix("Protocol") || $0.hasPrefix("Ciphersuite") || $0.contains("Temp Key") }.joined(separator: "; "))")
    }

    /// OpenSSL will present a vehicle certificate without digitalSignature (BoringSSL will not):
    /// our SECC refuses it. BoringSSL already refuses the key usage (alert 47, illegal parameter)
    /// before our chain validation runs; where it reaches our validator, the reason names the bit.
    @Test(.enabled(if: openssl != nil, "openssl is not installed"))
    func wrongKeyUsageFromOpenSSLClientIsRefused() async throws {
        let pki = Self.files.pki
        let wrong = try TestPKI.issue(role: .vehicle, commonName: "WMIV1234567890WRONGKU", by: pki.oemSubCA2,
                                      keyUsage: KeyUsage(keyAgreement: true))
        let certURL = Self.files.dir.appendingPathComponent("wrong-ku.pem")
        let keyURL = Self.files.dir.appendingPathComponent("wrong-ku.key.pem")
        try Data((try wrong.certificate.serializeAsPEM().pemString + "\n").utf8).write(to: certURL)
        try Data(wrong.privateKey.pemRepresentation.utf8).write(to: keyURL)
        let secc = TLSProfile(role: .secc, certificateChain: pki.seccChain, privateKey: pki.secc.privateKey,
                              trustedRoots: [pki.oemRoot.certificate])
        let s = try await Loopback.serve(secc)
        defer { s.channel.close(promise: nil) }
        let (_, output) = try await Self.runClient(port: s.port, cert: certURL.path, key: keyURL.path, chain: try Self.subCAs(["oem-subca2", "oem-subca1"]))
        #expect(s.verified.value == nil)
        if let reason = s.rejected.value {
            #expect(reason.description.contains("digitalSignature"))
        } else {
            #expect(output.contains("alert"), "\(output)")
        }
    }

    /// A vehicle certificate with a P-256 key, presented by OpenSSL: refused (the -20 profile is
    /// secp521r1 only; our validator names the curve where the handshake gets that far).
    @Test(.enabled(if: openssl != nil, "openssl is not installed"))
    func p256VehicleCertificateFromOpenSSLClientIsRefused() async throws {
        let pki = Self.files.pki
        let (cert, key) = try TestPKI.issueP256(role: .vehicle, commonName: "WMIV1234567890P256", by: pki.oemSubCA2)
        let certURL = Self.files.dir.appendingPathComponent("p256.pem")
        let keyURL = Self.files.dir.appendingPathComponent("p256.key.pem")
        try Data((try cert.serializeAsPEM().pemString + "\n").utf8).write(to: certURL)
        try Data(key.pemRepresentation.utf8).write(to: keyURL)
        let secc = TLSProfile(role: .secc, certificateChain: pki.seccChain, privateKey: pki.secc.privateKey,
                              trustedRoots: [pki.oemRoot.certificate])
        let s = try await Loopback.serve(secc)
        defer { s.channel.close(promise: nil) }
        let (_, output) = try await Self.runClient(port: s.port, cert: certURL.path, key: keyURL.path,
                                             chain: try Self.subCAs(["oem-subca2", "oem-subca1"]),
                                             sigalgs: "ecdsa_secp521r1_sha512:ecdsa_secp256r1_sha256")
        #expect(s.verified.value == nil, "\(output)")
        if let reason = s.rejected.value { #expect(reason.description.contains("secp521r1")) }
    }
}
