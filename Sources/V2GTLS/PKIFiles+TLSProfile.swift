import Foundation
import V2GPKI

/// The TLS profiles of a PKI folder written by `v2g pki init`.
extension PKIFiles {
    /// The SECC's TLS profile: its chain, accepting vehicle chains from the OEM and V2G roots.
    /// With the OCSP responses `v2g pki ocsp` wrote (`ocsp/secc.ocsp.der`, then its Sub-CAs'), if
    /// the leaf's is there.
    public func seccProfile() throws -> TLSProfile {
        var profile = TLSProfile(role: .secc, certificateChain: try chain("secc"), privateKey: try privateKey("secc"),
                                 trustedRoots: [try certificate("oem-root"), try certificate("v2g-root")])
        let responses = ["secc", "cpo-subca2", "cpo-subca1"].map { try? Data(contentsOf: ocspResponseURL($0)) }
        if responses.first! != nil {
            profile.ocspResponses = responses.map { $0.map(Array.init) ?? [] }
        }
        return profile
    }

    /// The EVCC's TLS profile: the vehicle certificate, accepting SECC chains from the V2G root.
    public func evccProfile() throws -> TLSProfile {
        TLSProfile(role: .evcc, certificateChain: try chain("vehicle"), privateKey: try privateKey("vehicle"),
                   trustedRoots: [try certificate("v2g-root")])
    }
}
