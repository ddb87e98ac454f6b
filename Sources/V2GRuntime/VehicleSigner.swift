import ISO20Common
import V2GPKI
import V2GSession
import XMLDSig

/// Where the vehicle's private keys live and sign (`EVCCAction.sign`): in files, or a hardware
/// key store that plugs in here. The engine never sees a key.
public protocol VehicleSigner: Sendable {
    func sign(_ request: SigningRequest) throws -> SignatureType
}

/// Keys held in memory (read from PEM files by the CLI): the contract key signs the PnC
/// authorization.
public struct KeyVehicleSigner: VehicleSigner {
    public var contractKey: XMLSignatureSigningKey?

    public init(contractKey: XMLSignatureSigningKey?) { self.contractKey = contractKey }

    public struct MissingKey: Error, CustomStringConvertible {
        public var description: String { "no contract key to sign with" }
    }

    public func sign(_ request: SigningRequest) throws -> SignatureType {
        switch request {
        case .authorization(let element):
            guard let contractKey else { throw MissingKey() }
            guard let signed = SignedElement(.pnC_AReqAuthorizationMode(element)) else { throw MissingKey() }
            return try XMLSignature.sign([signed], with: contractKey)
        }
    }
}
