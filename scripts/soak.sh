#!/usr/bin/env bash
# Soak (not in CI): one `v2g secc` serves `v2g load` rounds for MINUTES (default 60) while its
# resident memory is sampled every minute; prints the samples as CSV (minute, RSS KiB, sessions).
# A flat curve after warm-up means no leak; a growing one is a leak to find.
#   scripts/soak.sh [MINUTES] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-60}"; concurrency="${2:-100}"
swift build -c release --product v2g >/dev/null
v2g=.build/release/v2g
work=$(mktemp -d)
trap 'kill $secc_pid 2>/dev/null || true; rm -rf "$work"' EXIT
$v2g pki init "$work/pki" --unencrypted >/dev/null
$v2g secc --pki "$work/pki" --host ::1 --port 0 --sessions 0 --log-level notice > "$work/secc.log" 2>&1 &
secc_pid=$!
for _ in $(seq 100); do grep -q "SECC listening" "$work/secc.log" && break; sleep 0.1; done
port=$(grep -m1 "SECC listening" "$work/secc.log" | awk '{print $NF}')
echo "minute,rss_kib,sessions"
end=$(( $(date +%s) + minutes * 60 )); minute=0; sessions=0
while [ "$(date +%s)" -lt "$end" ]; do
    round_end=$(( $(date +%s) + 60 ))
    while [ "$(date +%s)" -lt "$round_end" ]; do
        $v2g load --pki "$work/pki" --host ::1 --port "$port" --sessions "$concurrency" --concurrency "$concurrency" > "$work/load.log" 2>&1 || true
        done_now=$(grep -o "^sessions: [0-9]*" "$work/load.log" | grep -o "[0-9]*" || echo 0)
        sessions=$((sessions + done_now))
    done
    minute=$((minute + 1))
    echo "$minute,$(awk '/VmRSS/ {print $2}' /proc/$secc_pid/status),$sessions"
done
