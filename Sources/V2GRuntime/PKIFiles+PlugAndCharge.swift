import Foundation
import V2GPKI
import V2GSession

/// Plug & Charge from a PKI folder written by `v2g pki init`.
extension PKIFiles {
    /// The SECC's contract checks: contract chains to the V2G or the MO root (of both PKIs with
    /// `--algorithm both`), answered by `authorizer`.
    public func seccPlugAndCharge(authorizer: any ContractAuthorizer = LocalContractAuthorizer()) throws -> SECCPlugAndCharge {
        SECCPlugAndCharge(check: ContractAuthorizationCheck(trustedRootsDER: try rootsDER("v2g-root", "mo-root")), authorizer: authorizer)
    }

    /// The vehicle's contract: `contract-chain.pem` (leaf, MO Sub-CA 2, MO Sub-CA 1), its eMAID
    /// (the certificate's common name), and a signer with `contract.key.pem` (P-521 or Ed448).
    public func evccContract() throws -> (contract: EVCCContract, signer: KeyVehicleSigner) {
        let chain = try chainDER("contract")
        guard let emaid = try CertificateSummary(der: chain[0]).commonName else { throw Failure.unreadable("the eMAID of contract.pem") }
        let key = try XMLSignatureSigningKey(pem: try privateKeyPEM("contract"))
        return (EVCCContract(certificateChain: chain, emaid: emaid), KeyVehicleSigner(contractKey: key))
    }
}
