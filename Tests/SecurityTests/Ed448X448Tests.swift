#if OpenSSL
import Foundation
import Testing
import TestSupport
import V2GPKI

/// Ed448 and X448 through OpenSSL's EVP API against the RFC test vectors, and what they must refuse.
@Suite(.offPool) struct Ed448X448Tests {

    /// RFC 8032 §7.4 ("-----Blank" and "-----1 octet"): secret key → public key and signature.
    static let ed448Vectors: [(secret: String, public: String, message: String, signature: String)] = [
        ("6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b",
         "5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180",
         "",
         "533a37f6bbe457251f023c0d88f976ae2dfb504a843e34d2074fd823d41a591f2b233f034f628281f2fd7a22ddd47d7828c59bd0a21bfd3980"
            + "ff0d2028d4b18a9df63e006c5d1c2d345b925d8dc00b4104852db99ac5c7cdda8530a113a0f4dbb61149f05a7363268c71d95808ff2e652600"),
        ("c4eab05d357007c632f3dbb48489924d552b08fe0c353a0d4a1f00acda2c463afbea67c5e8d2877c5e3bc397a659949ef8021e954e0a12274e",
         "43ba28f430cdff456ae531545f7ecd0ac834a55d9358c0372bfa0c6c6798c0866aea01eb00742802b8438ea4cb82169c235160627b4c3a9480",
         "03",
         "26b8f91727bd62897af15e41eb43c377efb9c610d48f2335cb0bd0087810f4352541b143c4b981b7e18f62de8ccdf633fc1bf037ab7cd77980"
            + "5e0dbcc0aae1cbcee1afb2e027df36bc04dcecbf154336c19f0af7e0a6472905e799f1953d2a0ff3348ab21aa4adafd1d234441cf807c03a00"),
    ]

    @Test func ed448MatchesRFC8032() throws {
        for v in Self.ed448Vectors {
            let key = try Ed448PrivateKey(rawRepresentation: Array(hex: v.secret))
            #expect(try key.publicKey.rawRepresentation == Array(hex: v.public))
            let signature = try key.signature(for: Array(hex: v.message))
            #expect(signature == Array(hex: v.signature))  // Ed448 is deterministic
            #expect(try Ed448PublicKey(rawRepresentation: Array(hex: v.public)).isValidSignature(signature, for: Array(hex: v.message)))
        }
    }

    /// Tampered message, tampered signature, wrong key, wrong length: all false, none traps.
    @Test func ed448RefusesForgeries() throws {
        let key = try Ed448PrivateKey()
        let message = Array("SignedInfo".utf8)
        let signature = try key.signature(for: message)
        #expect(signature.count == 114)
        let publicKey = try key.publicKey
        #expect(publicKey.isValidSignature(signature, for: message))
        #expect(!publicKey.isValidSignature(signature, for: message + [0]))
        var flipped = signature
        flipped[10] ^= 0x40
        #expect(!publicKey.isValidSignature(flipped, for: message))
        #expect(!(try Ed448PrivateKey().publicKey).isValidSignature(signature, for: message))
        #expect(!publicKey.isValidSignature(Array(signature.dropLast()), for: message))
        #expect(!publicKey.isValidSignature([], for: message))
        #expect(throws: OpenSSLFailure.self) { try Ed448PrivateKey(rawRepresentation: [1, 2, 3]) }
    }

    @Test func ed448PEMRoundTripsThroughTheOpenSSLCLI() async throws {
        let key = try Ed448PrivateKey()
        let pem = try key.pemRepresentation
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(try Ed448PrivateKey(pemRepresentation: pem).rawRepresentation == key.rawRepresentation)
        let p521 = try TestPKI().secc.privateKey.pemRepresentation
        #expect(throws: OpenSSLFailure.self) { try Ed448PrivateKey(pemRepresentation: p521) }
        if TestPKITests.openssl != nil {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("ed448-\(UUID().uuidString).pem")
            try Data(pem.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let (_, text) = try await OpenSSLInteropTests.run(["pkey", "-in", file.path, "-noout", "-text"])
            #expect(text.contains("ED448 Private-Key"), "\(text)")
        }
    }

    /// RFC 7748 §6.2: Alice's and Bob's keys and their shared secret.
    @Test func x448MatchesRFC7748() throws {
        let alice = try X448PrivateKey(rawRepresentation: Array(hex:
            "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b"))
        let bob = try X448PrivateKey(rawRepresentation: Array(hex:
            "1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d"))
        #expect(try alice.publicKey.rawRepresentation == Array(hex:
            "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0"))
        #expect(try bob.publicKey.rawRepresentation == Array(hex:
            "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609"))
        let shared = Array(hex: "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56fd2464c335543936521c24403085d59a449a5037514a879d")
        #expect(try alice.sharedSecret(with: bob.publicKey) == shared)
        #expect(try bob.sharedSecret(with: alice.publicKey) == shared)
    }

    /// A low-order point (u = 0) gives the all-zero secret: refused, not returned.
    @Test func x448RefusesALowOrderPoint() throws {
        let key = try X448PrivateKey()
        let zero = try X448PublicKey(rawRepresentation: [UInt8](repeating: 0, count: 56))
        #expect(throws: OpenSSLFailure.self) { try key.sharedSecret(with: zero) }
        #expect(throws: OpenSSLFailure.self) { try X448PublicKey(rawRepresentation: [UInt8](repeating: 0, count: 55)) }
    }
}
#endif
