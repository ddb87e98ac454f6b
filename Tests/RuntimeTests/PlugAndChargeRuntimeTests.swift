import EXI
import Crypto
import Foundation
import ISO20Common
import NIOPosix
import Testing
import TestSupport
import V2GPKI
import V2GRuntime
import V2GSession
import V2GSimulation
import V2GTLS
import XMLDSig

/// Plug & Charge between our runtimes over TLS 1.3 on loopback: the EVCC's key store signs, the
/// SECC checks the signature, challenge and contract chain off its event loop and asks the
/// backend, whose record is what the charger saw.
@Suite(.serialized) struct PlugAndChargeRuntimeTests {
    static var pki: TestPKI { LoopbackSessionTests.pki }

    /// A backend that remembers what it was asked and answers as told.
    final class Backend: ContractAuthorizer, @unchecked Sendable {
        private let lock = NSLock()
        private var asked: [ContractAuthorizationCheck.Contract] = []
        let answer: ResponseCodeType
        init(answer: ResponseCodeType) { self.answer = answer }
        var contracts: [ContractAuthorizationCheck.Contract] { lock.withLock { asked } }
        func authorize(_ contract: ContractAuthorizationCheck.Contract) async -> ContractAuthorizationResult {
            lock.withLock { asked.append(contract) }
            return ContractAuthorizationResult(answer, "test backend")
        }
    }

    static func session(backend: Backend?, contractKey: XMLSignatureSigningKey?, install: Bool = false,
                        provisioningKey: P521.Signing.PrivateKey? = nil, charger: SimulatedEVSE? = nil) async throws -> (secc: SessionResult, evcc: SessionResult) {
        try await TimingSensitive.run {
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
            let plant = charger?.plant ?? SimulatedPlant(battery: SimulatedPlant.Battery(), timeFactor: 600)
            let (seccSecurity, evccSecurity) = LoopbackSessionTests.tls()
            let seccResult = Box<SessionResult?>(nil)
            let vehicleRoots = [try pki.v2gRoot.certificate.derBytes, try pki.moRoot.certificate.derBytes]
            let plugAndCharge = try backend.map {
                SECCPlugAndCharge(check: ContractAuthorizationCheck(trustedRootsDER: vehicleRoots), authorizer: $0,
                                  installation: install ? SECCCertificateInstallation(
                                      check: ProvisioningCheck(trustedRootsDER: [try pki.oemRoot.certificate.derBytes]), provider: SimulatedCPS(pki: pki)) : nil)
            }
            let server = try await SECCServer.start(
                group: group,
                configuration: .init(session: SECCConfiguration(evseID: "DE*SWI*E1234567", authorizationServices: [.pnC, .eim]),
                                     host: "127.0.0.1", port: 0, security: seccSecurity, plugAndCharge: plugAndCharge),
                controller: charger ?? SimulatedEVSE(plant: plant)) { seccResult.value = $0 }
            let contract = try contractKey == nil ? nil : EVCCContract(certificateChain: pki.contractChain.map { try $0.derBytes }, emaid: "DESWIC123456789")
            let provisioning = EVCCProvisioning(certificateChain: try pki.oemProvisioningChain.map { try $0.derBytes },
                                                rootCertificateIDs: [X509IssuerSerialType(certificate: pki.moRoot.certificate)])
            let keys = VehicleKeys(contractKey: contractKey, provisioning: VehicleKeys.Provisioning(
                key: provisioningKey ?? pki.oemProvisioning.privateKey, pcid: TestPKI.Options().evccID,
                installation: ContractInstallation(trustedRootsDER: vehicleRoots)))
            let evccResult = try await EVCCClient.run(
                group: group,
                configuration: .init(session: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", policy: LoopbackSessionTests.fastLoop,
                                                                contract: contract, provisioning: provisioning),
                                     host: "127.0.0.1", port: server.port, security: evccSecurity, keys: keys),
                controller: SimulatedEV(plant: plant))
            for _ in 0..<100 where seccResult.value == nil { try await Task.sleep(nanoseconds: 10_000_000) }
            try await server.close()
            try await group.shutdownGracefully()
            return (try #require(seccResult.value), evccResult)
        }
    }

    @Test func aContractAuthorizesTheSessionOverTLS() async throws {
        let backend = Backend(answer: .ok)
        let (secc, evcc) = try await Self.session(backend: backend, contractKey: .p521(Self.pki.contract.privateKey))
        #expect(secc.end.reason == .terminated && evcc.end.reason == .terminated)
        // What the charger's backend was asked: the verified contract.
        let seen = try #require(backend.contracts.first)
        #expect(backend.contracts.count == 1)
        #expect(seen.emaid == "DESWIC123456789")
        #expect(seen.algorithm == .ecdsaP521SHA512)
        #expect(seen.chainDER.last == (try Self.pki.moRoot.certificate.derBytes))
    }

    /// A key that is not the contract certificate's: the SECC answers FAILED_SignatureError, the
    /// backend is never asked, both sides end the session.
    @Test func aForgedSignatureIsRefusedBeforeTheBackend() async throws {
        let backend = Backend(answer: .ok)
        let (secc, evcc) = try await Self.session(backend: backend, contractKey: .p521(.init()))
        #expect(secc.end.reason == .failed(.failed_SignatureError))
        #expect(evcc.end.reason == .failed(.failed_SignatureError))
        #expect(backend.contracts.isEmpty)
    }

    /// The backend refuses (revoked): the EV authorizes with EIM instead, as its policy allows; a
    /// charger with no Plug & Charge configured refuses the same way.
    @Test func aRefusedContractFallsBackToEIM() async throws {
        let backend = Backend(answer: .warning_CertificateRevoked)
        let (secc, evcc) = try await Self.session(backend: backend, contractKey: .p521(Self.pki.contract.privateKey))
        #expect(backend.contracts.count == 1)
        #expect(secc.end.reason == .terminated && evcc.end.reason == .terminated)
        let (unconfigured, vehicle) = try await Self.session(backend: nil, contractKey: .p521(Self.pki.contract.privateKey))
        #expect(unconfigured.end.reason == .terminated && vehicle.end.reason == .terminated)
    }

    /// A vehicle without a contract installs one over TLS and authorizes with it: the backend sees
    /// a contract chain the CPS issued (not the test PKI's own contract certificate).
    @Test func aVehicleInstallsAContractAndAuthorizesWithIt() async throws {
        let backend = Backend(answer: .ok)
        let (secc, evcc) = try await Self.session(backend: backend, contractKey: nil, install: true)
        #expect(secc.end.reason == .terminated && evcc.end.reason == .terminated)
        let seen = try #require(backend.contracts.first)
        #expect(seen.emaid == "DESWIC123456789")
        #expect(seen.chainDER[0] != (try Self.pki.contract.certificate.derBytes))
        #expect(seen.chainDER.last == (try Self.pki.moRoot.certificate.derBytes))
    }

    /// A key store whose provisioning key is not its certificate's: the SECC refuses the request
    /// (FAILED_SignatureError), no contract is issued, both sides end the session. (That only the
    /// certificate's own key opens a contract is CertificateInstallationTests'.)
    @Test func aProvisioningRequestSignedWithAnotherKeyIsRefused() async throws {
        let backend = Backend(answer: .ok)
        let (secc, evcc) = try await Self.session(backend: backend, contractKey: nil, install: true, provisioningKey: P521.Signing.PrivateKey())
        #expect(secc.end.reason == .failed(.failed_SignatureError))
        #expect(evcc.end.reason == .failed(.failed_SignatureError))
        #expect(backend.contracts.isEmpty)
    }

    /// MeteringConfirmation over TLS: the charger asks once, the EV signs the reading with its
    /// contract key, the SECC verifies it and the controller receives the signed reading.
    @Test func theChargerReceivesASignedMeterReading() async throws {
        let plant = SimulatedPlant(battery: SimulatedPlant.Battery(), timeFactor: 600)
        let charger = SimulatedEVSE(plant: plant, notification: .init(.meteringConfirmation, after: .milliseconds(100), maxDelay: 60))
        let (secc, evcc) = try await Self.session(backend: Backend(answer: .ok), contractKey: .p521(Self.pki.contract.privateKey), charger: charger)
        #expect(secc.end.reason == .terminated && evcc.end.reason == .terminated)
        let receipt = try #require(charger.meteringReceipts.first)
        #expect(charger.meteringReceipts.count == 1)
        #expect(receipt.meterInfo.meterID == "METER-1")
        #expect(receipt.meterInfo.chargedEnergyReadingWh > 0)
    }
}

/// The SECC runtime's decision without sockets: its own checks, the providers it named, the backend.
@Suite struct SECCPlugAndChargeDecisionTests {
    static var pki: TestPKI { LoopbackSessionTests.pki }

    static func request(providers: [String]?) throws -> ContractCheckRequest {
        let chain = try pki.contractChain.map { try $0.derBytes }
        let challenge = ShortBinary([UInt8](repeating: 3, count: 16))
        let pnc = PnC_AReqAuthorizationModeType(id: "PnC", genChallenge: challenge, contractCertificateChain: ContractCertificateChainType(
            certificate: chain[0], subCertificates: SubCertificatesType(certificate: Array(chain.dropFirst()))))
        let signature = try XMLSignature.sign([try #require(SignedElement(.pnC_AReqAuthorizationMode(pnc)))], with: .p521(pki.contract.privateKey))
        return ContractCheckRequest(authorization: pnc, signature: signature, genChallenge: challenge, supportedProviders: providers)
    }

    static var plugAndCharge: SECCPlugAndCharge {
        SECCPlugAndCharge(check: ContractAuthorizationCheck(trustedRootsDER: [try! pki.v2gRoot.certificate.derBytes, try! pki.moRoot.certificate.derBytes]))  // fixture
    }

    /// A contract of a provider the charger did not name in SupportedProviders: WARNING_eMSPUnknown;
    /// of one it named (separators and case aside): authorized.
    @Test func supportedProvidersAreEnforced() async throws {
        #expect(await Self.plugAndCharge.decide(try Self.request(providers: ["NLABC"])).responseCode == .warning_eMSPUnknown)
        #expect(await Self.plugAndCharge.decide(try Self.request(providers: ["NLABC", "de-swi"])).responseCode == .ok)
        #expect(await Self.plugAndCharge.decide(try Self.request(providers: nil)).responseCode == .ok)
    }

    /// A backend that does not answer for 30 s (and ignores cancellation): the SECC answers after
    /// its own timeout, long before the backend would. (The bound is loose: other suites share the
    /// two cores while this runs.)
    @Test func aSilentBackendTimesOut() async throws {
        struct Silent: ContractAuthorizer {
            func authorize(_ contract: ContractAuthorizationCheck.Contract) async -> ContractAuthorizationResult {
                // Ignores cancellation on purpose: a blocking OCPP call.
                let until = ContinuousClock.now + .seconds(30)
                while ContinuousClock.now < until { try? await Task.sleep(for: .milliseconds(20)) }
                return ContractAuthorizationResult(.ok)
            }
        }
        var plugAndCharge = Self.plugAndCharge
        plugAndCharge.authorizer = Silent()
        plugAndCharge.authorizerTimeout = .milliseconds(200)
        let request = try Self.request(providers: nil)
        let (result, took) = await TimingSensitive.run {
            let started = ContinuousClock.now
            return (await plugAndCharge.decide(request), ContinuousClock.now - started)
        }
        #expect(result.responseCode == .warning_GeneralPnCAuthorizationError)
        #expect(took < .seconds(25), "\(took)")
    }
}
