import Foundation
import Testing
import TestSupport

/// SDP as on a real link: two network namespaces joined by a veth pair, IPv6 link-local addresses,
/// the request multicast to ff02::1 on the interface. Runs where the tests run as root with
/// `ip netns` available (CI does); skipped with a reason elsewhere.
@Suite struct NetnsSDPTests {
    static let available = (NamespaceLink.available && BuiltTools.v2g != nil) || NamespaceLink.required

    @Test(.enabled(if: available, "needs root, ip netns and the built v2g binary"))
    func discoveryOverVethBetweenNamespaces() async throws {
        let link = try NamespaceLink(tag: String(getpid() % 100_000), macPrefix: "02:00:00:00:15")
        defer { link.remove() }
        let v2g = try #require(BuiltTools.v2g).path
        let ip = try #require(NamespaceLink.ip)
        let tmp = FileManager.default.temporaryDirectory
        let server = try ChildProcess(ip, link.inA([v2g, "sdp", "serve", "--interface", link.deviceA, "--secc-address", "fe80::ff:fe00:1501",
                                                    "--secc-port", "50001", "--duration", "120"]),
                                      log: tmp.appendingPathComponent("sdp-serve-\(link.a).log"), limit: 120)
        defer { server.stop() }
        // Generous waits: on two cores, CPU-bound tests beside this one can hold the cooperative
        // threads for many seconds; the server lives until the test stops it.
        #expect(await server.waitForOutput("joined ff02::1", timeout: 60), "\(server.output)")
        let (code, found) = try NamespaceLink.run(link.inB([v2g, "sdp", "discover", "--interface", link.deviceB, "--tries", "20"]))
        #expect(code == 0, "\(found)\nserver: \(server.output)")
        #expect(found.contains("SECC [fe80::ff:fe00:1501]:50001 security tls"), "\(found)")
    }

    /// `v2g secc` and `v2g evcc` as separate processes on a link: SDP on ff02::1, TCP to the
    /// link-local address, TLS 1.3 with a PKI from `v2g pki init`, a whole DC session.
    @Test(.enabled(if: available, "needs root, ip netns and the built v2g binary"))
    func wholeSessionBetweenNamespaces() async throws {
        try await TimingSensitive.run { try await wholeSession() }
    }

    func wholeSession() async throws {
        let tag = String((getpid() + 7) % 100_000)
        let link = try NamespaceLink(tag: tag, macPrefix: "02:00:00:00:17")
        defer { link.remove() }
        let v2g = try #require(BuiltTools.v2g).path
        let ip = try #require(NamespaceLink.ip)
        let tmp = FileManager.default.temporaryDirectory
        let pki = tmp.appendingPathComponent("netns-pki-\(tag)").path
        defer { try? FileManager.default.removeItem(atPath: pki) }
        // Keys encrypted on disk, as `v2g pki init` writes them; both sides open theirs with the
        // passphrase from the environment, and authorize with Plug & Charge.
        let passphrase = ["V2G_KEY_PASSPHRASE": "netns-\(tag)"]
        let initPKI = try ChildProcess(v2g, ["pki", "init", pki], environment: passphrase, log: tmp.appendingPathComponent("pki-init-\(tag).log"), limit: 30)
        #expect(await initPKI.wait() == 0)
        let key = try String(contentsOfFile: pki + "/contract.key.pem", encoding: .utf8)
        #expect(key.contains("ENCRYPTED PRIVATE KEY"))
        let secc = try ChildProcess(ip, link.inA([v2g, "secc", "--pki", pki, "--interface", link.deviceA, "--sessions", "1", "--auth", "pnc"]),
                                    environment: passphrase, log: tmp.appendingPathComponent("secc-\(tag).log"), limit: 60)
        defer { secc.stop() }
        #expect(await secc.waitForOutput("listening", timeout: 60))
        let evcc = try ChildProcess(ip, link.inB([v2g, "evcc", "--pki", pki, "--interface", link.deviceB, "--time-factor", "600", "--auth", "pnc"]),
                                    environment: passphrase, log: tmp.appendingPathComponent("evcc-\(tag).log"), limit: 60)
        let code = await evcc.wait()
        let out = evcc.output
        #expect(code == 0, "\(out.suffix(2000))")
        #expect(out.contains("SDP: SECC at [fe80::ff:fe00:1701]"))
        #expect(out.contains("EVCC session ended (terminated"))
        // What the charger saw: the contract's signature and chain checked, the eMAID authorized.
        #expect(await secc.waitForOutput("Plug & Charge: OK", timeout: 5), "\(secc.output.suffix(2000))")
    }
}
