#!/usr/bin/env bash
# Side by side: our codec and libcbv2g (EVerest's C codec, built -O3 -march=native) on the same bytes,
# the messages listed in Benchmarks/libcbv2g/vectors.txt (other stacks' test vectors from
# ../shared/vectors). Not in CI: it needs a libcbv2g checkout and a quiet machine.
#   scripts/codec-vs-libcbv2g.sh LIBCBV2G_DIR      (e.g. a clone of github.com/EVerest/libcbv2g)
# Prints, per message, the median ns per decode and per encode of each codec (libcbv2g: the best of
# three runs of 15 rounds × 2,000 operations; ours: the Benchmarks package's p50) and their ratio.
# Both encode into a buffer the caller keeps.
set -euo pipefail
cd "$(dirname "$0")/.."
lib="${1:?usage: $0 LIBCBV2G_DIR}"
data="${V2G_TEST_DATA:-../shared}"
out=.build-cbench; mkdir -p "$out/obj"
L="$lib/lib/cbv2g"
(cd "$out/obj" && gcc -O3 -march=native -std=c99 -I"$lib/include" -c \
    "$L"/common/exi_{basetypes,basetypes_decoder,basetypes_encoder,bitstream,header,types_decoder}.c \
    "$L"/app_handshake/appHand_{Datatypes,Decoder,Encoder}.c \
    "$L"/iso_20/iso20_CommonMessages_{Datatypes,Decoder,Encoder}.c \
    "$L"/iso_20/iso20_DC_{Datatypes,Decoder,Encoder}.c "$L"/iso_20/iso20_AC_{Datatypes,Decoder,Encoder}.c)
ar rcs "$out/libcbv2g.a" "$out"/obj/*.o
gcc -O3 -march=native -std=c99 -Wall -Wextra -I"$lib/include" Benchmarks/libcbv2g/cbench.c "$out/libcbv2g.a" -o "$out/cbench"
python3 - "$data/vectors/iso15118-20.jsonl" Benchmarks/libcbv2g/vectors.txt > "$out/input.txt" <<'PY'
import json, sys
sets = {"urn:iso:15118:2:2010:AppProtocol": "app", "urn:iso:std:iso:15118:-20:CommonMessages": "common",
        "urn:iso:std:iso:15118:-20:DC": "dc", "urn:iso:std:iso:15118:-20:AC": "ac"}
by_source = {}
for line in open(sys.argv[1]):
    v = json.loads(line)
    by_source.setdefault(v.get("source"), v)
for line in open(sys.argv[2]):
    if line.startswith("#") or not line.strip(): continue
    name, source = line.split()
    v = by_source[source]
    print(sets[v["namespace"]], name, v["exi_hex"])
PY
for run in 1 2 3; do "$out/cbench" "$out/input.txt"; done > "$out/c.txt"
(cd Benchmarks && swift package --allow-writing-to-package-directory benchmark --target CodecBenchmarks --filter "(en|de)code vector .*") \
    | sed 's/\x1b\[[0-9;]*m//g' > "$out/swift.txt"
python3 - "$out/c.txt" "$out/swift.txt" <<'PY'
import re, sys
c = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\S+) decode_ns=([\d.]+) encode_ns=([\d.]+)", line)
    if m:
        d, e = c.get(m[1], (1e18, 1e18))
        c[m[1]] = (min(d, float(m[2])), min(e, float(m[3])))
ours, current = {}, None
for line in open(sys.argv[2]):
    m = re.match(r"^(encode|decode) vector (\S+)", line.strip())
    if m and "│" not in line: current = (m[1], m[2]); continue
    if current and "Time (wall clock)" in line:
        ours[current] = float(line.split("│")[3]); current = None
print(f"{'message':26s} {'decode C':>9s} {'ours':>7s} {'ratio':>6s}   {'encode C':>9s} {'ours':>7s} {'ratio':>6s}")
for name, (cd, ce) in c.items():
    od, oe = ours.get(("decode", name)), ours.get(("encode", name))
    f = lambda o, x: f"{o:7.0f} {o / x:6.2f}" if o else f"{'-':>7s} {'-':>6s}"
    print(f"{name:26s} {cd:9.0f} {f(od, cd)}   {ce:9.0f} {f(oe, ce)}")
PY
