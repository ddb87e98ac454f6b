// The system's OpenSSL 3 for the -20 TLS profile (libssl-dev on Debian/Ubuntu, openssl@3 on
// Homebrew). Swift cannot call C macros: the few the backend needs are wrapped here as inline
// functions, named after the macro with a `v2g_` prefix. Nothing else lives in C.
#ifndef V2G_COPENSSL_SHIM_H
#define V2G_COPENSSL_SHIM_H

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

static inline int v2g_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) { return (int)SSL_CTX_set_min_proto_version(ctx, version); }
static inline int v2g_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) { return (int)SSL_CTX_set_max_proto_version(ctx, version); }
static inline int v2g_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *list) { return (int)SSL_CTX_set1_groups_list(ctx, list); }
static inline int v2g_SSL_CTX_set1_sigalgs_list(SSL_CTX *ctx, const char *list) { return (int)SSL_CTX_set1_sigalgs_list(ctx, list); }
static inline int v2g_SSL_CTX_set1_client_sigalgs_list(SSL_CTX *ctx, const char *list) { return (int)SSL_CTX_set1_client_sigalgs_list(ctx, list); }
static inline int v2g_SSL_CTX_add1_chain_cert(SSL_CTX *ctx, X509 *x509) { return (int)SSL_CTX_add1_chain_cert(ctx, x509); }
static inline int v2g_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode) { return (int)SSL_CTX_set_session_cache_mode(ctx, mode); }
static inline int v2g_SSL_set_app_data(SSL *ssl, void *data) { return SSL_set_app_data(ssl, data); }
static inline void *v2g_SSL_get_app_data(const SSL *ssl) { return SSL_get_app_data(ssl); }
static inline int v2g_SSL_get_negotiated_group(SSL *ssl) { return (int)SSL_get_negotiated_group(ssl); }
static inline int v2g_SSL_get_peer_signature_type_nid(const SSL *ssl, int *nid) { return (int)SSL_get_peer_signature_type_nid(ssl, nid); }
static inline int v2g_SSL_get_peer_signature_nid(SSL *ssl, int *nid) { return (int)SSL_get_peer_signature_nid(ssl, nid); }
static inline size_t v2g_BIO_ctrl_pending(BIO *bio) { return BIO_ctrl_pending(bio); }
static inline int v2g_sk_X509_num(const STACK_OF(X509) *stack) { return sk_X509_num(stack); }
static inline X509 *v2g_sk_X509_value(const STACK_OF(X509) *stack, int i) { return sk_X509_value(stack, i); }
static inline int v2g_ERR_GET_REASON(unsigned long error) { return ERR_GET_REASON(error); }
static inline int v2g_SSL_AD_REASON_OFFSET(void) { return SSL_AD_REASON_OFFSET; }
static inline STACK_OF(X509) *v2g_sk_X509_new_null(void) { return sk_X509_new_null(); }
static inline int v2g_sk_X509_push(STACK_OF(X509) *stack, X509 *x509) { return sk_X509_push(stack, x509); }
static inline void v2g_sk_X509_free(STACK_OF(X509) *stack) { sk_X509_free(stack); }
static inline void *v2g_OPENSSL_malloc(size_t size) { return OPENSSL_malloc(size); }
static inline void v2g_OPENSSL_free(void *pointer) { OPENSSL_free(pointer); }
static inline int v2g_SSL_CTX_set_tlsext_status_cb(SSL_CTX *ctx, int (*cb)(SSL *, void *)) { return (int)SSL_CTX_set_tlsext_status_cb(ctx, cb); }
static inline int v2g_SSL_CTX_set_tlsext_status_type(SSL_CTX *ctx, int type) { return (int)SSL_CTX_set_tlsext_status_type(ctx, type); }
static inline long v2g_SSL_get_tlsext_status_ocsp_resp(SSL *ssl, const unsigned char **response) {
    unsigned char *p = NULL;
    long length = SSL_get_tlsext_status_ocsp_resp(ssl, &p);
    *response = p;
    return length;
}
static inline int v2g_SSL_set_tlsext_status_ocsp_resp(SSL *ssl, unsigned char *response, long length) { return (int)SSL_set_tlsext_status_ocsp_resp(ssl, response, length); }
static inline SSL *v2g_X509_STORE_CTX_get_ssl(X509_STORE_CTX *store) {
    return (SSL *)X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
}

#endif
