#if OpenSSL
extension ContractKeyEnvelope {
    /// Seals a 56-byte contract key for the vehicle whose OEM provisioning certificate carries
    /// the X448 key `recipient` (its alternate, key-agreement key), with a fresh ephemeral key
    /// (`ephemeral` and `iv` only for test vectors). DHPublicKey is 0x04 ‖ u, 57 bytes.
    public static func seal(x448ContractKey contractKey: [UInt8], to recipient: X448PublicKey, binding: Binding,
                            ephemeral: X448PrivateKey? = nil, iv: [UInt8]? = nil) throws -> ContractKeyEnvelope {
        guard contractKey.count == Curve.x448.privateKeyLength else { throw Failure.invalidPrivateKey(.x448) }
        let ephemeral = try ephemeral ?? X448PrivateKey()
        let z = try ephemeral.sharedSecret(with: recipient)
        return try ContractKeyEnvelope(curve: .x448, dhPublicKey: [0x04] + (try ephemeral.publicKey.rawRepresentation),
                                       encryptedPrivateKey: try encrypt(contractKey, sharedSecret: z, binding: binding, iv: iv))
    }

    /// Opens an X448 envelope with the OEM provisioning certificate's X448 key: the contract
    /// key's 56 bytes. `belongsToContract` checks them against the contract certificate — the -20
    /// text asks for a base-point multiplication but leaves the contract key's form open (an Ed448
    /// key is a 57-byte seed in RFC 8032), so the caller that knows its contract key type decides.
    public func open(with recipient: X448PrivateKey, binding: Binding,
                     belongsToContract: ([UInt8]) -> Bool) throws(Failure) -> [UInt8] {
        guard curve == .x448 else { throw .unavailable(curve) }
        let z: [UInt8]
        do {
            z = try recipient.sharedSecret(with: try X448PublicKey(rawRepresentation: Array(dhPublicKey.dropFirst())))
        } catch {
            throw .malformedDHPublicKey(curve, length: dhPublicKey.count)
        }
        let key = try decrypt(sharedSecret: z, binding: binding)
        guard key.count == Curve.x448.privateKeyLength else { throw .invalidPrivateKey(curve) }
        guard belongsToContract(key) else { throw .keyMismatch }
        return key
    }
}
#endif
