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
        // Flushed line by line: the log is live also when it goes to a file or a pipe.
        Self.lock.withLock {
            print("\(prefix)\(marker) \(event.message)")
            fflush(nil)
        }
    }
}
