import ArgumentParser
import Foundation
import V2GPKI
import V2GTLS

struct PKICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki",
        abstract: "Test PKI of the ISO 15118-20 profile (secp521r1, ecdsa-with-SHA512).",
        subcommands: [Init.self, OCSP.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create V2G/CPO, OEM, MO and CPS chains with OCSP signers in DIR.")

        @Argument(help: "Directory to write the PEM files and manifest.json into.") var directory: String
        @Option(help: "The passphrase the private keys are encrypted with (PKCS#8, PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC); default $V2G_KEY_PASSPHRASE. `v2g secc`/`evcc` open them with $V2G_KEY_PASSPHRASE.")
        var passphrase: String?
        @Flag(help: "Write the private keys unencrypted (a throwaway test PKI).") var unencrypted = false
        @Option(name: .customLong("evse-id"), help: "SECC certificate CN.") var evseID = TestPKI.Options().evseID
        @Option(name: .customLong("evcc-id"), help: "Vehicle certificate CN.") var evccID = TestPKI.Options().evccID
        @Option(help: "Contract certificate CN.") var emaid = TestPKI.Options().emaid
        @Option(help: "Key and signature algorithm: p521 (secp521r1, ecdsa-with-SHA512), ed448, or both (P-521 in DIR, Ed448 in DIR/ed448; `v2g secc`/`evcc` then accept peers of either).")
        var algorithm: Algorithm = .p521

        enum Algorithm: String, ExpressibleByArgument, CaseIterable { case p521, ed448, both }

        func run() throws {
            // Keys on disk are encrypted unless the user asks otherwise.
            let passphrase = self.passphrase ?? ProcessInfo.processInfo.environment["V2G_KEY_PASSPHRASE"].flatMap { $0.isEmpty ? nil : $0 }
            if passphrase == nil && !unencrypted {
                throw ValidationError("private keys are written encrypted: give --passphrase, set V2G_KEY_PASSPHRASE, or ask for --unencrypted")
            }
            if passphrase != nil && unencrypted { throw ValidationError("--unencrypted and a passphrase exclude each other") }
            var options = TestPKI.Options()
            options.evseID = evseID
            options.evccID = evccID
            options.emaid = emaid
            let root = URL(fileURLWithPath: directory)
            if algorithm != .ed448 {
                let start = ContinuousClock.now
                let pki = try TestPKI(options)
                let generated = ContinuousClock.now - start
                try pki.write(to: root, passphrase: passphrase)
                print("wrote \(pki.files.count) P-521 certificates and keys to \(directory) (generated in \(generated))")
            }
            if algorithm != .p521 {
                #if OpenSSL
                let target = algorithm == .both ? root.appendingPathComponent("ed448") : root
                let start = ContinuousClock.now
                let pki = try Ed448TestPKI(options)
                let generated = ContinuousClock.now - start
                try pki.write(to: target, passphrase: passphrase)
                print("wrote \(pki.credentials.count) Ed448 certificates and keys to \(target.path) (generated in \(generated))")
                #else
                throw ValidationError("Ed448 needs the OpenSSL trait: this build has none")
                #endif
            }
        }
    }

    struct OCSP: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write OCSP responses (DER) into DIR/ocsp/NAME.ocsp.der, signed by each issuing CA's OCSP signer.",
            discussion: "`v2g secc --pki DIR` staples ocsp/secc.ocsp.der. Without --cert, every Sub-CA and leaf gets a response.")

        enum Status: String, ExpressibleByArgument, CaseIterable { case good, revoked, unknown }

        @Argument(help: "Directory of a PKI written by `v2g pki init` (unencrypted keys).") var directory: String
        @Option(help: "Certificate file stem to answer for (repeat; default: every Sub-CA and leaf).") var cert: [String] = []
        @Option(help: "Status: good, revoked (as of now) or unknown.") var status: Status = .good
        @Option(help: "Validity in hours (at most 168: [V2G20-1021]).") var hours: Double = 168

        func run() throws {
            #if OpenSSL
            let files = PKIFiles(directory: URL(fileURLWithPath: directory))
            let now = Date()
            let names = cert.isEmpty
                ? TestPKI.layout(TestPKI.Options()).filter { $0.role != .root && $0.role != .ocspSigner }.map(\.name)
                : cert
            let answer: OCSPCertificateStatus = switch status {
            case .good: .good
            case .revoked: .revoked(at: now)
            case .unknown: .unknown
            }
            for name in names {
                let url = try files.writeOCSPResponse(for: name, status: answer, now: now, validity: hours * 3600)
                print("\(name): \(answer) until \(now.addingTimeInterval(hours * 3600)) → \(url.path)")
            }
            #else
            throw ValidationError("\(OCSPFailure.unavailable)")
            #endif
        }
    }
}
