import ArgumentParser
import Foundation
import V2GPKI
import V2GTLS

struct PKICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki",
        abstract: "Test PKI of the ISO 15118-20 profile (secp521r1, ecdsa-with-SHA512).",
        subcommands: [Init.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create V2G/CPO, OEM, MO and CPS chains with OCSP signers in DIR.")

        @Argument(help: "Directory to write the PEM files and manifest.json into.") var directory: String
        @Option(help: "Encrypt the private keys (PKCS#8, PBES2/AES-256-CBC) with this passphrase.") var passphrase: String?
        @Option(name: .customLong("evse-id"), help: "SECC certificate CN.") var evseID = TestPKI.Options().evseID
        @Option(name: .customLong("evcc-id"), help: "Vehicle certificate CN.") var evccID = TestPKI.Options().evccID
        @Option(help: "Contract certificate CN.") var emaid = TestPKI.Options().emaid

        func run() throws {
            var options = TestPKI.Options()
            options.evseID = evseID
            options.evccID = evccID
            options.emaid = emaid
            let start = ContinuousClock.now
            let pki = try TestPKI(options)
            let generated = ContinuousClock.now - start
            try pki.write(to: URL(fileURLWithPath: directory), passphrase: passphrase)
            print("wrote \(pki.files.count) certificates and keys to \(directory) (generated in \(generated))")
        }
    }
}
