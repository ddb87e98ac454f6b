import Foundation
import ISO20Common
import XMLDSig

/// What the EVCC checks in a signed ScheduleExchangeRes: the header Signature covers every price
/// schedule it carries (each with an Id), made with the key of the certificate its KeyInfo
/// carries, whose chain ends in a root the EV trusts (V2G or MO), with the -20 profile.
public struct PriceScheduleCheck: Sendable {
    public let trustedRootsDER: [[UInt8]]

    public init(trustedRootsDER: [[UInt8]]) { self.trustedRootsDER = trustedRootsDER }

    /// The signer (its certificate's common name) when the check passes.
    public func check(_ schedules: [CommonMessagesFragment], signature: SignatureType?, now: Date = Date()) async -> Result<String, PlugAndChargeRefusal> {
        let elements = schedules.compactMap(SignedElement.init)
        guard !elements.isEmpty, elements.count == schedules.count else {
            return .failure(PlugAndChargeRefusal(.failed_SignatureError, "a price schedule without an Id cannot be signed"))
        }
        let chain = signature?.keyInfo?.choice.flatMap { choice -> [[UInt8]] in
            guard case .x509Data(let data) = choice else { return [] }
            return data.choice.compactMap { if case .x509Certificate(let der) = $0 { return der }; return nil }
        } ?? []
        let passed = await SignedChainCheck(trustedRootsDER: trustedRootsDER).check(elements, chain: chain, signature: signature, now: now)
        return passed.map { $0.leaf.commonName ?? "?" }
    }
}
