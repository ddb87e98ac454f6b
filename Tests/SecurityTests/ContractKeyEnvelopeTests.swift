import Crypto
import Foundation
import Testing
import TestSupport
@testable import V2GPKI

/// The contract-key envelope of CertificateInstallationRes: independent vectors from pyca/cryptography
/// (ECDH, ConcatKDFHash(SHA-512, 32 bytes, otherinfo 01 55 56), AESGCM with AAD PCID ‖ HEX(SKI)),
/// and every way an envelope must fail to open: tampered, another vehicle, another binding,
/// another contract certificate, a bad key inside, bad lengths and points.
@Suite(.offPool) struct ContractKeyEnvelopeTests {
    typealias Envelope = ContractKeyEnvelope
    static let binding = Envelope.Binding(pcid: "WMIV1234567890ABCD", contractSubjectKeyIdentifier: Array(1...20))
    static let iv = Array(hex: "000102030405060708090a0b")

    /// Computed with pyca/cryptography 48.0.0 from keys fixed by SHA-512 of "recipient",
    /// "ephemeral" and "contract" by Tests/Vectors/contract-key-envelope.py.
    enum P521Vector {
        static let recipient = "0000e0823225f6ea4ebca9d3de4fe02ade90e47f7d14bfe1bb03a06d8054cd250a7bdf93c4e2a9ec1de5a0216f3081102e78332509cac473ace1010fb7bc52b5c5b6"
        static let ephemeral = "00007dfb9e469ec61ef2a02aacdacc0a19b9e32c6c44671df04bd81bc41fbbc446e9f9d9384b4620c728ff1c0df5aa3cfa401cbf2a36d02022895c5903f2daf302ca"
        static let contract = "0000b2c5830a0c79be5ea017ac77c4f9784c788f67049752d32972968592c47010f50253725447d34e2d97f1b46f3223bd3f2e8a88609a951e94edb11d401b00e0f4"
        static let dhPublicKey = "040141f08b17bbdcc5f2cf1f4da2b156c02ecfe6c97b58bf582bc7723211260eec43ef17a03d99e33e0952beb354992d95e1268cb0ad12fad4990d013065c089ae07d001b13b4a75e50fb159112ea2ea6b1d7c0e73504f2bc9a00e41d5c4642db937911798c291300556d2ebbd49c8ec716c4d2780803ae7e081f5232c5d4c454fbd06aba6"
        static let encrypted = "000102030405060708090a0ba673e825490ad595fb16961fc511e0411928ea271d9c938e899a6b6888f8f196ca8f3f31896f839bffeef77031e9adaaea0f0fff1d999f2af3f10f178af4f0db312dcc22274d4076d6ff27e16a5a89d6dc09"
    }

    @Test func p521MatchesAnIndependentImplementation() throws {
        let recipient = try P521.KeyAgreement.PrivateKey(rawRepresentation: Array(hex: P521Vector.recipient))
        let contract = try P521.Signing.PrivateKey(rawRepresentation: Array(hex: P521Vector.contract))
        let envelope = try Envelope.seal(contractKey: contract, to: recipient.publicKey, binding: Self.binding,
                                         ephemeral: try P521.KeyAgreement.PrivateKey(rawRepresentation: Array(hex: P521Vector.ephemeral)), iv: Self.iv)
        #expect(envelope.dhPublicKey == Array(hex: P521Vector.dhPublicKey))
        #expect(envelope.encryptedPrivateKey == Array(hex: P521Vector.encrypted))
        #expect(envelope.encryptedPrivateKey.count == 94)
        let received = try Envelope(curve: .secp521r1, dhPublicKey: Array(hex: P521Vector.dhPublicKey), encryptedPrivateKey: Array(hex: P521Vector.encrypted))
        let opened = try received.open(with: recipient, binding: Self.binding, contractPublicKey: contract.publicKey)
        #expect(opened.rawRepresentation == contract.rawRepresentation)
    }

    @Test func p521EnvelopesRefuseEverythingButTheirVehicleBindingAndCertificate() throws {
        let recipient = P521.KeyAgreement.PrivateKey()
        let contract = P521.Signing.PrivateKey()
        let envelope = try Envelope.seal(contractKey: contract, to: recipient.publicKey, binding: Self.binding)
        #expect(envelope.dhPublicKey.count == 133)
        #expect(try envelope.open(with: recipient, binding: Self.binding, contractPublicKey: contract.publicKey).rawRepresentation
                == contract.rawRepresentation)
        // A fresh IV and ephemeral key each time: two seals of one key differ.
        #expect(try Envelope.seal(contractKey: contract, to: recipient.publicKey, binding: Self.binding) != envelope)

        for index in [0, 11, 12, 50, 77, 78, 93] {  // IV, ciphertext, tag
            var bytes = envelope.encryptedPrivateKey
            bytes[index] ^= 0x20
            let tampered = try Envelope(curve: .secp521r1, dhPublicKey: envelope.dhPublicKey, encryptedPrivateKey: bytes)
            #expect(throws: Envelope.Failure.decryptionFailed, "byte \(index)") {
                try tampered.open(with: recipient, binding: Self.binding, contractPublicKey: contract.publicKey)
            }
        }
        #expect(throws: Envelope.Failure.decryptionFailed) {
            try envelope.open(with: P521.KeyAgreement.PrivateKey(), binding: Self.binding, contractPublicKey: contract.publicKey)
        }
        for binding in [Envelope.Binding(pcid: "WMIV1234567890ABCE", contractSubjectKeyIdentifier: Array(1...20)),
                        Envelope.Binding(pcid: Self.binding.pcid, contractSubjectKeyIdentifier: Array(2...21))] {
            #expect(throws: Envelope.Failure.decryptionFailed) {
                try envelope.open(with: recipient, binding: binding, contractPublicKey: contract.publicKey)
            }
        }
        #expect(throws: Envelope.Failure.keyMismatch) {
            try envelope.open(with: recipient, binding: Self.binding, contractPublicKey: P521.Signing.PrivateKey().publicKey)
        }
    }

    /// A correctly sealed 66-byte value that is no P-521 key: padding bits set, zero, the order.
    @Test func p521RefusesAnInvalidKeyInside() throws {
        let recipient = P521.KeyAgreement.PrivateKey()
        let ephemeral = P521.KeyAgreement.PrivateKey()
        let z = try ephemeral.sharedSecretFromKeyAgreement(with: recipient.publicKey).withUnsafeBytes { Array($0) }
        let order = Array(hex: "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409")
        for scalar in [[0x02] + [UInt8](repeating: 1, count: 65), [UInt8](repeating: 0, count: 66), order] {
            let envelope = try Envelope(curve: .secp521r1, dhPublicKey: Array(ephemeral.publicKey.x963Representation),
                                        encryptedPrivateKey: try Envelope.encrypt(scalar, sharedSecret: z, binding: Self.binding, iv: nil))
            #expect(throws: Envelope.Failure.invalidPrivateKey(.secp521r1)) {
                try envelope.open(with: recipient, binding: Self.binding, contractPublicKey: P521.Signing.PrivateKey().publicKey)
            }
        }
    }

    @Test func malformedEnvelopesAreRefusedWithTypedErrors() throws {
        let encrypted = [UInt8](repeating: 0, count: 94)
        #expect(throws: Envelope.Failure.wrongLength(.secp521r1, expected: 94, actual: 93)) {
            try Envelope(curve: .secp521r1, dhPublicKey: [4] + [UInt8](repeating: 1, count: 132), encryptedPrivateKey: Array(encrypted.dropLast()))
        }
        #expect(throws: Envelope.Failure.wrongLength(.x448, expected: 84, actual: 94)) {
            try Envelope(curve: .x448, dhPublicKey: [4] + [UInt8](repeating: 1, count: 56), encryptedPrivateKey: encrypted)
        }
        // X448's key is not padded to the XSD's 133 bytes; a compressed or headless point is refused.
        #expect(throws: Envelope.Failure.malformedDHPublicKey(.x448, length: 133)) {
            try Envelope(curve: .x448, dhPublicKey: [4] + [UInt8](repeating: 1, count: 132), encryptedPrivateKey: Array(encrypted.prefix(84)))
        }
        #expect(throws: Envelope.Failure.malformedDHPublicKey(.secp521r1, length: 133)) {
            try Envelope(curve: .secp521r1, dhPublicKey: [2] + [UInt8](repeating: 1, count: 132), encryptedPrivateKey: encrypted)
        }
        // Well-formed lengths, but not a point of P-521.
        let offCurve = try Envelope(curve: .secp521r1, dhPublicKey: [4] + [UInt8](repeating: 1, count: 132), encryptedPrivateKey: encrypted)
        #expect(throws: Envelope.Failure.malformedDHPublicKey(.secp521r1, length: 133)) {
            try offCurve.open(with: P521.KeyAgreement.PrivateKey(), binding: Self.binding, contractPublicKey: P521.Signing.PrivateKey().publicKey)
        }
    }

    /// The AAD as the -20 text has it: PCID then the SKI in upper-case hexadecimal, both ASCII.
    @Test func theBindingIsPCIDThenUpperCaseHexSKI() {
        let binding = Envelope.Binding(pcid: "WMIV1234567890ABCD", contractSubjectKeyIdentifier: [0x0A, 0xBC, 0xFF])
        #expect(String(decoding: binding.bytes, as: UTF8.self) == "WMIV1234567890ABCD0ABCFF")
    }

    #if OpenSSL
    enum X448Vector {
        static let recipient = "e0823225f6ea4ebca9d3de4fe02ade90e47f7d14bfe1bb03a06d8054cd250a7bdf93c4e2a9ec1de5a0216f3081102e78332509cac473ace1"
        static let ephemeral = "7dfb9e469ec61ef2a02aacdacc0a19b9e32c6c44671df04bd81bc41fbbc446e9f9d9384b4620c728ff1c0df5aa3cfa401cbf2a36d0202289"
        static let contract = "8e0a8b49bddccc04150e4b670afb6f42c72248ff3ec26c442e9ba86cb4a4c4f11b740d2ab8468e440236229f1de353106e5fa58684d97988"
        static let dhPublicKey = "04ce37a32be49fbaa2704f55c4ec2af4563fe848bd41eaf4e943c28954f37f2689abe82891ba8f048b9cc4120ca2202c1b61aae69df71775c3"
        static let encrypted = "000102030405060708090a0bbf45a96503db38e414eb7365870e830c1368fbacd4237c6f242f1b59c37f4ad40dd33e9653c8d4956a0beb0583dc2de75fc609bb3154c6f55c3b570c61bdc9e4318fea7112a6db51"
    }

    @Test func x448MatchesAnIndependentImplementation() throws {
        let recipient = try X448PrivateKey(rawRepresentation: Array(hex: X448Vector.recipient))
        let contract = Array(hex: X448Vector.contract)
        let envelope = try Envelope.seal(x448ContractKey: contract, to: try recipient.publicKey, binding: Self.binding,
                                         ephemeral: try X448PrivateKey(rawRepresentation: Array(hex: X448Vector.ephemeral)), iv: Self.iv)
        #expect(envelope.dhPublicKey == Array(hex: X448Vector.dhPublicKey))
        #expect(envelope.encryptedPrivateKey == Array(hex: X448Vector.encrypted))
        #expect(envelope.encryptedPrivateKey.count == 84 && envelope.dhPublicKey.count == 57)
        let received = try Envelope(curve: .x448, dhPublicKey: Array(hex: X448Vector.dhPublicKey), encryptedPrivateKey: Array(hex: X448Vector.encrypted))
        #expect(try received.open(with: recipient, binding: Self.binding) { $0 == contract } == contract)
    }

    @Test func x448EnvelopesRefuseEverythingButTheirVehicleBindingAndCertificate() throws {
        let recipient = try X448PrivateKey()
        let contract = try X448PrivateKey()
        let envelope = try Envelope.seal(x448ContractKey: contract.rawRepresentation, to: try recipient.publicKey, binding: Self.binding)
        // The contract key as an X448 key: its base-point multiple is the certificate's key.
        let matches: ([UInt8]) -> Bool = { raw in (try? X448PrivateKey(rawRepresentation: raw).publicKey) == (try? contract.publicKey) }
        #expect(try envelope.open(with: recipient, binding: Self.binding, belongsToContract: matches) == contract.rawRepresentation)
        for index in [0, 12, 83] {
            var bytes = envelope.encryptedPrivateKey
            bytes[index] ^= 0x01
            let tampered = try Envelope(curve: .x448, dhPublicKey: envelope.dhPublicKey, encryptedPrivateKey: bytes)
            #expect(throws: Envelope.Failure.decryptionFailed) { try tampered.open(with: recipient, binding: Self.binding, belongsToContract: matches) }
        }
        #expect(throws: Envelope.Failure.decryptionFailed) {
            try envelope.open(with: try X448PrivateKey(), binding: Self.binding, belongsToContract: matches)
        }
        #expect(throws: Envelope.Failure.decryptionFailed) {
            try envelope.open(with: recipient, binding: Envelope.Binding(pcid: "X", contractSubjectKeyIdentifier: []), belongsToContract: matches)
        }
        #expect(throws: Envelope.Failure.keyMismatch) { try envelope.open(with: recipient, binding: Self.binding) { _ in false } }
        // An X448 envelope is not opened as P-521, nor the other way round.
        #expect(throws: Envelope.Failure.unavailable(.x448)) {
            try envelope.open(with: P521.KeyAgreement.PrivateKey(), binding: Self.binding, contractPublicKey: P521.Signing.PrivateKey().publicKey)
        }
        // The all-zero point (low order): OpenSSL refuses the agreement.
        let lowOrder = try Envelope(curve: .x448, dhPublicKey: [4] + [UInt8](repeating: 0, count: 56), encryptedPrivateKey: envelope.encryptedPrivateKey)
        #expect(throws: Envelope.Failure.malformedDHPublicKey(.x448, length: 57)) {
            try lowOrder.open(with: recipient, binding: Self.binding, belongsToContract: matches)
        }
    }
    #endif
}
