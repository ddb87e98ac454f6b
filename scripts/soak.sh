#!/usr/bin/env bash
# Soak (not in CI): one `v2g secc` serves back-to-back `v2g load` rounds for MINUTES (default 60)
# while its resident memory is sampled every minute. Prints CSV: minute, the SECC's RSS in KiB,
# sessions completed and failed so far, and the last round's charge-loop p99. A final line gives the
# RSS after a minute idle. A curve that flattens after warm-up means no leak; one that keeps
# growing with the session count is a leak to find.
#   scripts/soak.sh [MINUTES] [CONCURRENCY]
# The SECC and the load run at the lowest CPU priority (nice 19) so that other work on the machine
# goes first; the memory curve does not depend on it.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-60}"; concurrency="${2:-100}"
swift build -c release --product v2g >/dev/null
v2g=.build/release/v2g
work=$(mktemp -d)
trap 'kill $secc_pid 2>/dev/null || true; rm -rf "$work"' EXIT
$v2g pki init "$work/pki" --unencrypted >/dev/null
nice -n 19 $v2g secc --pki "$work/pki" --host ::1 --port 0 --sessions 0 --log-level notice > "$work/secc.log" 2>&1 &
secc_pid=$!
for _ in $(seq 100); do grep -q "SECC listening" "$work/secc.log" && break; sleep 0.1; done
port=$(grep -m1 "SECC listening" "$work/secc.log" | awk '{print $NF}')
rss() { awk '/VmRSS/ {print $2}' "/proc/$secc_pid/status"; }
echo "minute,rss_kib,completed,failed,loop_p99"
echo "0,$(rss),0,0,"
end=$(( $(date +%s) + minutes * 60 )); minute=0; completed=0; failed=0; p99=""
while [ "$(date +%s)" -lt "$end" ]; do
    round_end=$(( $(date +%s) + 60 ))
    while [ "$(date +%s)" -lt "$round_end" ]; do
        nice -n 19 $v2g load --pki "$work/pki" --host ::1 --port "$port" --sessions "$concurrency" \
            --concurrency "$concurrency" --ramp-up 1 > "$work/load.log" 2>&1 || true
        line=$(grep -m1 "^sessions: " "$work/load.log" || echo "sessions: 0 completed, 0 failed")
        completed=$((completed + $(echo "$line" | sed -E 's/^sessions: ([0-9]+) completed.*/\1/')))
        failed=$((failed + $(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')))
        p99=$(grep -m1 "^charge loop turnaround" "$work/load.log" | sed -nE 's/.* p99 ([0-9.,]+) ms.*/\1 ms/p' | tr -d , || true)
        grep "^failed: " "$work/load.log" >> "$work/failures.log" || true
    done
    minute=$((minute + 1))
    echo "$minute,$(rss),$completed,$failed,$p99"
done
sleep 60
echo "idle,$(rss),$completed,$failed,"
# Each round's line is "failed: N × reason": add the Ns per reason.
if [ -s "$work/failures.log" ]; then
    echo "failures by reason:"
    sed -E 's/^failed: ([0-9]+) × (.*)$/\1\t\2/' "$work/failures.log" | awk -F'\t' '{n[$2] += $1} END {for (r in n) print n[r], r}'
fi
