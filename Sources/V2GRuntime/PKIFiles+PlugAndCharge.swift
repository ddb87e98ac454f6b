import Crypto
import Foundation
import V2GPKI
import V2GSession
import X509
import XMLDSig

/// Plug & Charge from a PKI folder written by `v2g pki init`.
extension PKIFiles {
    /// The SECC's contract checks: contract chains to the V2G or the MO root (of both PKIs with
    /// `--algorithm both`), answered by `authorizer`; with `installation`, CertificateInstallation
    /// too: provisioning chains to the OEM root, contracts from the folder's simulated CPS.
    public func seccPlugAndCharge(authorizer: any ContractAuthorizer = LocalContractAuthorizer(), installation: Bool = false) throws -> SECCPlugAndCharge {
        var plugAndCharge = SECCPlugAndCharge(check: ContractAuthorizationCheck(trustedRootsDER: try rootsDER("v2g-root", "mo-root")), authorizer: authorizer)
        if installation {
            plugAndCharge.installation = SECCCertificateInstallation(check: ProvisioningCheck(trustedRootsDER: try rootsDER("oem-root")),
                                                                     provider: try SimulatedCPS(files: self))
        }
        return plugAndCharge
    }

    /// The SECC certificate's key and chain as the signer of price schedules.
    public func priceScheduleSigner() throws -> PriceScheduleSigner {
        PriceScheduleSigner(key: try XMLSignatureSigningKey(pem: try privateKeyPEM("secc")), certificateChain: try chainDER("secc"))
    }

    /// The vehicle's Plug & Charge: its contract (`contract-chain.pem`, the eMAID its certificate
    /// names, `contract.key.pem`, P-521 or Ed448) unless it is to start without one, and its OEM
    /// provisioning chain and key for CertificateInstallation (P-521), trusting the folder's V2G
    /// and MO roots for what it installs.
    public func evccPlugAndCharge(withContract: Bool = true, store: (@Sendable (ContractInstallation.Installed) -> Void)? = nil) throws
        -> (contract: EVCCContract?, provisioning: EVCCProvisioning?, keys: VehicleKeys) {
        var contract: EVCCContract?
        var contractKey: XMLSignatureSigningKey?
        if withContract {
            let chain = try chainDER("contract")
            guard let emaid = try CertificateSummary(der: chain[0]).commonName else { throw Failure.unreadable("the eMAID of contract.pem") }
            contract = EVCCContract(certificateChain: chain, emaid: emaid)
            contractKey = try XMLSignatureSigningKey(pem: try privateKeyPEM("contract"))
        }
        var provisioning: EVCCProvisioning?
        var keys = VehicleKeys(contractKey: contractKey)
        if let key = try? privateKey("oem-provisioning"), let chain = try? chainDER("oem-provisioning"),
           let pcid = try CertificateSummary(der: chain[0]).commonName {
            let roots = [try certificate("mo-root"), try certificate("v2g-root")]
            provisioning = EVCCProvisioning(certificateChain: chain, rootCertificateIDs: roots.map(X509IssuerSerialType.init(certificate:)))
            keys = VehicleKeys(contractKey: contractKey, provisioning: VehicleKeys.Provisioning(
                key: key, pcid: pcid, installation: ContractInstallation(trustedRootsDER: try rootsDER("v2g-root", "mo-root"))),
                onInstall: store ?? { _ in })
        }
        return (contract, provisioning, keys)
    }
}
