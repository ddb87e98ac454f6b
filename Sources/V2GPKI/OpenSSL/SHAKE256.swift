#if OpenSSL
import COpenSSL

/// SHAKE256 (FIPS 202) through OpenSSL's EVP API, with the output length the caller asks for:
/// the digest of the -20 XML signature references that go with Ed448.
public enum SHAKE256 {
    public static func hash(_ bytes: [UInt8], length: Int) throws(OpenSSLFailure) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw .last("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: length)
        guard EVP_DigestInit_ex(context, EVP_shake256(), nil) == 1,
              EVP_DigestUpdate(context, bytes, bytes.count) == 1,
              EVP_DigestFinalXOF(context, &output, length) == 1 else { throw .last("SHAKE256") }
        return output
    }
}
#endif
