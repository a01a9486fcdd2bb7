#!/usr/bin/env bash
# Side-by-side HS256 cracking speed on this CPU: hashcat -m 16500 (OpenCL on
# the CPU through pocl) against authprobe's cracker, same token, same
# never-matching mask, same duration; plus the SHA-256 hardware bound from
# openssl. Usage: scripts/bench-crack.sh [SECONDS]   (default 15 s per run;
# BENCH_ROUNDS=2 alternating rounds, the best of each tool kept). authprobe
# interleaves two SHA-NI streams per core, so it can pass openssl's
# single-stream figure.
set -euo pipefail
cd "$(dirname "$0")/.."

secs="${1:-${BENCH_SECONDS:-15}}"
mask='?a?a?a?a?a?a?a?a?a'
py=/usr/bin/python3
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The token: typical claims, a secret outside the mask's keyspace (it has a
# control byte), so both tools must run for the whole duration.
token="$($py - <<'PY'
import base64, hashlib, hmac
b = lambda x: base64.urlsafe_b64encode(x).rstrip(b"=")
m = b(b'{"alg":"HS256","typ":"JWT"}') + b"." + b(
    b'{"sub":"bench","iat":1700000000,"name":"a typical token with a few claims","role":"user","exp":4102444800}')
print((m + b"." + b(hmac.new(b"\x01not-in-the-mask", m, hashlib.sha256).digest())).decode())
PY
)"
echo "$token" >"$work/token.txt"
signed="${token%.*}"
msglen=${#signed}
# Compressions per guess: inner key block, the message blocks (with padding),
# outer key block, outer final block.
blocks=$(( 1 + (msglen + 9 + 63) / 64 + 2 ))
cores="$(nproc)"
echo "token: ${msglen}-byte signed part, ${blocks} SHA-256 compressions per guess; ${cores} cores; ${secs}s per tool"

# Hardware bound: openssl hashes 64-byte messages, two compressions each.
bound=""
if command -v openssl >/dev/null; then
  kbytes="$(openssl speed -evp sha256 -bytes 64 -seconds 3 2>/dev/null | awk '/^sha256/ {sub(/k$/, "", $2); print $2}')"
  if [ -n "$kbytes" ]; then
    bound="$(awk -v k="$kbytes" -v b="$blocks" -v c="$cores" 'BEGIN { printf "%.0f", k * 1000 / 64 * 2 / b * c }')"
    awk -v k="$kbytes" -v b="$blocks" -v c="$cores" 'BEGIN {
      cps = k * 1000 / 64 * 2
      printf "openssl sha256:   %.1f M compressions/s/core -> bound %.2f M guesses/s/core, %.2f M/s on %d cores (single-stream latency bound)\n",
        cps / 1e6, cps / b / 1e6, cps / b * c / 1e6, c }'
  fi
fi

# hashcat, installed from Debian when missing (it needs an OpenCL runtime: pocl).
if ! command -v hashcat >/dev/null || ! dpkg-query -W -f='${Status}' pocl-opencl-icd 2>/dev/null | grep -q "ok installed"; then
  echo "installing hashcat and pocl-opencl-icd from Debian..." >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq || true
  $sudo apt-get install -y -qq hashcat pocl-opencl-icd >/dev/null || true
fi
go build -o "$work/authprobe" ./cmd/authprobe

# One authprobe run on all cores; prints guesses/s.
run_ours() {
  "$work/authprobe" token crack --no-builtin --mask "$mask" --time-limit "${secs}s" --format json "$token" \
    >"$work/ours.json" 2>"$work/ours.err" || true
  $py -c 'import json,sys; print("%.0f" % json.load(open(sys.argv[1]))["rate"])' "$work/ours.json"
}

# One hashcat run; prints the mean of hashcat's own speed readings (the first
# one, taken during autotune, is dropped), or nothing when it cannot run.
# The first run compiles the OpenCL kernel (minutes on pocl); the runtime
# limit counts from the attack's start, after that. -O selects hashcat's
# optimized kernel (its fastest; fine for the 9-character mask).
run_hashcat() {
  command -v hashcat >/dev/null || return 0
  (cd "$work" && timeout $((secs + 600)) hashcat -m 16500 -a 3 -O -D 1 -w 3 --potfile-disable --runtime "$secs" \
    --status --status-json --status-timer 3 --session authprobe-bench token.txt "$mask" </dev/null >hashcat.out 2>&1) || true
  $py - "$work/hashcat.out" <<'PY'
import json, sys
speeds = []
for line in open(sys.argv[1], errors="replace"):
    i = line.find('{ "session"')
    if i < 0:
        continue
    try:
        st = json.loads(line[i:])
    except ValueError:
        continue
    speeds.append(sum(d.get("speed", 0) for d in st.get("devices", [])))
speeds = speeds[1:] or speeds
print("%.0f" % (sum(speeds) / len(speeds)) if speeds else "")
PY
}

# Alternate the tools and keep each one's best round: on a shared machine
# this evens out load that comes and goes.
rounds="${BENCH_ROUNDS:-2}"
ours=0 hc=""
for r in $(seq "$rounds"); do
  o="$(run_ours)"
  h="$(run_hashcat)"
  echo "round $r: authprobe $o guesses/s, hashcat ${h:-n/a} guesses/s"
  [ "$o" -gt "$ours" ] && ours="$o"
  if [ -n "$h" ] && { [ -z "$hc" ] || [ "$h" -gt "$hc" ]; }; then hc="$h"; fi
done
printf 'authprobe:        %.2f M guesses/s (%.2f M/s/core)\n' "$(awk -v r="$ours" 'BEGIN{print r/1e6}')" "$(awk -v r="$ours" -v c="$cores" 'BEGIN{print r/1e6/c}')"
if [ -z "$hc" ] || [ "$hc" = "0" ]; then
  echo "hashcat:          could not run here (no OpenCL device or install failed); see below" >&2
  [ -f "$work/hashcat.out" ] && tail -n 15 "$work/hashcat.out" >&2
  echo "ratio:            not measured"
else
  printf 'hashcat -m 16500: %.2f M guesses/s (-a 3 -O, OpenCL on the CPU via pocl)\n' "$(awk -v r="$hc" 'BEGIN{print r/1e6}')"
  awk -v o="$ours" -v h="$hc" 'BEGIN { printf "ratio:            %.1fx hashcat (target >= 4x)\n", o / h }'
fi
if [ -n "$bound" ]; then
  awk -v o="$ours" -v b="$bound" 'BEGIN { printf "of the bound:     %.0f%%\n", 100 * o / b }'
fi
