import Crypto
import Foundation
import V2GPKI

/// The TLS profiles of a PKI folder written by `v2g pki init`.
extension PKIFiles {
    /// The SECC's TLS profile: its chain, accepting vehicle chains from the OEM and V2G roots.
    /// With the OCSP responses `v2g pki ocsp` wrote (`ocsp/secc.ocsp.der`, then its Sub-CAs'), if
    /// the leaf's is there.
    public func seccProfile() throws -> TLSProfile {
        var profile = TLSProfile(role: .secc, certificateChain: .der(try chainDER("secc")), privateKey: try key("secc"),
                                 trustedRoots: .der(try rootsDER("oem-root", "v2g-root")))
        let responses = TestPKI.chainNames("secc").map { (try? Data(contentsOf: ocspResponseURL($0))).map(Array.init) ?? [] }
        if responses.first?.isEmpty == false { profile.ocspResponses = responses }
        return profile
    }

    /// The EVCC's TLS profile: the vehicle certificate, accepting SECC chains from the V2G root.
    public func evccProfile() throws -> TLSProfile {
        TLSProfile(role: .evcc, certificateChain: .der(try chainDER("vehicle")), privateKey: try key("vehicle"),
                   trustedRoots: .der(try rootsDER("v2g-root")))
    }

    /// A P-521 key as such (every backend reads it); another (Ed448) as PKCS#8 for the OpenSSL backend.
    func key(_ name: String) throws -> TLSPrivateKey {
        let pem = try privateKeyPEM(name)
        if let p521 = try? P521.Signing.PrivateKey(pemRepresentation: pem) { return .p521(p521) }
        return .pkcs8PEM(pem)
    }
}
