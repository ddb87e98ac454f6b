import ISO20Common

/// An element an XML signature covers: one of the -20 elements with an `Id` attribute, as the
/// EXI fragment a Reference digests, and that Id (the Reference URI is "#" + Id).
public struct SignedElement: Sendable {
    public let id: String
    public let fragment: CommonMessagesFragment

    /// Nil for elements that carry no Id (a price schedule sent without one, or an element that
    /// -20 never signs).
    public init?(_ fragment: CommonMessagesFragment) {
        let id: String?
        switch fragment {
        case .pnC_AReqAuthorizationMode(let e): id = e.id
        case .oemProvisioningCertificateChain(let e): id = e.id
        case .signedInstallationData(let e): id = e.id
        case .signedMeteringData(let e): id = e.id
        case .absolutePriceSchedule(let e): id = e.id
        case .priceLevelSchedule(let e): id = e.id
        default: id = nil
        }
        guard let id else { return nil }
        self.id = id
        self.fragment = fragment
    }
}
