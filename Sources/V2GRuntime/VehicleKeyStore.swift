import Crypto
import Foundation
import ISO20Common
import V2GPKI
import V2GSession
import XMLDSig

/// Where the vehicle's private keys live: they sign (`EVCCAction.sign`) and take in a new contract
/// (`EVCCAction.installContract`). Files by default (`VehicleKeys`); a hardware key store plugs in
/// here. The engine never sees a key.
public protocol VehicleKeyStore: Sendable {
    func sign(_ request: SigningRequest) throws -> SignatureType
    /// Checks a CertificateInstallationRes, opens the contract key, keeps it, and returns the
    /// contract to authorize with.
    func install(_ response: CertificateInstallationResType) async throws -> EVCCContract
}

/// Keys in memory (the CLI reads them from PEM files): the contract key for PnC, the OEM
/// provisioning key for CertificateInstallation. An installed contract replaces the contract key
/// and is handed to `onInstall` to be kept (e.g. written as an encrypted PEM file).
public final class VehicleKeys: VehicleKeyStore, @unchecked Sendable {
    // @unchecked: the one mutable field is behind the lock.
    private let lock = NSLock()
    private var contractKey: XMLSignatureSigningKey?
    let provisioning: Provisioning?
    let onInstall: @Sendable (ContractInstallation.Installed) -> Void

    /// The OEM provisioning key, the PCID its certificate names, and the roots a received CPS and
    /// contract chain must end in.
    public struct Provisioning: Sendable {
        public var key: P521.Signing.PrivateKey
        public var pcid: String
        public var installation: ContractInstallation

        public init(key: P521.Signing.PrivateKey, pcid: String, installation: ContractInstallation) {
            self.key = key; self.pcid = pcid; self.installation = installation
        }
    }

    public init(contractKey: XMLSignatureSigningKey?, provisioning: Provisioning? = nil,
                onInstall: @escaping @Sendable (ContractInstallation.Installed) -> Void = { _ in }) {
        self.contractKey = contractKey
        self.provisioning = provisioning
        self.onInstall = onInstall
    }

    public struct MissingKey: Error, CustomStringConvertible {
        public let description: String
    }

    public func sign(_ request: SigningRequest) throws -> SignatureType {
        let key: XMLSignatureSigningKey
        if request.needsProvisioningKey {
            guard let provisioning else { throw MissingKey(description: "no OEM provisioning key to sign with") }
            key = .p521(provisioning.key)
        } else {
            guard let contract = lock.withLock({ contractKey }) else { throw MissingKey(description: "no contract key to sign with") }
            key = contract
        }
        guard let element = SignedElement(request.fragment) else { throw MissingKey(description: "the element to sign has no Id") }
        return try XMLSignature.sign([element], with: key)
    }

    public func install(_ response: CertificateInstallationResType) async throws -> EVCCContract {
        guard let provisioning else { throw MissingKey(description: "no OEM provisioning key to open a contract with") }
        let installed = try await provisioning.installation.open(response, pcid: provisioning.pcid, provisioningKey: provisioning.key).get()
        lock.withLock { contractKey = .p521(installed.privateKey) }
        onInstall(installed)
        return EVCCContract(certificateChain: installed.chainDER, emaid: installed.emaid)
    }
}
