import V2GTLS

/// Whether this build has the OpenSSL backend: it does where the system's OpenSSL 3 headers were
/// found (Linux with libssl-dev, macOS with Homebrew's openssl@3); elsewhere the package still
/// builds and the runtimes fall back to swift-nio-ssl.
public enum OpenSSLAvailability {
    /// The OpenSSL backend, or nil when this build has none.
    public static var backend: (any TLSBackend)? {
        #if OpenSSL
        OpenSSLBackend()
        #else
        nil
        #endif
    }
}
