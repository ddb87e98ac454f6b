import SwiftASN1

/// RFC 5958 EncryptedPrivateKeyInfo with RFC 8018 PBES2, read as far as `PrivateKeyPEM.decrypt`
/// needs it: PBKDF2 (salt, iterations, HMAC-SHA256) and AES-256-CBC (IV). Anything else is refused.
enum EncryptedPrivateKeyInfo {
    static let pbes2: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 5, 13]
    static let pbkdf2: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 5, 12]
    static let hmacWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 113549, 2, 9]
    static let aes256CBC: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 1, 42]

    typealias Unsupported = PrivateKeyPEM.DecryptionFailure

    static func parse(_ der: [UInt8]) throws -> (salt: [UInt8], iterations: Int, iv: [UInt8], data: [UInt8]) {
        try DER.sequence(try DER.parse(der), identifier: .sequence) { nodes in
            let (salt, iterations, iv) = try DER.sequence(try next(&nodes), identifier: .sequence) { algorithm in
                try expect(algorithm: &algorithm, pbes2, "PBES2")
                return try DER.sequence(try next(&algorithm), identifier: .sequence) { parameters in
                    let (salt, iterations) = try DER.sequence(try next(&parameters), identifier: .sequence) { kdf in
                        try expect(algorithm: &kdf, pbkdf2, "PBKDF2")
                        return try DER.sequence(try next(&kdf), identifier: .sequence) { pbkdf2Parameters in
                            let salt = try ASN1OctetString(derEncoded: try next(&pbkdf2Parameters)).bytes
                            let iterations = try Int(derEncoded: try next(&pbkdf2Parameters))
                            var prf = pbkdf2Parameters.next()
                            if let node = prf, node.identifier == .integer { prf = pbkdf2Parameters.next() }  // keyLength: implied by the cipher
                            // Without a PRF the default is HMAC-SHA1: not written by us, not accepted.
                            guard let prf else { throw Unsupported.unsupported("PBKDF2 with HMAC-SHA1") }
                            try DER.sequence(prf, identifier: .sequence) { prfNodes in
                                try expect(algorithm: &prfNodes, hmacWithSHA256, "HMAC-SHA256")
                                _ = prfNodes.next()  // NULL parameters, if present
                            }
                            return (Array(salt), iterations)
                        }
                    }
                    let iv = try DER.sequence(try next(&parameters), identifier: .sequence) { scheme in
                        try expect(algorithm: &scheme, aes256CBC, "AES-256-CBC")
                        return Array(try ASN1OctetString(derEncoded: try next(&scheme)).bytes)
                    }
                    return (salt, iterations, iv)
                }
            }
            let data = Array(try ASN1OctetString(derEncoded: try next(&nodes)).bytes)
            return (salt, iterations, iv, data)
        }
    }

    private static func next(_ nodes: inout ASN1NodeCollection.Iterator) throws -> ASN1Node {
        guard let node = nodes.next() else { throw Unsupported.unsupported("truncated structure") }
        return node
    }

    private static func expect(algorithm nodes: inout ASN1NodeCollection.Iterator, _ oid: ASN1ObjectIdentifier, _ name: String) throws {
        let found = try ASN1ObjectIdentifier(derEncoded: try next(&nodes))
        guard found == oid else { throw Unsupported.unsupported("\(found) where \(name) was expected") }
    }
}
