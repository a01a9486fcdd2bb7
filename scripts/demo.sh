#!/usr/bin/env bash
# Starts the bundled vulnerable lab (labs/jwt) on a free loopback port, scans
# it with authprobe as a user would, prints the report, and stops the lab.
# The JSON result is written to demo-result.json.
set -euo pipefail
cd "$(dirname "$0")/.."
lab=${1:-jwt}
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "labs/$lab" && PORT=$port exec /usr/bin/python3 app.py) >"/tmp/authprobe-demo-$lab.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  if /usr/bin/python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/health', timeout=1)" 2>/dev/null; then
    break
  fi
  sleep 0.2
done
echo "lab $lab running at http://127.0.0.1:$port" >&2
# --rate 0: the lab is local; the default of 50 requests a second spares
# real targets and would only make the demo wait.
echo "+ bin/authprobe scan http://127.0.0.1:$port -c labs/$lab/authprobe.yaml -o demo-result.json --rate 0" >&2
set +e
bin/authprobe scan "http://127.0.0.1:$port" -c "labs/$lab/authprobe.yaml" -o demo-result.json --rate 0
code=$?
set -e
echo "authprobe exit code $code (1 = findings at or above --fail-on; see demo-result.json)" >&2
# Findings are the demo's point: exit 0 unless the scan itself failed.
[ "$code" -le 1 ]
