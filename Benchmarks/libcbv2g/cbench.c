/* cbench.c - libcbv2g (EVerest) decode/encode micro-benchmark.
 *
 * Input: text file, one message per line:  <set> <name> <hex>
 *   set  : app | common | dc | ac
 *   name : free label (no spaces), echoed in output
 *   hex  : EXI body (no V2GTP header), hex (case-insensitive)
 * Blank lines and lines starting with '#' are ignored.
 *
 * Per line: decode once (report failure), re-encode and compare with input,
 * then time ROUNDS rounds of ITERS decodes and ROUNDS rounds of ITERS encodes;
 * print median ns/op over rounds.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cbv2g/common/exi_bitstream.h>
#include <cbv2g/app_handshake/appHand_Datatypes.h>
#include <cbv2g/app_handshake/appHand_Decoder.h>
#include <cbv2g/app_handshake/appHand_Encoder.h>
#include <cbv2g/iso_20/iso20_CommonMessages_Datatypes.h>
#include <cbv2g/iso_20/iso20_CommonMessages_Decoder.h>
#include <cbv2g/iso_20/iso20_CommonMessages_Encoder.h>
#include <cbv2g/iso_20/iso20_DC_Datatypes.h>
#include <cbv2g/iso_20/iso20_DC_Decoder.h>
#include <cbv2g/iso_20/iso20_DC_Encoder.h>
#include <cbv2g/iso_20/iso20_AC_Datatypes.h>
#include <cbv2g/iso_20/iso20_AC_Decoder.h>
#include <cbv2g/iso_20/iso20_AC_Encoder.h>

#define ROUNDS 15
#define ITERS 2000
#define OUTBUF_SIZE 8192
#define MAX_MSG 65536

/* Documents allocated once, outside any timing loop. */
static struct appHand_exiDocument doc_app;
static struct iso20_exiDocument doc_common;
static struct iso20_dc_exiDocument doc_dc;
static struct iso20_ac_exiDocument doc_ac;

static uint8_t outbuf[OUTBUF_SIZE];
static volatile size_t sink;

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

static double median(double* v, int n) {
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return (n & 1) ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* One benchmark function per message set; direct calls so the compiler sees
 * the concrete decoder/encoder (no function-pointer indirection in the loop). */
#define DEFINE_BENCH(SUFFIX, DOC, DECODE, ENCODE)                                              \
    static void bench_##SUFFIX(const char* name, uint8_t* in, size_t n) {                       \
        exi_bitstream_t s;                                                                      \
        int rc;                                                                                 \
        exi_bitstream_init(&s, in, n, 0, NULL);                                                 \
        rc = DECODE(&s, &DOC);                                                                  \
        if (rc != 0) {                                                                          \
            printf("%s DECODE-FAILED %d\n", name, rc);                                          \
            return;                                                                             \
        }                                                                                       \
        exi_bitstream_init(&s, outbuf, sizeof(outbuf), 0, NULL);                                \
        rc = ENCODE(&s, &DOC);                                                                  \
        if (rc != 0) {                                                                          \
            printf("%s ENCODE-FAILED %d\n", name, rc);                                          \
            return;                                                                             \
        }                                                                                       \
        size_t enc_len = exi_bitstream_get_length(&s);                                          \
        const char* rt = (enc_len == n && memcmp(outbuf, in, n) == 0) ? "same" : "differs";     \
                                                                                                \
        double dec[ROUNDS], enc[ROUNDS];                                                        \
        size_t acc = 0;                                                                         \
        for (int r = 0; r < ROUNDS; r++) {                                                      \
            double t0 = now_ns();                                                               \
            for (int i = 0; i < ITERS; i++) {                                                   \
                exi_bitstream_init(&s, in, n, 0, NULL);                                         \
                acc += (size_t)DECODE(&s, &DOC) + s.byte_pos;                                   \
            }                                                                                   \
            double t1 = now_ns();                                                               \
            dec[r] = (t1 - t0) / ITERS;                                                         \
        }                                                                                       \
        for (int r = 0; r < ROUNDS; r++) {                                                      \
            double t0 = now_ns();                                                               \
            for (int i = 0; i < ITERS; i++) {                                                   \
                exi_bitstream_init(&s, outbuf, sizeof(outbuf), 0, NULL);                        \
                acc += (size_t)ENCODE(&s, &DOC) + s.byte_pos;                                   \
            }                                                                                   \
            double t1 = now_ns();                                                               \
            enc[r] = (t1 - t0) / ITERS;                                                         \
        }                                                                                       \
        sink = acc;                                                                             \
        printf("%s decode_ns=%.1f encode_ns=%.1f bytes=%zu roundtrip=%s\n", name,               \
               median(dec, ROUNDS), median(enc, ROUNDS), n, rt);                                \
        if (enc_len != n || memcmp(outbuf, in, n) != 0) {                                       \
            /* re-encode once more to show the differing bytes */                               \
            exi_bitstream_init(&s, outbuf, sizeof(outbuf), 0, NULL);                            \
            ENCODE(&s, &DOC);                                                                   \
            enc_len = exi_bitstream_get_length(&s);                                             \
            printf("  reencoded(%zu)=", enc_len);                                               \
            for (size_t k = 0; k < enc_len; k++) printf("%02x", outbuf[k]);                     \
            printf("\n");                                                                       \
        }                                                                                       \
        fflush(stdout);                                                                         \
    }

DEFINE_BENCH(app, doc_app, decode_appHand_exiDocument, encode_appHand_exiDocument)
DEFINE_BENCH(common, doc_common, decode_iso20_exiDocument, encode_iso20_exiDocument)
DEFINE_BENCH(dc, doc_dc, decode_iso20_dc_exiDocument, encode_iso20_dc_exiDocument)
DEFINE_BENCH(ac, doc_ac, decode_iso20_ac_exiDocument, encode_iso20_ac_exiDocument)

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int main(int argc, char** argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s <file>   (lines: <app|common|dc|ac> <name> <hex>)\n", argv[0]);
        return 2;
    }
    FILE* f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    static uint8_t msg[MAX_MSG];
    char* line = NULL;
    size_t cap = 0;
    int lineno = 0;
    while (getline(&line, &cap, f) != -1) {
        lineno++;
        char* set = strtok(line, " \t\r\n");
        if (!set || set[0] == '#') continue;
        char* name = strtok(NULL, " \t\r\n");
        char* hex = strtok(NULL, " \t\r\n");
        if (!name || !hex) {
            fprintf(stderr, "line %d: malformed\n", lineno);
            continue;
        }
        size_t hl = strlen(hex);
        if ((hl & 1) || hl / 2 > MAX_MSG) {
            fprintf(stderr, "line %d: bad hex length\n", lineno);
            continue;
        }
        size_t n = hl / 2;
        int bad = 0;
        for (size_t i = 0; i < n; i++) {
            int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
            if (hi < 0 || lo < 0) { bad = 1; break; }
            msg[i] = (uint8_t)(hi << 4 | lo);
        }
        if (bad) {
            fprintf(stderr, "line %d: bad hex\n", lineno);
            continue;
        }
        if (!strcmp(set, "app")) bench_app(name, msg, n);
        else if (!strcmp(set, "common")) bench_common(name, msg, n);
        else if (!strcmp(set, "dc")) bench_dc(name, msg, n);
        else if (!strcmp(set, "ac")) bench_ac(name, msg, n);
        else fprintf(stderr, "line %d: unknown set '%s'\n", lineno, set);
    }
    free(line);
    fclose(f);
    return 0;
}
