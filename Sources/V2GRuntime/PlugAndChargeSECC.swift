import Foundation
import ISO20Common
import V2GPKI
import V2GSession

/// The backend's word on a contract whose own checks passed: what a charger asks its CSMS over
/// OCPP (Authorize with the contract certificate's hash data, which includes its OCSP status) and
/// the eMSP behind it. It may take seconds: the SECC answers Ongoing meanwhile. Answers OK to
/// authorize, or a WARNING (WARNING_CertificateRevoked, WARNING_eMSPUnknown,
/// WARNING_GeneralPnCAuthorizationError, …) to refuse.
public protocol ContractAuthorizer: Sendable {
    func authorize(_ contract: ContractAuthorizationCheck.Contract) async -> ContractAuthorizationResult
}

/// A charger's local list: every contract whose checks passed, or only those of the listed
/// eMAIDs and providers, minus those revoked. For test benches and chargers without a backend.
public struct LocalContractAuthorizer: ContractAuthorizer {
    /// nil: any eMAID.
    public var allowedEMAIDs: Set<String>?
    /// The eMSPs (provider IDs, the eMAID's first five characters without separators); nil: any.
    public var knownProviders: Set<String>?
    public var revokedEMAIDs: Set<String>

    public init(allowedEMAIDs: Set<String>? = nil, knownProviders: Set<String>? = nil, revokedEMAIDs: Set<String> = []) {
        self.allowedEMAIDs = allowedEMAIDs; self.knownProviders = knownProviders; self.revokedEMAIDs = revokedEMAIDs
    }

    public func authorize(_ contract: ContractAuthorizationCheck.Contract) async -> ContractAuthorizationResult {
        if revokedEMAIDs.contains(contract.emaid) { return ContractAuthorizationResult(.warning_CertificateRevoked, "\(contract.emaid) is revoked") }
        let provider = ProviderID.of(emaid: contract.emaid)
        if let knownProviders, !knownProviders.contains(provider) {
            return ContractAuthorizationResult(.warning_eMSPUnknown, "no contract with provider \(provider)")
        }
        if let allowedEMAIDs, !allowedEMAIDs.contains(contract.emaid) {
            return ContractAuthorizationResult(.warning_GeneralPnCAuthorizationError, "\(contract.emaid) is not on the local list")
        }
        return ContractAuthorizationResult(.ok, "\(contract.emaid) authorized locally")
    }
}

/// What an SECC needs for Plug & Charge: its own checks (trusted V2G and MO roots) and the backend.
public struct SECCPlugAndCharge: Sendable {
    public var check: ContractAuthorizationCheck
    public var authorizer: any ContractAuthorizer
    /// How long the backend may take before the SECC answers WARNING_GeneralPnCAuthorizationError:
    /// within the EVCC's V2G_EVCC_Ongoing_Timeout (60 s) and the SECC's own 55 s.
    public var authorizerTimeout: Duration
    /// CertificateInstallation; nil: the SECC does not announce it.
    public var installation: SECCCertificateInstallation?

    public init(check: ContractAuthorizationCheck, authorizer: any ContractAuthorizer = LocalContractAuthorizer(),
                authorizerTimeout: Duration = .seconds(50), installation: SECCCertificateInstallation? = nil) {
        self.check = check; self.authorizer = authorizer; self.authorizerTimeout = authorizerTimeout; self.installation = installation
    }

    /// The result for `SECCSession.contractChecked`: the local checks, then the backend; an
    /// authorized contract that expires within 14 days gets OK_CertificateExpiresSoon ([V2G20-2218]).
    public func decide(_ request: ContractCheckRequest, now: Date = Date()) async -> ContractAuthorizationResult {
        let contract: ContractAuthorizationCheck.Contract
        switch await check.check(request.authorization, signature: request.signature, expectedChallenge: request.genChallenge, now: now) {
        case .failure(let refusal): return ContractAuthorizationResult(refusal.responseCode, refusal.reason)
        case .success(let passed): contract = passed
        }
        // A contract of a provider this charger did not name in SupportedProviders.
        let provider = ProviderID.of(emaid: contract.emaid)
        if let providers = request.supportedProviders, !providers.map(ProviderID.of(emaid:)).contains(provider) {
            return ContractAuthorizationResult(.warning_eMSPUnknown, "provider \(provider) is not among \(providers)")
        }
        let authorizer = authorizer
        let answer = await firstAnswer(within: authorizerTimeout) { await authorizer.authorize(contract) }
            ?? ContractAuthorizationResult(.warning_GeneralPnCAuthorizationError, "the backend did not answer within \(authorizerTimeout)")
        // Which checks ran, for the log: the charger operator's first question.
        let checks = "signature \(contract.algorithm == .ed448 ? "Ed448" : "ECDSA-P521-SHA512") ✓, GenChallenge ✓, validity ✓, "
            + "path to a trusted root (\(contract.chainDER.count) certificates) ✓, eMAID \(contract.emaid); backend: \(answer.detail)"
        if answer.responseCode == .ok, contract.expiresSoon {
            return ContractAuthorizationResult(.ok_CertificateExpiresSoon, "\(checks); the contract expires \(contract.notAfter)")
        }
        return ContractAuthorizationResult(answer.responseCode, checks)
    }
}

/// The backend's contract for a vehicle whose provisioning chain passed: in a charger, OCPP
/// Get15118EVCertificate to the CSMS, which asks the eMSP's CPS. A WARNING refusal
/// (WARNING_NoCertificateAvailable, WARNING_NoContractMatchingPCIDFound) keeps the session.
public protocol CertificateProvider: Sendable {
    func provide(for vehicle: ProvisioningCheck.Vehicle, request: CertificateInstallationReqType) async -> CertificateInstallationOutcome
}

extension SimulatedCPS: CertificateProvider {
    public func provide(for vehicle: ProvisioningCheck.Vehicle, request: CertificateInstallationReqType) async -> CertificateInstallationOutcome {
        do {
            let provisioned = try provision(for: vehicle, request: request)
            return .provided(CertificateInstallationData(
                cpsCertificateChain: provisioned.cpsCertificateChain, signedInstallationData: provisioned.signedInstallationData,
                signature: provisioned.signature, remainingContractCertificateChains: provisioned.remainingContractCertificateChains))
        } catch let refusal as PlugAndChargeRefusal {
            return .refused(refusal.responseCode, refusal.reason)
        } catch {
            return .refused(.warning_NoCertificateAvailable, "\(error)")
        }
    }
}

/// CertificateInstallation on the SECC: its own check of the provisioning chain, then the backend.
public struct SECCCertificateInstallation: Sendable {
    public var check: ProvisioningCheck
    public var provider: any CertificateProvider
    /// Within the EVCC's 5 s V2G_EVCC_Msg_Timeout for CertificateInstallationReq.
    public var timeout: Duration

    public init(check: ProvisioningCheck, provider: any CertificateProvider, timeout: Duration = .milliseconds(4500)) {
        self.check = check; self.provider = provider; self.timeout = timeout
    }

    public func provide(_ request: CertificateInstallationReqType, now: Date = Date()) async -> CertificateInstallationOutcome {
        let vehicle: ProvisioningCheck.Vehicle
        switch await check.check(request, now: now) {
        case .failure(let refusal): return .refused(refusal.responseCode, refusal.reason)
        case .success(let passed): vehicle = passed
        }
        let provider = provider
        return await firstAnswer(within: timeout) { await provider.provide(for: vehicle, request: request) }
            ?? .refused(.warning_NoCertificateAvailable, "the backend did not answer within \(timeout)")
    }
}
