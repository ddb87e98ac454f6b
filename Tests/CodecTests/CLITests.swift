import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// The `v2g` command line, as outside tools and scripts use it. One test at a time: each runs
/// child processes (v2g, openssl, chromium, tshark) that want a core of their own, and two
/// machines' worth of them on two cores would slow the timing tests beside them.
@Suite(.serialized) struct CLITests {
    static let binary = BuiltTools.v2g

    /// `v2g ARGS`, run to its end.
    static func run(_ args: [String], stdin: String? = nil) async throws -> Command {
        guard let binary else { throw CocoaError(.fileNoSuchFile) }
        return try await Command.run(binary, args, stdin: stdin)
    }

    @Test(.enabled(if: binary != nil, "v2g is not built next to the tests"))
    func decodeAndEncodeOneItem() async throws {
        let d = try await Self.run(["exi", "decode", "--schema", "sap", "80400040"])
        #expect(d.status == 0)
        #expect(d.out == #"{"supportedAppProtocolRes":{"ResponseCode":"OK_SuccessfulNegotiation","SchemaID":1}}"# + "\n")
        let e = try await Self.run(["exi", "encode", "--schema", "sap", #"{"supportedAppProtocolRes":{"ResponseCode":"OK_SuccessfulNegotiation","SchemaID":1}}"#])
        #expect(e.status == 0)
        #expect(e.out == "80400040\n")
    }

    @Test(.enabled(if: binary != nil, "v2g is not built next to the tests"))
    func standardInputOneLinePerItemAndErrorsGoOn() async throws {
        let r = try await Self.run(["exi", "decode", "--schema", "sap"], stdin: "80400040\nzz\n80400040\n")
        let lines = r.out.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("error: "))
        #expect(lines[2].hasPrefix("{\"supportedAppProtocolRes\""))
        #expect(r.status == 1)
        let ok = try await Self.run(["exi", "decode", "--schema", "sap"], stdin: "80400040\n")
        #expect(ok.status == 0)
    }

    @Test(.enabled(if: binary != nil, "v2g is not built next to the tests"))
    func v2gtpFramePicksTheSchema() async throws {
        let r = try await Self.run(["exi", "decode", "--v2gtp", "01fe80010000000480400040"])
        #expect(r.status == 0)
        #expect(r.out.hasPrefix("{\"supportedAppProtocolRes\""))
        let bad = try await Self.run(["exi", "decode", "--v2gtp", "02fe80010000000480400040"])
        #expect(bad.status == 1)
        #expect(bad.out.hasPrefix("error: V2GTP protocol version 0x2"))
    }

    /// The README's first command completes a session (sped up).
    @Test(.enabled(if: binary != nil, "v2g is not built next to the tests"))
    func simulateCompletesASession() async throws {
        let r = try await TimingSensitive.run { try await Self.run(["simulate", "--quiet", "--time-factor", "600"]) }
        #expect(r.status == 0, "\(r.out)")
        #expect(r.out.contains("ended: EVCC terminated"))
        #expect(r.out.contains("TLS 1.3"))
    }

    /// The charger's notifications end to end over the runtime: the EV stops (Terminate), pauses
    /// and resumes (Pause), renegotiates the service or the schedule, and the session still ends
    /// in SessionStop(Terminate).
    @Test(.enabled(if: binary != nil, "v2g is not built next to the tests"),
          arguments: [("terminate", "ended: EVCC terminated"), ("pause", "EVCC paused: SessionStop(Pause) answered, then terminated"),
                      ("service-renegotiation", "ended: EVCC terminated"), ("schedule-renegotiation", "ended: EVCC terminated")])
    func simulateHonoursTheChargersNotification(kind: String, ending: String) async throws {
        let r = try await TimingSensitive.run {
            try await Self.run(["simulate", "--quiet", "--no-tls", "--time-factor", "600", "--notify", "\(kind):0.3"])
        }
        #expect(r.status == 0, "\(r.out)")
        #expect(r.out.contains(ending), "\(r.out)")
        // Terminate ends the charge early; the others go on to the target SOC.
        let soc = r.out.split(separator: "\n").first { $0.hasPrefix("energy:") }.flatMap { line in
            line.split(separator: " ").reversed().first { Double($0.dropLast()) != nil }.flatMap { Double($0.dropLast()) }
        }
        let final = try #require(soc, "\(r.out)")
        #expect(kind == "terminate" ? final < 79 : final >= 79, "final SOC \(final)")
    }

    /// The rest of a session's life over the runtime, TLS included: standby (left by the EV, or
    /// by the charger's ExitStandby), value-added services, parking on its side stream and a
    /// schedule renegotiated beside the loop on 0x8101.
    @Test(.enabled(if: binary != nil, "v2g is not built next to the tests"),
          arguments: [["--service", "dc", "--standby-at-soc", "55:1", "--vas", "internet,parking", "--side-streams", "--notify", "schedule-renegotiation:0.2:30"],
                      ["--service", "ac", "--soc", "44", "--target-soc", "56", "--standby-at-soc", "50:30", "--exit-standby-after", "0.5",
                       "--vas", "parking-checkout", "--side-streams"],
                      // The charger's Pause, answered with standby; ExitStandby brings power back.
                      ["--service", "ac", "--soc", "44", "--target-soc", "56", "--notify", "pause:0.2:5", "--standby-on-pause",
                       "--exit-standby-after", "0.5", "--vas", "parking", "--side-streams"]])
    func simulateStandbyServicesAndSideStreams(options: [String]) async throws {
        let r = try await TimingSensitive.run { try await Self.run(["simulate", "--time-factor", "600"] + options) }
        #expect(r.status == 0, "\(r.out)")
        #expect(r.out.contains("ended: EVCC terminated"), "\(r.out)")
        #expect(r.out.contains("standby: 1 time"), "\(r.out)")
        #expect(r.out.contains(options.contains("--exit-standby-after") ? "ended by the charger's ExitStandby" : "ended by the EV"))
        #expect(!r.out.contains("paused"), "standby, not a pause")
        #expect(r.out.contains("parking: the EV reported"), "\(r.out)")
        #expect(r.out.contains("[parkingStatus side stream]"))
        if options.contains("internet,parking") {
            #expect(r.out.contains("value-added services: Internet https:443, parking status (check-in)"), "\(r.out)")
            #expect(r.out.contains("DC_ChargeParameterDiscoveryReq [scheduleRenegotiation side stream]"), "\(r.out)")
            #expect(r.out.contains("schedule renegotiated on the schedule-renegotiation side stream"))
        }
        let soc = r.out.split(separator: "\n").first { $0.hasPrefix("energy:") }.flatMap { line in
            line.split(separator: " ").reversed().first { Double($0.dropLast()) != nil }.flatMap { Double($0.dropLast()) }
        }
        let target = options.firstIndex(of: "--target-soc").flatMap { Double(options[$0 + 1]) } ?? 80
        #expect(try #require(soc) >= target - 1, "charged to the target after standby")
    }

    /// `v2g trace` on a real capture (the timeline and JSON per frame), on a truncated copy and on
    /// a file that is no capture: clear messages and a non-zero exit, never a crash.
    @Test(.enabled(if: binary != nil && TestData.available, "v2g is not built next to the tests, or no test data"))
    func traceReadsCapturesAndRefusesBrokenOnes() async throws {
        let capture = try #require(TestData.root).appendingPathComponent("captures/josev-dc-eim-notls.pcap")
        let timeline = try await Self.run(["trace", capture.path])
        #expect(timeline.status == 0, "\(timeline.err)")
        #expect(timeline.out.contains("EVCC → SECC  DC_ChargeLoopReq"))
        #expect(timeline.out.contains("SECC → EVCC  SessionSetupRes  OK_NewSessionEstablished"))
        #expect(timeline.err.contains("74 V2G frames in 158 packets"))
        let json = try await Self.run(["trace", "--json", capture.path])
        let lines = json.out.split(separator: "\n")
        #expect(lines.count == 75, "74 frames and the summary")
        #expect(lines.last?.hasPrefix("{\"summary\":{\"frames\":74,") == true)
        #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })

        let scratch = try ScratchDirectory("v2g-trace"), directory = scratch.url
        defer { scratch.remove() }
        let whole = try Data(contentsOf: capture)
        let truncated = directory.appendingPathComponent("truncated.pcap")
        try whole.prefix(whole.count - 100).write(to: truncated)
        let cut = try await Self.run(["trace", truncated.path])
        #expect(cut.status != 0)
        #expect(cut.err.contains("the capture is truncated"), "\(cut.err)")
        let other = directory.appendingPathComponent("notes.txt")
        try Data("not a capture at all".utf8).write(to: other)
        let wrong = try await Self.run(["trace", other.path])
        #expect(wrong.status != 0)
        #expect(wrong.err.contains("not a pcap or pcapng capture"), "\(wrong.err)")
    }


    /// Our own TLS 1.3 session, captured by `simulate --capture` with its secrets inside, decodes
    /// frame by frame; without the secrets the trace shows the handshake and says the rest is
    /// encrypted; with the key log given apart it decodes again; a wrong key log is said to be wrong.
    @Test(.enabled(if: binary != nil, "v2g is not built next to the tests"))
    func simulateCaptureTracesWithItsSecrets() async throws {
        let scratch = try ScratchDirectory("v2g-capture"), directory = scratch.url
        defer { scratch.remove() }
        let capture = directory.appendingPathComponent("session.pcapng")
        let run = try await TimingSensitive.run { try await Self.run(["simulate", "--quiet", "--time-factor", "600", "--capture", capture.path]) }
        #expect(run.status == 0, "\(run.err)")
        let messages = try #require(run.out.split(separator: "\n").first { $0.hasPrefix("messages:") }
            .flatMap { Int($0.split(separator: " ")[1].dropLast()) })

        let traced = try await Self.run(["trace", "--json", capture.path])
        #expect(traced.status == 0, "\(traced.err)")
        let lines = traced.out.split(separator: "\n")
        #expect(lines.count == messages + 1, "every message of the session, then the summary")
        #expect(lines.first?.contains("\"name\":\"supportedAppProtocolReq\"") == true)
        #expect(lines.dropLast().last?.contains("\"name\":\"SessionStopRes\"") == true)
        let summary = String(lines.last ?? "")
        #expect(summary.contains("\"version\":\"TLS 1.3\""), "\(summary)")
        #expect(summary.contains("\"frames_decrypted\":\(messages)"), "\(summary)")
        #expect(summary.contains("\"client_certificates\":3"), "mutual authentication: \(summary)")
        #expect(summary.contains("{\"side\":\"SECC\",\"subject\":\"CN=DE*SWI*E1234567,O=swift-iso15118 Test,C=DE,DC=CPO\",\"issuer\":\"CN=CPO Sub-CA 2,"),
                "the certificates, read: \(summary)")
        #expect(summary.contains("\"subject\":\"CN=WMIV1234567890ABCDEX,O=swift-iso15118 Test OEM\""))
        #expect(summary.contains("\"key\":\"secp521r1\",\"signature\":\"ecdsa-with-SHA512\",\"not_before\":"))
        #expect(summary.contains("\"findings\":[]"), "our own session keeps every rule: \(summary)")

        // The same capture without its Decryption Secrets Blocks, and the key log apart.
        let file = try [UInt8](Data(contentsOf: capture))
        var stripped: [UInt8] = [], keyLog = ""
        var at = 0
        while at + 8 <= file.count {
            let type = UInt32(file[at]) | UInt32(file[at + 1]) << 8 | UInt32(file[at + 2]) << 16 | UInt32(file[at + 3]) << 24
            let length = Int(UInt32(file[at + 4]) | UInt32(file[at + 5]) << 8 | UInt32(file[at + 6]) << 16 | UInt32(file[at + 7]) << 24)
            if type == 0x0A {
                let secretsLength = Int(UInt32(file[at + 12]) | UInt32(file[at + 13]) << 8 | UInt32(file[at + 14]) << 16 | UInt32(file[at + 15]) << 24)
                keyLog += String(decoding: file[(at + 16)..<(at + 16 + secretsLength)], as: UTF8.self)
            } else {
                stripped += file[at..<(at + length)]
            }
            at += length
        }
        let bare = directory.appendingPathComponent("bare.pcapng"), keys = directory.appendingPathComponent("keys.txt")
        try Data(stripped).write(to: bare)
        try Data(keyLog.utf8).write(to: keys)
        let encrypted = try await Self.run(["trace", bare.path])
        #expect(encrypted.status != 0)
        #expect(encrypted.err.contains("encrypted and the key log has no secrets"), "\(encrypted.err)")
        #expect(encrypted.out.contains("TLS 1.3") && encrypted.out.contains("TLS_AES_256_GCM_SHA384") && encrypted.out.contains("not decrypted"),
                "the handshake is shown: \(encrypted.out)")
        let apart = try await Self.run(["trace", "--keylog", keys.path, bare.path])
        #expect(apart.status == 0, "\(apart.err)")
        #expect(apart.err.contains("\(messages) V2G frames"))

        // A wrong key log: the same lines, every secret's last byte changed.
        let wrong = keyLog.split(separator: "\n").map { line -> String in
            var fields = line.split(separator: " ").map(String.init)
            guard fields.count == 3, let last = fields[2].last else { return String(line) }
            fields[2] = String(fields[2].dropLast()) + (last == "0" ? "1" : "0")
            return fields.joined(separator: " ")
        }.joined(separator: "\n")
        let wrongKeys = directory.appendingPathComponent("wrong.txt")
        try Data(wrong.utf8).write(to: wrongKeys)
        let refused = try await Self.run(["trace", "--keylog", wrongKeys.path, bare.path])
        #expect(refused.status != 0)
        #expect(refused.err.contains("does not decrypt with the key log's secrets"), "\(refused.err)")
        #expect(!refused.out.contains("SessionSetupReq"), "nothing made up")
    }

    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static let chromiumRequired = ProcessInfo.processInfo.environment["V2G_REQUIRE_CHROMIUM"] == "1"

    /// `v2g simulate --report` writes one self-contained page; headless Chromium renders it (the
    /// README's screenshot command), its DOM has the plots and the sequence, and no script ran or failed.
    @Test(.enabled(if: binary != nil && (chromium != nil || chromiumRequired), "chromium is not installed (V2G_REQUIRE_CHROMIUM=1 makes this a failure)"))
    func simulateReportRendersInHeadlessChromium() async throws {
        let browser = try #require(Self.chromium, "V2G_REQUIRE_CHROMIUM is set and chromium is missing")
        let scratch = try ScratchDirectory("v2g-report"), directory = scratch.url
        defer { scratch.remove() }
        let report = directory.appendingPathComponent("report.html"), screenshot = directory.appendingPathComponent("report.png")
        let run = try await TimingSensitive.run { try await Self.run(["simulate", "--quiet", "--time-factor", "600", "--report", report.path]) }
        #expect(run.status == 0, "\(run.err)")
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(!html.contains("<script") && !html.contains("@import") && !html.contains("src=\"http") && !html.contains("href=\"http"), "self-contained")
        #expect(html.components(separatedBy: "<polyline").count - 1 >= 4, "the plots")
        #expect(html.contains("aria-label=\"message sequence\""))

        func chromium(_ args: [String]) async throws -> Command {
            try await Command.run(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]
                                  + args + [report.absoluteString])
        }
        let shot = try await chromium(["--window-size=1200,2000", "--screenshot=\(screenshot.path)"])
        #expect(shot.status == 0, "\(shot.err.suffix(2000))")
        let png = try Data(contentsOf: screenshot)
        #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]) && png.count > 20_000, "a PNG with something drawn: \(png.count) bytes")
        let dom = try await chromium(["--dump-dom"])
        #expect(dom.out.contains("<svg") && dom.out.contains("polyline"), "rendered DOM")
        #expect(!dom.err.contains("Uncaught") && !dom.err.contains("CONSOLE"), "no script errors: \(dom.err.suffix(1000))")
    }

    static let openssl: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// A TLS_CHACHA20_POLY1305_SHA256 session: `openssl s_server` offering only that suite as the
    /// SECC, our `v2g evcc --capture` as the client; the trace decrypts what the EVCC sent with the
    /// secrets in the capture and names the suite.
    @Test(.enabled(if: binary != nil && openssl != nil, "v2g is not built next to the tests, or openssl is not installed"))
    func chachaSessionCapturedAndDecrypted() async throws {
        let scratch = try ScratchDirectory("v2g-chacha"), directory = scratch.url
        defer { scratch.remove() }
        let pki = directory.appendingPathComponent("pki").path
        let initialized = try await Self.run(["pki", "init", pki, "--unencrypted"])
        #expect(initialized.status == 0, "\(initialized.err)")
        let server = try ChildProcess(try #require(Self.openssl), [
            "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256",
            "-cert", "\(pki)/secc.pem", "-key", "\(pki)/secc.key.pem", "-cert_chain", "\(pki)/secc-chain.pem",
            "-Verify", "3", "-CAfile", "\(pki)/oem-root.pem"], log: directory.appendingPathComponent("s_server.log"), limit: 60,
            holdingInputOpen: true)
        defer { server.stop() }
        #expect(await server.waitForOutput("ACCEPT ", timeout: 10), "\(server.output)")
        let accepted = try #require(server.output.split(separator: "\n").first { $0.hasPrefix("ACCEPT ") }
            .flatMap { Int($0.split(separator: ":").last ?? "") }, "s_server did not start: \(server.output)")
        let capture = directory.appendingPathComponent("chacha.pcapng").path
        // s_server answers nothing: the EVCC gives up after V2G_EVCC_Msg_Timeout, and the capture is written.
        _ = try await TimingSensitive.run {
            try await Self.run(["evcc", "--pki", pki, "--host", "127.0.0.1", "--port", "\(accepted)", "--ocsp", "when-stapled", "--capture", capture])
        }
        let traced = try await Self.run(["trace", capture])
        #expect(traced.out.contains("EVCC → SECC  supportedAppProtocolReq"), "\(traced.out)\n\(traced.err)")
        #expect(traced.out.contains("TLS_CHACHA20_POLY1305_SHA256"), "\(traced.out)")
        #expect(traced.out.contains("1 V2G frames decrypted"), "\(traced.out)")
    }

    /// `v2g secc` and `v2g evcc` in a TLS session, charging slowly (time factor 10), once power flows.
    static func chargingPair(in directory: URL) async throws -> (secc: ChildProcess, evcc: ChildProcess) {
        let pki = directory.appendingPathComponent("pki").path
        #expect(try await Self.run(["pki", "init", pki, "--unencrypted"]).status == 0)
        let v2g = try #require(Self.binary).path
        let secc = try ChildProcess(v2g, ["secc", "--pki", pki, "--host", "::1", "--port", "0", "--shutdown-grace", "5"],
                                    log: directory.appendingPathComponent("secc.log"), limit: 60)
        #expect(await secc.waitForOutput("SECC listening", timeout: 20), "\(secc.output)")
        let port = try #require(secc.output.split(separator: "\n").first { $0.contains("SECC listening") }
            .flatMap { Int($0.split(separator: " ").last ?? "") }, "\(secc.output)")
        let evcc = try ChildProcess(v2g, ["evcc", "--pki", pki, "--host", "::1", "--port", "\(port)", "--time-factor", "10", "--shutdown-grace", "5"],
                                    log: directory.appendingPathComponent("evcc.log"), limit: 60)
        #expect(await secc.waitForOutput("contactor closed: power on", timeout: 30), "\(secc.output)")
        try await Task.sleep(for: .milliseconds(300))
        return (secc, evcc)
    }

    /// `text` has `lines` in this order.
    static func expectInOrder(_ lines: [String], in text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        var from = text.startIndex
        for line in lines {
            let found = text.range(of: line, range: from..<text.endIndex)
            #expect(found != nil, "'\(line)' after what came before it: \(text)", sourceLocation: sourceLocation)
            from = found?.upperBound ?? from
        }
    }

    /// SIGTERM to `v2g secc` in the middle of a TLS session: the contactor opens (power off) before
    /// anything else, the EV is told to stop (EVSENotification Terminate in the loop) and ends
    /// the session itself with SessionStop(Terminate), and the charger exits 0 once it is over.
    @Test(.enabled(if: binary != nil, "v2g is not built next to the tests"))
    func sigtermShutsTheChargerDownGracefully() async throws {
        let scratch = try ScratchDirectory("v2g-sigterm"), directory = scratch.url
        defer { scratch.remove() }
        let (secc, evcc) = try await Self.chargingPair(in: directory)
        kill(secc.pid, SIGTERM)
        let signalled = ContinuousClock.now
        let status = await secc.wait()
        let took = ContinuousClock.now - signalled
        let evccStatus = await evcc.wait()
        let log = secc.output
        #expect(status == 0, "the charger exits 0 after a graceful shutdown: \(log)")
        #expect(took < .seconds(8), "within the grace time and its closing: \(took)")
        // Power off first, then the session's orderly end, then the process's.
        Self.expectInOrder(["shutdown: power off", "EVSE: contactor open: power off", "EVSENotification Terminate", "← PowerDeliveryReq",
                            "← SessionStopReq", "EVSE: session ended (terminated)", "shutdown complete"], in: log)
        #expect(evccStatus == 0, "the EV ended the session with SessionStop(Terminate): \(evcc.output)")
    }

    /// SIGTERM to `v2g evcc` while it charges: the vehicle ends the session the standard's way
    /// (its charging complete: PowerDelivery(Stop), welding detection, SessionStop(Terminate)),
    /// the charger opens its contactor and sees a terminated session, and the vehicle exits 0.
    @Test(.enabled(if: binary != nil, "v2g is not built next to the tests"))
    func sigtermEndsTheVehiclesSessionInOrder() async throws {
        let scratch = try ScratchDirectory("v2g-sigterm-ev"), directory = scratch.url
        defer { scratch.remove() }
        let (secc, evcc) = try await Self.chargingPair(in: directory)
        defer { secc.stop() }
        // What the log held before the signal, by bytes (a line may be half written).
        let before = (try? Data(contentsOf: evcc.logFile).count) ?? 0
        kill(evcc.pid, SIGTERM)
        let signalled = ContinuousClock.now
        let status = await evcc.wait()
        let took = ContinuousClock.now - signalled
        #expect(status == 0, "the vehicle exits 0 after a graceful shutdown: \(evcc.output)")
        #expect(took < .seconds(8), "within the grace time and its closing: \(took)")
        let after = String(decoding: ((try? Data(contentsOf: evcc.logFile)) ?? Data()).dropFirst(before), as: UTF8.self)
        Self.expectInOrder(["→ PowerDeliveryReq", "→ DC_WeldingDetectionReq", "→ SessionStopReq", "session ended: terminated"], in: after)
        #expect(await secc.waitForOutput("EVSE: session ended (terminated)", timeout: 5), "\(secc.output)")
        Self.expectInOrder(["EVSE: contactor open: power off", "EVSE: session ended (terminated)"], in: secc.output)
    }

    static let tshark: String? = ["/usr/bin/tshark", "/usr/local/bin/tshark"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let tsharkRequired = ProcessInfo.processInfo.environment["V2G_REQUIRE_TSHARK"] == "1"

    /// tshark reads the capture `simulate --capture` writes and decrypts it with the secrets
    /// inside: the TLS 1.3 Certificate messages, which travel encrypted, show only when it does.
    @Test(.enabled(if: binary != nil && (tshark != nil || tsharkRequired), "tshark is not installed (V2G_REQUIRE_TSHARK=1 makes this a failure)"))
    func tsharkReadsOurCaptureWithItsSecrets() async throws {
        let tshark = try #require(Self.tshark, "V2G_REQUIRE_TSHARK is set and tshark is missing")
        let scratch = try ScratchDirectory("v2g-tshark"), directory = scratch.url
        defer { scratch.remove() }
        let capture = directory.appendingPathComponent("session.pcapng").path
        let run = try await TimingSensitive.run { try await Self.run(["simulate", "--quiet", "--time-factor", "600", "--capture", capture]) }
        #expect(run.status == 0, "\(run.err)")
        let shark = try await Command.run(tshark, ["-r", capture, "-Y", "tls.handshake.type == 11", "-T", "fields", "-e", "frame.number", "-e", "tls.handshake.type"])
        let lines = shark.out.split(separator: "\n")
        #expect(shark.status == 0, "\(shark.err)")
        #expect(lines.count == 2, "the SECC's and the EVCC's Certificate, decrypted: \(lines)")
    }
}
