import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#endif

/// Sinks for TLS key-log lines (NSS key log format) so that Wireshark can decrypt V2G traffic:
/// a file (as SSLKEYLOGFILE), and UDP datagrams, the form V2G test tools read (dSPACE sends each
/// line as a plain ASCII datagram to ff02::1; PROTOCOL-NOTES §5). Test use only: these secrets
/// decrypt the session.
public enum KeyLog {
    /// Appends each line to `path`, creating the file.
    public static func file(_ path: String) throws -> @Sendable (String) -> Void {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteNoPermission)
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        let lock = NIOLock()
        return { line in
            let text = line.hasSuffix("\n") ? line : line + "\n"
            lock.withLock { handle.write(Data(text.utf8)) }
        }
    }

    /// Sends each line as one UDP datagram to `host` (an IPv6 or IPv4 literal, `ff02::1%eth1`
    /// for the link) and `port`.
    public static func datagrams(host: String, port: UInt16) throws -> @Sendable (String) -> Void {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        hints.ai_flags = AI_NUMERICHOST
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else {
            throw CocoaError(.fileReadInvalidFileName)
        }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        var storage = sockaddr_storage()
        let length = info.pointee.ai_addrlen
        withUnsafeMutableBytes(of: &storage) { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(start: info.pointee.ai_addr, count: Int(length)))
        }
        let destination = storage
        let socketBox = SocketBox(fd: fd)
        return { line in
            var d = destination
            let text = Array(line.trimmingCharacters(in: .newlines).utf8)
            _ = withUnsafePointer(to: &d) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                    sendto(socketBox.fd, text, text.count, 0, sa, length)
                }
            }
        }
    }

    /// Owns the datagram socket for the lifetime of the sink.
    final class SocketBox: Sendable {
        let fd: Int32
        init(fd: Int32) { self.fd = fd }
        deinit { close(fd) }
    }
}
