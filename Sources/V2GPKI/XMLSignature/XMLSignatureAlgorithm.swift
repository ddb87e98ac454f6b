/// The algorithms of the -20 XML signature profile: the SignatureMethod, the DigestMethod of
/// every Reference that goes with it, and the SignatureValue's length. Anything else is refused.
///
/// secp521r1: `xmldsig-more#ecdsa-sha512` with `xmlenc#sha512`, r‖s of 66 bytes each
/// ([V2G20-2473], [V2G20-2475], [V2G20-1000]). Ed448 ([V2G20-2319]): the standard's own URNs,
/// not RFC 9231's `eddsa-ed448` ([V2G20-2474], [V2G20-2476]); PureEdDSA over the SignedInfo
/// fragment, R‖S of 57 bytes each; the references digested with SHAKE256, 64 bytes (the length is
/// not in the public text: 64 is what EVerest produces and requires, and the SHA-512 size).
public enum XMLSignatureAlgorithm: String, Sendable, CaseIterable {
    case ecdsaP521SHA512 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512"
    case ed448 = "urn:iso:std:iso:15118:-20:Security:xmldsig#Ed448"

    /// CanonicalizationMethod and the Reference Transform: Canonical EXI, the only one -20 uses.
    public static let canonicalization = "http://www.w3.org/TR/canonical-exi/"

    public var digestMethod: String {
        switch self {
        case .ecdsaP521SHA512: "http://www.w3.org/2001/04/xmlenc#sha512"
        case .ed448: "urn:iso:std:iso:15118:-20:Security:xmlenc#SHAKE256"
        }
    }

    public var signatureLength: Int { self == .ecdsaP521SHA512 ? 132 : 114 }
    public var digestLength: Int { 64 }
}
