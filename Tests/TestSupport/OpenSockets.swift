#if canImport(Glibc)
import Glibc

/// This process's TCP sockets with one of `ports` at either end, from /proc: the sockets a test's
/// server and its peers hold, and nothing another test running beside it opened. Read with plain
/// system calls: Foundation's file APIs take a fifth of a second over /proc.
public enum OpenSockets {
    public static func count(ports: Set<Int>) -> Int {
        var ours = Set<String>()
        if let directory = opendir("/proc/self/fd") {
            defer { closedir(directory) }
            var target = [CChar](repeating: 0, count: 256)
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                let length = readlink("/proc/self/fd/\(name)", &target, target.count - 1)
                guard length > 0 else { continue }
                let text = String(decoding: target.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if text.hasPrefix("socket:[") { ours.insert(String(text.dropFirst(8).dropLast())) }
            }
        }
        var count = 0
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            for line in contents(table).split(separator: "\n").dropFirst() {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                let fields = line.split(separator: " ")
                guard fields.count > 9 else { continue }
                let atEnds = [fields[1], fields[2]].compactMap { $0.split(separator: ":").last.flatMap { Int($0, radix: 16) } }
                if atEnds.contains(where: ports.contains), ours.contains(String(fields[9])) { count += 1 }
            }
        }
        return count
    }

    public static func count(port: Int) -> Int { count(ports: [port]) }

    private static func contents(_ path: String) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n <= 0 { break }
            bytes += chunk.prefix(n)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
#endif
