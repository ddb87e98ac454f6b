import Benchmark
import Foundation
import V2GCapture
import V2GSession
import V2GTP
import V2GTrace

/// `v2g trace` on a large capture: at least 200 MB of pcapng, made of whole DC sessions (our two
/// engines' frames, made into TCP conversations by our writer), streamed from disk 1 MiB at a
/// time through the parser, the reassembly, the decoder and the checks, as the command does.
/// Throughput is the capture's bytes per second; peak resident memory shows it does not grow
/// with the capture.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
        timeUnits: .milliseconds,
        maxDuration: .seconds(60),
        maxIterations: 3)

    let capture = LargeCapture.make(atLeast: 200 << 20)
    Benchmark("trace a \(capture.bytes >> 20) MB capture (\(capture.frames) frames, \(capture.sessions) sessions), from disk") { benchmark in
        for _ in benchmark.scaledIterations {
            guard let handle = FileHandle(forReadingAtPath: capture.path) else { fatalError("no capture at \(capture.path)") }
            var parser = CaptureFileParser()
            var trace = Trace(keepEntries: false)
            var frames = 0
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                for record in try parser.feed(chunk) { frames += trace.add(record).count }
            }
            try parser.finish()
            frames += trace.finish().count
            try handle.close()
            guard frames == capture.frames, trace.findings.allSatisfy({ $0.requirement.contains("V2G20-2356") }) else {
                fatalError("read \(frames) of \(capture.frames) frames; findings: \(trace.findings.prefix(3))")
            }
            blackHole(frames)
        }
    }
}

/// Whole DC sessions written as a pcapng file until it is at least the size asked for.
enum LargeCapture {
    static func make(atLeast size: Int) -> (path: String, bytes: Int, frames: Int, sessions: Int) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("v2g-trace-benchmark.pcapng").path
        let session = frames()
        _ = FileManager.default.createFile(atPath: path, contents: Data(PcapNGWriter.header()))
        guard let handle = FileHandle(forWritingAtPath: path) else { fatalError("cannot write \(path)") }
        handle.seekToEndOfFile()
        var bytes = PcapNGWriter.header().count, sessions = 0
        var time: Int64 = 1_795_542_185_000_000_000
        let evcc = IPAddress([0xFE, 0x80] + Array(repeating: 0, count: 13) + [1]), secc = IPAddress([0xFE, 0x80] + Array(repeating: 0, count: 13) + [2])
        while bytes < size {
            var c = TCPConversation(client: Endpoint(evcc, UInt16(20_000 + sessions % 40_000)), server: Endpoint(secc, 61_000))
            var out: [UInt8] = []
            func add(_ packets: [[UInt8]]) { for p in packets { out += PcapNGWriter.packet(time: time, p); time += 1_000_000 } }
            add(c.open())
            for (fromEVCC, frame) in session { add(c.data(fromClient: fromEVCC, frame)) }
            add(c.close())
            handle.write(Data(out))
            bytes += out.count
            sessions += 1
        }
        try? handle.close()
        return (path, bytes, sessions * session.count, sessions)
    }

    /// One whole DC session between our engines: (from the EVCC?, frame bytes) in order.
    static func frames() -> [(Bool, [UInt8])] {
        var secc = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567"))
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX"))
        let evse = EVSEInputs(timestamp: 1_795_542_185, dc: DCEVSEInputs(presentVoltage: 400, presentCurrent: 100))
        var ev = EVInputs(timestamp: 1_795_542_185)
        var out: [(Bool, [UInt8])] = []
        var actions = evcc.start(ev: ev)
        var loops = 0
        while out.count < 10_000 {
            if actions.contains(where: { if case .startTimer(.pacing, _) = $0 { return true }; return false }) {
                actions += evcc.timerExpired(.pacing, ev: ev)
            }
            guard let request = actions.lazy.compactMap({ a -> V2GRequest? in if case .send(let r) = a { return r }; return nil }).last,
                  let frame = try? request.frame() else { break }
            if request.kind?.isChargeLoop == true { loops += 1 }
            ev.chargingComplete = loops >= 40
            out.append((true, frame.bytes))
            guard let response = secc.receive(frame: frame, evse: evse).lazy.compactMap({ a -> V2GResponse? in if case .send(let r) = a { return r }; return nil }).first,
                  let answer = try? response.frame() else { break }
            out.append((false, answer.bytes))
            actions = evcc.receive(frame: answer, ev: ev)
        }
        return out
    }
}
