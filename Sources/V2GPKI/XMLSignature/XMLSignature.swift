import Crypto
import EXI
import V2GCodec
import XMLDSig

/// -20 XML signatures over EXI (PROTOCOL-NOTES §1.3): each Reference digests the EXI fragment of a
/// signed element; the SignatureValue signs the EXI fragment of SignedInfo (`SignatureInput`).
/// Canonical EXI is named as CanonicalizationMethod and as each Reference's Transform (the XSD makes
/// the Transform optional; Josev requires it, so we send it).
public enum XMLSignature {
    /// The Signature for a message header, covering `elements` with `key`'s algorithm. With
    /// `certificateChain` (leaf first, DER) the Signature carries it in KeyInfo/X509Data, for
    /// elements whose signer the receiver does not otherwise know (signed price schedules).
    public static func sign(_ elements: [SignedElement], with key: XMLSignatureSigningKey, certificateChain: [[UInt8]]? = nil,
                            options: EXIEncoder.Options = .default) throws -> SignatureType {
        let algorithm = key.algorithm
        let references = try elements.map { element in
            ReferenceType(uri: "#" + element.id,
                          transforms: TransformsType(transform: [TransformType(algorithm: XMLSignatureAlgorithm.canonicalization)]),
                          digestMethod: DigestMethodType(algorithm: algorithm.digestMethod),
                          digestValue: try digest(element, algorithm, options))
        }
        let signedInfo = SignedInfoType(canonicalizationMethod: CanonicalizationMethodType(algorithm: XMLSignatureAlgorithm.canonicalization),
                                        signatureMethod: SignatureMethodType(algorithm: algorithm.rawValue), reference: references)
        let value = try key.signature(for: try SignatureInput.bytesToSign(signedInfo, options: options))
        let keyInfo = certificateChain.map { chain in KeyInfoType(choice: [.x509Data(X509DataType(choice: chain.map { .x509Certificate($0) }))]) }
        return SignatureType(signedInfo: signedInfo, signatureValue: SignatureValueType(content: value), keyInfo: keyInfo)
    }

    /// Checks `signature` as the -20 profile has it: Canonical EXI; a SignatureMethod of the profile
    /// that matches `key`; exactly the given elements referenced, each once, by "#Id", with the
    /// algorithm's DigestMethod and a digest recomputed from the element; a SignatureValue of the
    /// algorithm's length that verifies over the SignedInfo fragment. Returns the algorithm.
    public static func verify(_ signature: SignatureType, covering elements: [SignedElement], with key: XMLSignatureVerifyingKey,
                              options: EXIEncoder.Options = .default) -> Result<XMLSignatureAlgorithm, XMLSignatureFailure> {
        let signedInfo = signature.signedInfo
        guard signedInfo.canonicalizationMethod.algorithm == XMLSignatureAlgorithm.canonicalization else {
            return .failure(.unsupportedCanonicalization(signedInfo.canonicalizationMethod.algorithm))
        }
        guard let algorithm = XMLSignatureAlgorithm(rawValue: signedInfo.signatureMethod.algorithm),
              algorithm.isAvailable else {
            return .failure(.unsupportedAlgorithm(signedInfo.signatureMethod.algorithm))
        }
        guard algorithm == key.algorithm else { return .failure(.unsupportedKey) }
        // Two elements with one Id: a single Reference would cover only one of them.
        guard Set(elements.map(\.id)).count == elements.count else {
            return .failure(.unknownReference(uri: "#" + (elements.map(\.id).first { id in elements.filter { $0.id == id }.count > 1 } ?? "")))
        }
        var unreferenced = Dictionary(uniqueKeysWithValues: elements.map { ($0.id, $0) })
        for reference in signedInfo.reference {
            let uri = reference.uri ?? ""
            guard uri.hasPrefix("#"), let element = unreferenced.removeValue(forKey: String(uri.dropFirst())) else {
                return .failure(.unknownReference(uri: uri))
            }
            if let transform = reference.transforms?.transform.first(where: { $0.algorithm != XMLSignatureAlgorithm.canonicalization }) {
                return .failure(.unsupportedCanonicalization(transform.algorithm))
            }
            guard reference.digestMethod.algorithm == algorithm.digestMethod else {
                return .failure(.unsupportedAlgorithm(reference.digestMethod.algorithm))
            }
            do {
                guard try digest(element, algorithm, options) == reference.digestValue else { return .failure(.digestMismatch(id: element.id)) }
            } catch {
                return .failure(failure(error))
            }
        }
        if let missing = unreferenced.keys.sorted().first { return .failure(.unreferencedElement(id: missing)) }
        let value = signature.signatureValue.content
        guard value.count == algorithm.signatureLength else { return .failure(.malformedSignatureValue(length: value.count)) }
        do {
            guard key.isValidSignature(value, for: try SignatureInput.bytesToSign(signedInfo, options: options)) else {
                return .failure(.invalidSignature)
            }
        } catch {
            return .failure(failure(error))
        }
        return .success(algorithm)
    }

    /// The DigestValue of a Reference to `element`: SHA-512, or SHAKE256 (64 bytes) with Ed448.
    static func digest(_ element: SignedElement, _ algorithm: XMLSignatureAlgorithm, _ options: EXIEncoder.Options) throws -> [UInt8] {
        let bytes = try SignatureInput.bytesToDigest(element.fragment, options: options)
        switch algorithm {
        case .ecdsaP521SHA512: return Array(SHA512.hash(data: bytes))
        case .ed448:
            #if OpenSSL
            return try SHAKE256.hash(bytes, length: algorithm.digestLength)
            #else
            throw XMLSignatureFailure.unsupportedAlgorithm(algorithm.digestMethod)
            #endif
        }
    }

    private static func failure(_ error: any Error) -> XMLSignatureFailure {
        if let failure = error as? XMLSignatureFailure { return failure }
        if let exi = error as? EXIError { return .encoding(exi) }
        return .unsupportedAlgorithm("\(error)")
    }
}

extension XMLSignatureAlgorithm {
    /// Whether this build computes it: Ed448 and SHAKE256 need the OpenSSL trait.
    public var isAvailable: Bool {
        #if OpenSSL
        true
        #else
        self == .ecdsaP521SHA512
        #endif
    }
}
