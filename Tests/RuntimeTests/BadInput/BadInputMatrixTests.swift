import Foundation
import ISO20Common
import NIOCore
import NIOPosix
import Testing
import TestSupport
import V2GRuntime
import V2GSession
import V2GSimulation
import V2GTLS

/// The network bad-input matrix: in every state a DC session passes through, the peer closes,
/// resets, dies mid-frame, goes silent, sends garbage, announces a huge frame, trickles one, sends a frame of
/// another message set, or sends two at once. Both roles, over real loopback sockets: our EVCC
/// and our SECC runtimes with `MisbehavingProxy` between them, which misbehaves towards one side
/// in place of the frame that would have taken it to the next state.
///
/// Each case must end the side under test's session once, with the reason the case calls for,
/// the charger's contactor open and its current zero, and nothing left behind: the connection's
/// handler (and with it its timers and controller) released, no connection open, and no socket of
/// the process left on the case's ports.
@Suite(.serialized) struct BadInputMatrixTests {
    /// Timers capped so a silent peer is noticed in a second, not after the 60 s of
    /// V2G_SECC_Sequence_Timeout; long enough for both runtimes to keep pace on a loaded machine.
    static let timerCap: Duration = .seconds(1)

    struct Outcome {
        var observed: MisbehavingProxy.Observed
        var secc: SessionResult?
        var evcc: Result<SessionResult, any Error>
        var contactorsClosed: Bool
        var outputCurrent: Double
        /// Whether the per-connection controllers were released once the sessions had ended.
        var seccReleased: Bool
        var evReleased: Bool
        var openConnections: Int
        /// Sockets of this process on the case's two ports beside the two listeners, once all ended.
        var socketsLeft: Int
    }

    /// One session between our EVCC and our SECC through the proxy, over plain TCP: DC, EIM,
    /// Dynamic, a few charge loops (from 78 % to 80 %).
    static func session(_ trigger: MisbehavingProxy.Trigger?, _ misbehaviour: Misbehaviour, group: any EventLoopGroup) async throws -> Outcome {
        var battery = SimulatedPlant.Battery()
        battery.soc = 78
        let plant = SimulatedPlant(battery: battery, timeFactor: 600)
        let seccResult = Box<SessionResult?>(nil)
        let seccController = WeakBox()
        let server = try await SECCServer.start(
            group: group,
            configuration: .init(session: SECCConfiguration(evseID: "DE*SWI*E1234567"), host: "127.0.0.1", port: 0,
                                 security: .plainTCPNonConformant, timerCap: timerCap),
            controllers: {
                let controller = SimulatedEVSE(plant: plant)
                seccController.object = controller
                return controller
            }) { seccResult.value = $0 }
        let proxy = try await MisbehavingProxy.start(loop: group.next(), seccPort: server.port, trigger: trigger, misbehaviour: misbehaviour)
        let evController = WeakBox()
        let evcc: Result<SessionResult, any Error>
        do {
            let ev = SimulatedEV(plant: plant)
            evController.object = ev
            evcc = .success(try await EVCCClient.run(
                group: group,
                configuration: .init(session: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", policy: EVCCPolicy(chargeLoopInterval: .milliseconds(20))),
                                     host: "127.0.0.1", port: proxy.port, security: .plainTCPNonConformant, timerCap: timerCap),
                controller: ev))
        } catch {
            evcc = .failure(error)
        }
        // The SECC's session ends by itself (its timer is capped); then its handler goes.
        // The proxy must also have read all the victim sent before it closed.
        for _ in 0..<500 where seccResult.value == nil || seccController.object != nil || evController.object != nil || server.openConnections > 0
            || (proxy.observed.triggered && !proxy.observed.victimClosed) {
            try await Task.sleep(for: .milliseconds(10))
        }
        var outcome = Outcome(observed: proxy.observed, secc: seccResult.value, evcc: evcc, contactorsClosed: plant.contactorsClosed,
                              outputCurrent: plant.outputCurrent, seccReleased: seccController.object == nil,
                              evReleased: evController.object == nil, openConnections: server.openConnections, socketsLeft: 0)
        // Every connection of the case closed (the EVCC's, the proxy's two, the SECC's): on the two
        // ports only the listeners are left. Counted while they still listen, so that no other
        // test can have been given either port number in the meantime.
        var left = OpenSockets.count(ports: [server.port, proxy.port]) - 2
        for _ in 0..<100 where left > 0 {
            try await Task.sleep(for: .milliseconds(10))
            left = OpenSockets.count(ports: [server.port, proxy.port]) - 2
        }
        outcome.socketsLeft = left
        await proxy.close()
        try await server.close()
        return outcome
    }

    /// The states of a whole session, as the frames that lead out of them: the requests the SECC
    /// waits for and the responses the EVCC waits for, each the first time it comes.
    static func states(group: any EventLoopGroup) async throws -> [MisbehavingProxy.Trigger] {
        let clean = try await session(nil, .close, group: group)
        #expect(clean.secc?.end.reason == .terminated && (try? clean.evcc.get())?.end.reason == .terminated, "a clean session first")
        var seen = Set<MisbehavingProxy.Trigger>()
        return clean.observed.passed.map { MisbehavingProxy.Trigger(message: $0.1, direction: $0.0) }.filter { seen.insert($0).inserted }
    }

    @Test func theChargerEndsEverySessionSafely() async throws {
        try await TimingSensitive.run { try await matrix(.toSECC) }
    }

    @Test func theVehicleEndsEverySessionWithItsReason() async throws {
        try await TimingSensitive.run { try await matrix(.toEVCC) }
    }

    func matrix(_ victim: Direction) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let states = try await Self.states(group: group).filter { $0.direction == victim }
        // The requests of a DC session with EIM (the SECC's states), or their responses (the EVCC's).
        #expect(states.count >= 14, "\(states)")
        var cases = 0
        for state in states {
            for misbehaviour in Misbehaviour.allCases {
                let outcome = try await Self.session(state, misbehaviour, group: group)
                check(outcome, victim: victim, state: state, misbehaviour: misbehaviour)
                cases += 1
            }
        }
        try await group.shutdownGracefully()
        print("bad-input matrix, \(victim == .toSECC ? "SECC" : "EVCC") side: \(states.count) states × \(Misbehaviour.allCases.count) misbehaviours = \(cases) cases")
    }

    func check(_ outcome: Outcome, victim: Direction, state: MisbehavingProxy.Trigger, misbehaviour: Misbehaviour) {
        let name = "\(state) / \(misbehaviour)"
        #expect(outcome.observed.triggered, "\(name): the session never reached the state")
        #expect(outcome.observed.misbehaved, "\(name): the misbehaviour never reached the side under test")
        #expect(!outcome.contactorsClosed && outcome.outputCurrent == 0, "\(name): the charger is left safe")
        #expect(outcome.seccReleased, "\(name): the SECC's connection (its timers, its controller) is released")
        #expect(outcome.evReleased, "\(name): the EVCC's connection is released")
        #expect(outcome.openConnections == 0, "\(name): no connection left open")
        #expect(outcome.socketsLeft == 0, "\(name): \(outcome.socketsLeft) sockets left on the case's ports")
        if victim == .toSECC {
            guard let end = outcome.secc?.end else { Issue.record("\(name): the SECC's session did not end"); return }
            #expect(Self.seccEnds(misbehaviour, state: state, observed: outcome.observed).contains(end.reason), "\(name): \(end)")
            // At most one answer per request, and a FAILED one where the request was out of place.
            let requests = misbehaviour == .twoAtOnce ? 2 : (misbehaviour == .otherSet ? 1 : 0)
            #expect(outcome.observed.victimSent.count <= requests, "\(name): \(outcome.observed.victimSent)")
            if case .failed(let code) = end.reason {
                // supportedAppProtocolRes has no FAILED_SequenceError: a supportedAppProtocolReq out
                // of place ends the session unanswered. Any other request gets the code.
                let lastWasAppProtocol = misbehaviour == .otherSet ? state.message != "supportedAppProtocolReq" : state.message == "supportedAppProtocolReq"
                if lastWasAppProtocol {
                    #expect(outcome.observed.victimResponseCodes.isEmpty, "\(name): \(outcome.observed.victimSent)")
                } else {
                    #expect(outcome.observed.victimResponseCodes.last == code, "\(name): the FAILED code was sent: \(outcome.observed.victimSent)")
                }
            }
        } else {
            switch outcome.evcc {
            case .failure(let error):
                Issue.record("\(name): EVCCClient.run threw \(error) instead of returning the session's end")
            case .success(let result):
                #expect(Self.evccEnds(misbehaviour, state: state).contains(result.end.reason), "\(name): \(result.end)")
            }
        }
    }

    /// How the SECC's session must end.
    static func seccEnds(_ misbehaviour: Misbehaviour, state: MisbehavingProxy.Trigger, observed: MisbehavingProxy.Observed) -> [SessionEnd.Reason] {
        switch misbehaviour {
        case .close, .reset, .closeMidFrame: return [.connectionLost]
        case .silent, .trickle: return [.sequenceTimeout]
        case .garbage, .hugeLength: return [.malformedRequest]
        case .otherSet:
            // A -20 message before the protocol is agreed, or supportedAppProtocolReq after:
            // out of sequence (FAILED_SequenceError where the response has that code).
            return [.failed(.failed_SequenceError), .malformedRequest]
        case .twoAtOnce:
            // The first is answered; the second is a repetition the state allows (answered, then
            // silence), out of sequence, or comes after the session ended. A repeated
            // DC_CableCheckReq finds the pilot in B: the vehicle behind the closed connection has
            // left C, and the charger refuses to test the cable (FAILED). A repeated
            // PowerDeliveryReq(Start) comes while the first is held for the contactor (out of
            // sequence) or after it closed (FAILED_PowerDeliveryNotApplied: already charging).
            var ends: [SessionEnd.Reason] = [.sequenceTimeout, .failed(.failed_SequenceError), .terminated]
            if state.message == "DC_CableCheckReq" { ends.append(.failed(.failed)) }
            if state.message == "PowerDeliveryReq(Start)" { ends.append(.failed(.failed_PowerDeliveryNotApplied)) }
            return ends
        }
    }

    /// How the EVCC's session must end.
    static func evccEnds(_ misbehaviour: Misbehaviour, state: MisbehavingProxy.Trigger) -> [SessionEnd.Reason] {
        switch misbehaviour {
        case .close, .reset, .closeMidFrame: return state.message == "SessionStopRes" ? [.connectionLost, .terminated] : [.connectionLost]
        case .silent, .trickle:
            // V2G_EVCC_Msg_Timeout; before SessionSetup ends, V2G_EVCC_CommunicationSetup_Timeout
            // (20 s, started first) may come first, as both are capped at the same second here.
            return [.responseTimeout] + (["supportedAppProtocolRes", "SessionSetupRes"].contains(state.message) ? [.phaseTimeout] : [])
        case .garbage, .hugeLength, .otherSet: return [.unexpectedResponse]
        case .twoAtOnce: return [.unexpectedResponse, .terminated]
        }
    }
}

/// A weak reference the runtime's controller factory fills in, to see the connection let go.
final class WeakBox: @unchecked Sendable {
    private let lock = NSLock()
    private weak var stored: AnyObject?
    var object: AnyObject? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
