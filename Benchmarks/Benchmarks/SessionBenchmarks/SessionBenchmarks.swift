import Benchmark
import V2GSession
import V2GTP

/// The engine's charge loop: a DC_ or AC_ChargeLoopReq frame in (decoded by the engine), the SECC's
/// rules, the ChargeLoopRes frame out (encoded) — all the SECC does per loop but the socket. And
/// the EVCC's side of one loop: the response frame in, the next request frame out.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        timeUnits: .nanoseconds,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 10_000)

    for (service, name) in [(EnergyService.dcServiceID, "DC"), (EnergyService.acServiceID, "AC")] {
      for mode in [ControlMode.dynamic, .scheduled] {
        let loop = ChargingPair(service: service, mode: mode)
        Benchmark("SECC \(name) charge loop, \(mode): frame in, frame out") { benchmark in
            var secc = loop.secc
            for _ in benchmark.scaledIterations {
                for case .send(let response) in secc.receive(frame: loop.request, evse: loop.evse) {
                    blackHole(try response.frame())
                }
            }
        }
        Benchmark("EVCC \(name) charge loop, \(mode): frame in, frame out") { benchmark in
            var evcc = loop.evcc
            for _ in benchmark.scaledIterations {
                var actions = evcc.receive(frame: loop.response, ev: loop.ev)
                actions += evcc.timerExpired(.pacing, ev: loop.ev)
                for case .send(let request) in actions { blackHole(try request.frame()) }
            }
        }
      }
    }
}

/// Both engines taken to the charge loop, and one loop's frames.
struct ChargingPair {
    var secc = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567"))
    var evcc: EVCCSession
    let evse = EVSEInputs(timestamp: 1_795_542_185, dc: DCEVSEInputs(presentVoltage: 400, presentCurrent: 100),
                          ac: ACEVSEInputs(presentActivePower: ACPhasePower(l1: 11_000)))
    let ev = EVInputs(timestamp: 1_795_542_185)
    var request = V2GTPFrame(payloadType: 0, payload: [])
    var response = V2GTPFrame(payloadType: 0, payload: [])

    init(service: UInt16, mode: ControlMode) {
        evcc = EVCCSession(configuration: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: service, controlMode: mode))
        var actions = evcc.start(ev: ev)
        for _ in 0..<100 {
            if actions.contains(where: { if case .startTimer(.pacing, _) = $0 { return true }; return false }) {
                actions += evcc.timerExpired(.pacing, ev: ev)
            }
            guard let sent = actions.lazy.compactMap({ a -> V2GRequest? in if case .send(let r) = a { return r }; return nil }).first,
                  let frame = try? sent.frame() else { fatalError("the EVCC stopped before the charge loop") }
            let answer = secc.receive(frame: frame, evse: evse)
            guard let res = answer.lazy.compactMap({ a -> V2GResponse? in if case .send(let r) = a { return r }; return nil }).first,
                  let resFrame = try? res.frame() else { fatalError("the SECC stopped before the charge loop") }
            if sent.kind?.isChargeLoop == true {
                request = frame
                response = resFrame
                return
            }
            actions = evcc.receive(frame: resFrame, ev: ev)
        }
        fatalError("no charge loop within 100 exchanges")
    }
}
