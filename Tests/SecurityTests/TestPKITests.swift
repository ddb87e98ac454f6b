import Crypto
import Foundation
import Testing
import TestSupport
import V2GPKI
import V2GTLS
import X509

@Suite(.offPool) struct TestPKITests {
    static let openssl: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func run(_ path: String, _ args: [String]) async throws -> (Int32, String) {
        let command = try await Command.run(path, args)
        return (command.status, command.output)
    }

    /// How long it takes is measured in SignatureBenchmarks ("test PKI generation"), not here.
    @Test func generatesTheWholeTree() throws {
        let pki = try TestPKI()
        #expect(pki.files.count == 16 + 11)
        for (_, credential, _) in pki.files {
            #expect(credential.certificate.signatureAlgorithm == .ecdsaWithSHA512)
            #expect(P521.Signing.PublicKey(credential.certificate.publicKey) != nil)
        }
    }

    @Test func profilesFollowTheStandard() throws {
        let pki = try TestPKI()
        let sub1 = try #require(try pki.cpoSubCA1.certificate.extensions.basicConstraints)
        #expect(sub1 == .isCertificateAuthority(maxPathLength: 1))
        #expect(try pki.cpoSubCA2.certificate.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(try pki.secc.certificate.extensions.basicConstraints == .notCertificateAuthority)
        #expect(pki.secc.certificate.subject.description.contains("CN=DE*SWI*E1234567"))
        #expect(try pki.vehicle.certificate.extensions.extendedKeyUsage?.contains(.clientAuth) == true)
        #expect(pki.vehicle.certificate.subject.description == "CN=WMIV1234567890ABCDEX,O=swift-iso15118 Test OEM")
        #expect(pki.contract.certificate.subject.description.contains("CN=DESWIC123456789"))
        #expect(try pki.ocspSigners["cpo-subca2"]?.certificate.extensions.extendedKeyUsage?.contains(.ocspSigning) == true)
    }

    /// `openssl verify -x509_strict` accepts every chain.
    @Test(.enabled(if: openssl != nil, "openssl is not installed"))
    func opensslAcceptsEveryChain() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pki-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let pki = try TestPKI()
        try pki.write(to: dir, passphrase: "secret")
        let openssl = try #require(Self.openssl)
        func path(_ n: String) -> String { dir.appendingPathComponent(n).path }
        let cases: [(root: String, subs: [String], leaf: String)] = [
            ("v2g-root", ["cpo-subca1", "cpo-subca2"], "secc"),
            ("oem-root", ["oem-subca1", "oem-subca2"], "vehicle"),
            ("oem-root", ["oem-subca1", "oem-subca2"], "oem-provisioning"),
            ("mo-root", ["mo-subca1", "mo-subca2"], "contract"),
            ("v2g-root", ["cps-subca1", "cps-subca2"], "cps"),
            ("v2g-root", [], "ocsp/v2g-root-ocsp"),
            ("v2g-root", ["cpo-subca1", "cpo-subca2"], "ocsp/cpo-subca2-ocsp"),
        ]
        for c in cases {
            let untrusted = dir.appendingPathComponent("untrusted-\(UUID().uuidString).pem")
            let text = try c.subs.map { try String(contentsOfFile: path("\($0).pem"), encoding: .utf8) }.joined()
            try Data(text.utf8).write(to: untrusted)
            var args = ["verify", "-x509_strict", "-CAfile", path("\(c.root).pem")]
            if !c.subs.isEmpty { args += ["-untrusted", untrusted.path] }
            let (status, out) = try await Self.run(openssl, args + [path("\(c.leaf).pem")])
            #expect(status == 0, "\(c.leaf): \(out)")
        }
        // Encrypted keys open with the passphrase, and only with it.
        let (ok, _) = try await Self.run(openssl, ["pkey", "-in", path("secc.key.pem"), "-passin", "pass:secret", "-noout"])
        #expect(ok == 0)
        let (bad, _) = try await Self.run(openssl, ["pkey", "-in", path("secc.key.pem"), "-passin", "pass:wrong", "-noout"])
        #expect(bad != 0)
    }

    /// Encrypted keys read back: ours with the passphrase only, OpenSSL's own encrypted PKCS#8
    /// too, and a whole PKI folder opens with the passphrase from PKIFiles (v2g secc/evcc).
    @Test func encryptedKeysOpenWithThePassphraseOnly() throws {
        let key = P521.Signing.PrivateKey()
        let pem = try PrivateKeyPEM.encode(key, encryption: try PrivateKeyPEM.Encryption(passphrase: "secret"))
        let opened = try PrivateKeyPEM.decrypt(pem, passphrase: "secret")
        #expect(try P521.Signing.PrivateKey(pemRepresentation: opened).rawRepresentation == key.rawRepresentation)
        #expect(throws: PrivateKeyPEM.DecryptionFailure.wrongPassphrase) { try PrivateKeyPEM.decrypt(pem, passphrase: "wrong") }
        #expect(throws: PrivateKeyPEM.DecryptionFailure.self) { try PrivateKeyPEM.decrypt(key.pemRepresentation, passphrase: "secret") }
        // A damaged file never crashes: a typed error, or (CBC carries no MAC) bytes that the key
        // parser then judges; a truncated one is refused.
        var errors = 0
        for index in stride(from: 40, to: pem.utf8.count - 40, by: 7) {
            var damaged = Array(pem.utf8)
            damaged[index] = damaged[index] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            do { _ = try PrivateKeyPEM.decrypt(String(decoding: damaged, as: UTF8.self), passphrase: "secret") } catch { errors += 1 }
        }
        #expect(errors > 0)
        #expect(throws: PrivateKeyPEM.DecryptionFailure.self) {
            try PrivateKeyPEM.decrypt(String(pem.prefix(pem.count / 2)) + "\n-----END ENCRYPTED PRIVATE KEY-----\n", passphrase: "secret")
        }

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pki-enc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let pki = try TestPKI()
        try pki.write(to: dir, passphrase: "folder secret")
        #expect(throws: PKIFiles.Failure.self) { try PKIFiles(directory: dir, passphrase: nil).privateKey("secc") }
        #expect(throws: PrivateKeyPEM.DecryptionFailure.wrongPassphrase) { try PKIFiles(directory: dir, passphrase: "wrong").privateKey("secc") }
        #expect(try PKIFiles(directory: dir, passphrase: "folder secret").privateKey("secc").rawRepresentation == pki.secc.privateKey.rawRepresentation)
    }

    @Test(.enabled(if: openssl != nil, "openssl is not installed"))
    func opensslsEncryptedKeysOpen() async throws {
        let openssl = try #require(Self.openssl)
        let scratch = try ScratchDirectory("pki-ossl"), dir = scratch.url
        defer { scratch.remove() }
        let plain = dir.appendingPathComponent("plain.pem"), encrypted = dir.appendingPathComponent("enc.pem")
        let key = P521.Signing.PrivateKey()
        try Data(key.pemRepresentation.utf8).write(to: plain)
        let (status, out) = try await Self.run(openssl, ["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA256", "-in", plain.path,
                                                   "-out", encrypted.path, "-passout", "pass:from openssl"])
        #expect(status == 0, "\(out)")
        let opened = try PrivateKeyPEM.decrypt(try String(contentsOf: encrypted, encoding: .utf8), passphrase: "from openssl")
        #expect(try P521.Signing.PrivateKey(pemRepresentation: opened).rawRepresentation == key.rawRepresentation)
    }
}
