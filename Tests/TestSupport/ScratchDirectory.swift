import Foundation

/// A fresh folder under the temporary directory for one test's files; `remove()` it when done
/// (`defer { scratch.remove() }`).
public struct ScratchDirectory: Sendable {
    public let url: URL

    public init(_ prefix: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}

extension ScratchDirectory {
    /// A folder for a fixture shared by a whole suite (a test PKI written as files for `openssl`):
    /// it lives as long as the test process and is removed when the process exits.
    public static func forProcess(_ prefix: String) throws -> ScratchDirectory {
        let scratch = try ScratchDirectory(prefix)
        ProcessScratch.add(scratch.url)
        return scratch
    }
}

/// The folders `forProcess` made, removed by one `atexit` handler.
private enum ProcessScratch {
    static let folders = NSLock()
    nonisolated(unsafe) static var urls: [URL] = []  // guarded by `folders`
    static let removal: Void = {
        atexit {
            ProcessScratch.folders.lock()
            for url in ProcessScratch.urls { try? FileManager.default.removeItem(at: url) }
            ProcessScratch.folders.unlock()
        }
    }()

    static func add(_ url: URL) {
        _ = removal
        folders.lock()
        urls.append(url)
        folders.unlock()
    }
}
