import V2GPKI

/// The TLS profiles of a PKI folder written by `v2g pki init`.
extension PKIFiles {
    /// The SECC's TLS profile: its chain, accepting vehicle chains from the OEM and V2G roots.
    public func seccProfile() throws -> TLSProfile {
        TLSProfile(role: .secc, certificateChain: try chain("secc"), privateKey: try privateKey("secc"),
                   trustedRoots: [try certificate("oem-root"), try certificate("v2g-root")])
    }

    /// The EVCC's TLS profile: the vehicle certificate, accepting SECC chains from the V2G root.
    public func evccProfile() throws -> TLSProfile {
        TLSProfile(role: .evcc, certificateChain: try chain("vehicle"), privateKey: try privateKey("vehicle"),
                   trustedRoots: [try certificate("v2g-root")])
    }
}
