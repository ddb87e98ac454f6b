import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SDP as on a real link: two network namespaces joined by a veth pair, IPv6 link-local addresses,
/// the request multicast to ff02::1 on the interface. Runs where the tests run as root with
/// `ip netns` available (CI does); skipped with a reason elsewhere.
@Suite struct NetnsSDPTests {
    static let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static let v2g: URL? = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("v2g")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    static let available = getuid() == 0 && ip != nil && v2g != nil

    @discardableResult
    static func run(_ args: [String], timeout: TimeInterval = 20) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ip ?? "/usr/sbin/ip")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    /// Two network namespaces joined by a veth pair, link-local IPv6 ready at once (no duplicate
    /// address detection); MACs `<prefix>:01` and `<prefix>:02`. Nil (skipped, with a line on the
    /// console) where namespaces cannot be created, e.g. a container without CAP_SYS_ADMIN.
    struct Link {
        let a, b, va, vb: String

        init?(tag: String, macPrefix: String) throws {
            (a, b, va, vb) = ("v2gs\(tag)", "v2ge\(tag)", "vs\(tag)", "ve\(tag)")
            let (status, output) = try NetnsSDPTests.run(["netns", "add", a])
            guard status == 0 else {
                print("netns test skipped: \(output)")
                return nil
            }
            try NetnsSDPTests.run(["netns", "add", b])
            try NetnsSDPTests.run(["link", "add", va, "type", "veth", "peer", "name", vb])
            try NetnsSDPTests.run(["link", "set", va, "netns", a])
            try NetnsSDPTests.run(["link", "set", vb, "netns", b])
            for (ns, dev, mac) in [(a, va, "\(macPrefix):01"), (b, vb, "\(macPrefix):02")] {
                try NetnsSDPTests.run(["netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.\(dev).accept_dad=0"])
                try NetnsSDPTests.run(["netns", "exec", ns, "ip", "link", "set", dev, "address", mac, "up"])
            }
        }

        func remove() {
            _ = try? NetnsSDPTests.run(["netns", "del", a])
            _ = try? NetnsSDPTests.run(["netns", "del", b])
        }
    }

    @Test(.enabled(if: available, "needs root, ip netns and the built v2g binary"))
    func discoveryOverVethBetweenNamespaces() throws {
        guard let link = try Link(tag: String(getpid() % 100_000), macPrefix: "02:00:00:00:15") else { return }
        defer { link.remove() }
        let (a, b, va, vb) = (link.a, link.b, link.va, link.vb)
        let v2g = try #require(Self.v2g).path
        let server = Process()
        server.executableURL = URL(fileURLWithPath: try #require(Self.ip))
        server.arguments = ["netns", "exec", a, v2g, "sdp", "serve", "--interface", va, "--secc-address", "fe80::ff:fe00:1501",
                            "--secc-port", "50001", "--duration", "10"]
        server.standardOutput = Pipe()
        server.standardError = Pipe()
        try server.run()
        defer { if server.isRunning { server.terminate() }; server.waitUntilExit() }
        Thread.sleep(forTimeInterval: 0.5)
        let (code, found) = try Self.run(["netns", "exec", b, v2g, "sdp", "discover", "--interface", vb, "--tries", "20"])
        #expect(code == 0, "\(found)")
        #expect(found.contains("SECC [fe80::ff:fe00:1501]:50001 security tls"), "\(found)")
    }

    /// `v2g secc` and `v2g evcc` as separate processes on a link: SDP on ff02::1, TCP to the
    /// link-local address, TLS 1.3 with a PKI from `v2g pki init`, a whole DC session.
    @Test(.enabled(if: available, "needs root, ip netns and the built v2g binary"))
    func wholeSessionBetweenNamespaces() throws {
        let tag = String((getpid() + 7) % 100_000)
        guard let link = try Link(tag: tag, macPrefix: "02:00:00:00:17") else { return }
        defer { link.remove() }
        let (a, b, va, vb) = (link.a, link.b, link.va, link.vb)
        let v2g = try #require(Self.v2g).path
        let pki = FileManager.default.temporaryDirectory.appendingPathComponent("netns-pki-\(tag)").path
        defer { try? FileManager.default.removeItem(atPath: pki) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: v2g)
        p.arguments = ["pki", "init", pki]
        p.standardOutput = Pipe()
        try p.run()
        p.waitUntilExit()
        let secc = Process()
        secc.executableURL = URL(fileURLWithPath: try #require(Self.ip))
        secc.arguments = ["netns", "exec", a, v2g, "secc", "--pki", pki, "--interface", va, "--sessions", "1"]
        secc.standardOutput = Pipe()
        secc.standardError = Pipe()
        try secc.run()
        defer { if secc.isRunning { secc.terminate() }; secc.waitUntilExit() }
        Thread.sleep(forTimeInterval: 0.7)
        let (code, out) = try Self.run(["netns", "exec", b, v2g, "evcc", "--pki", pki, "--interface", vb, "--time-factor", "600"], timeout: 60)
        #expect(code == 0, "\(out.suffix(2000))")
        #expect(out.contains("SDP: SECC at [fe80::ff:fe00:1701]"))
        #expect(out.contains("EVCC session ended (terminated"))
    }
}
