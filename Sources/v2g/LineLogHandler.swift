import Foundation
import Logging
import NIOConcurrencyHelpers

/// One line per event: `12:00:01.234 SECC ← DC_ChargeLoopReq`. Metadata is not printed.
struct LineLogHandler: LogHandler {
    let role: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    static let lock = NIOLock()
    static let start = Date()

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let t = Date().timeIntervalSince(Self.start)
        let prefix = String(format: "%8.3f %@", t, role)
        let marker = event.level >= .warning ? " [\(event.level)]" : ""
        Self.lock.withLock { printLive("\(prefix)\(marker) \(event.message)") }
    }
}

/// Prints a line and flushes it: live output also when stdout is a file or a pipe (a test or a
/// supervisor waiting for "listening" must see it at once).
func printLive(_ line: String) {
    print(line)
    fflush(nil)
}
