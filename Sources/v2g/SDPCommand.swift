import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import SDP

extension SDPSecurity: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "tls": self = .tls
        case "none": self = .none
        default: return nil
        }
    }
}

struct SDPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sdp",
        abstract: "SECC Discovery Protocol: answer or send discovery requests.",
        subcommands: [Serve.self, Discover.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Answer SDP requests (the SECC side).")
        @Option(help: "Interface to join ff02::1 on (a PLC modem's, e.g. eth1).") var interface: String?
        @Option(help: "Address to bind.") var bind = "::"
        @Option(help: "UDP port.") var port = 15118
        @Option(help: "SECC address to announce (IPv6).") var seccAddress = "::1"
        @Option(help: "SECC TCP port to announce.") var seccPort: UInt16 = 50_000
        @Option(help: "Security to announce: tls or none.") var security: SDPSecurity = .tls
        @Option(help: "Stop after this many seconds (0: run until interrupted).") var duration: Double = 0

        func run() async throws {
            var address = in6_addr()
            guard inet_pton(AF_INET6, seccAddress, &address) == 1 else { throw ValidationError("not an IPv6 address: \(seccAddress)") }
            let bytes = withUnsafeBytes(of: address) { Array($0) }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let server = try await SDPServer.start(group: group, configuration: .init(
                bindHost: bind, port: port, interface: interface, seccAddress: bytes, seccPort: seccPort, security: security)) { line in
                printLive(line)
            }
            printLive("SDP server on \(bind) port \(server.localPort ?? port)\(interface.map { " joined ff02::1%\($0)" } ?? "")")
            if duration > 0 {
                try await Task.sleep(nanoseconds: UInt64(duration * 1e9))
            } else {
                try await server.channel.closeFuture.get()
            }
            try await server.close()
            try await group.shutdownGracefully()
        }
    }

    struct Discover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Find an SECC (the EVCC side); prints its address and port.")
        @Option(help: "Interface to send to ff02::1 on.") var interface: String?
        @Option(help: "Unicast target instead of multicast (e.g. 127.0.0.1).") var host: String?
        @Option(help: "UDP port.") var port = 15118
        @Option(help: "Security to request: tls or none.") var security: SDPSecurity = .tls
        @Option(help: "Requests to send (250 ms apart).") var tries = SDPClient.maximumTries

        func run() async throws {
            let target: SocketAddress
            if let host {
                target = try SocketAddress(ipAddress: host, port: port)
            } else if let interface {
                target = try SDPClient.multicastTarget(interface: interface, port: port)
            } else {
                throw ValidationError("give --interface for multicast or --host for unicast")
            }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let result = await Result { try await SDPClient.discover(group: group, target: target, request: SDPRequest(security: security),
                                                                      interface: interface, tries: tries) }
            try await group.shutdownGracefully()
            let r = try result.get()
            print("SECC [\(r.addressText)]:\(r.port) security \(r.security) transport \(r.transport)")
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
