import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Two network namespaces joined by a veth pair, as a charger and a vehicle on one cable:
/// IPv6 link-local addresses ready at once (no duplicate address detection), multicast on the
/// link, MACs `<prefix>:01` (side A) and `<prefix>:02` (side B), so the link-local addresses are
/// known in advance. Needs root and `ip netns`.
public struct NamespaceLink: Sendable {
    public let a, b, deviceA, deviceB: String

    public static let ip = BuiltTools.first(["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"])
    /// Root with `ip` available: the tests that need a link can run.
    public static let available = getuid() == 0 && ip != nil
    /// `V2G_REQUIRE_NETNS=1` (CI as root): the namespace tests must run, so a missing
    /// prerequisite fails them instead of skipping them.
    public static let required = ProcessInfo.processInfo.environment["V2G_REQUIRE_NETNS"] == "1"

    public struct Unavailable: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { "network namespaces unavailable: \(reason)" }
    }

    /// Throws `Unavailable` where namespaces cannot be created (e.g. a container without
    /// CAP_SYS_ADMIN): a test that got this far was meant to run, so it fails, never passes.
    public init(tag: String, macPrefix: String) throws {
        (a, b, deviceA, deviceB) = ("v2gs\(tag)", "v2ge\(tag)", "vs\(tag)", "ve\(tag)")
        let (status, output) = try Self.run(["netns", "add", a])
        guard status == 0 else { throw Unavailable(reason: output) }
        try Self.run(["netns", "add", b])
        try Self.run(["link", "add", deviceA, "type", "veth", "peer", "name", deviceB])
        try Self.run(["link", "set", deviceA, "netns", a])
        try Self.run(["link", "set", deviceB, "netns", b])
        for (ns, dev, mac) in [(a, deviceA, "\(macPrefix):01"), (b, deviceB, "\(macPrefix):02")] {
            try Self.run(["netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.\(dev).accept_dad=0"])
            try Self.run(["netns", "exec", ns, "ip", "link", "set", dev, "address", mac, "up"])
            try Self.run(["netns", "exec", ns, "ip", "link", "set", "lo", "up"])
        }
    }

    /// `ip netns exec <namespace>` prefix for a command run inside side A or B.
    public func inA(_ command: [String]) -> [String] { ["netns", "exec", a] + command }
    public func inB(_ command: [String]) -> [String] { ["netns", "exec", b] + command }

    public func remove() {
        _ = try? Self.run(["netns", "del", a])
        _ = try? Self.run(["netns", "del", b])
    }

    /// Runs `ip` with these arguments, for at most `timeout` seconds; status and output.
    @discardableResult
    public static func run(_ args: [String], timeout: TimeInterval = 20) throws -> (Int32, String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("ip-\(getpid())-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let p = try ChildProcess(ip ?? "/usr/sbin/ip", args, log: log, limit: timeout)
        let status = p.waitBlocking()
        return (status, p.output)
    }
}
