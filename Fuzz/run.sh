#!/usr/bin/env bash
# Coverage-guided fuzzing of every fuzz target (Sources/V2GFuzzTargets) with libFuzzer and
# AddressSanitizer, each for SECONDS (default 20), from seeds made of ../shared and our test PKI.
# Prints each target's executions and speed; exits non-zero if any target found something, and
# copies what it found to Regressions/<target>/ (replayed by `swift test`: FuzzRegressionTests).
#   Fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-20}"; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(exi v2gtp sdp capture pki secc evcc)
export V2G_TEST_DATA="${V2G_TEST_DATA:-$(cd ../.. && pwd)/shared}"

# swiftc keeps only the last -sanitize= it is given, so Swift code gets both in one flag; C code
# (clang merges its -fsanitize flags) gets them from SwiftPM's options.
swift build -c release --sanitize=address --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address --product V2GFuzz \
    --scratch-path .build-fuzz 2>&1 | grep -vE "^\[[0-9]+/[0-9]+\]|Cannot export local symbol" || true
binary=.build-fuzz/release/V2GFuzz
[ -x "$binary" ] || { echo "fuzz harness did not build"; exit 1; }

work=.build-fuzz/work
status=0
printf "%-8s %12s %10s %8s %s\n" target executions "exec/s" "corpus" result
for target in "${targets[@]}"; do
    corpus="$work/$target/corpus"; seeds="$work/$target/seeds"; artifacts="$work/$target/artifacts/"
    rm -rf "$seeds" "$artifacts"; mkdir -p "$corpus" "$seeds" "$artifacts"
    log="$work/$target/log"
    # Leak checks are off: LeakSanitizer reports the Swift runtime's own caches on Linux.
    if V2G_FUZZ_TARGET="$target" V2G_FUZZ_SEEDS="$seeds" ASAN_OPTIONS=detect_leaks=0 \
        "$binary" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts" "$corpus" "$seeds" > "$log" 2>&1; then result=ok; else result=FOUND; status=1; fi
    executions=$(grep -o "stat::number_of_executed_units: *[0-9]*" "$log" | grep -o "[0-9]*$" || echo "?")
    speed=$(grep -o "stat::average_exec_per_sec: *[0-9]*" "$log" | grep -o "[0-9]*$" || echo "?")
    units=$(ls "$corpus" | wc -l)
    if ls "$artifacts" | grep -q .; then
        result=FOUND; status=1
        mkdir -p "Regressions/$target"; cp "$artifacts"* "Regressions/$target/"
        grep -m3 -E "fuzz finding|ERROR: AddressSanitizer|Fatal error|deadly signal" "$log" | sed "s/^/  $target: /" || true
    fi
    printf "%-8s %12s %10s %8s %s\n" "$target" "$executions" "$speed" "$units" "$result"
done
exit $status
