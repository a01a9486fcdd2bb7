#!/usr/bin/env bash
# Starts one of the Flask labs in the foreground for a person to try:
#   scripts/lab.sh NAME [PORT]      e.g. scripts/lab.sh jwt 5000
# Without PORT a free loopback port is picked. Ctrl-C stops the lab.
# The lab's scan config is labs/NAME/authprobe.yaml:
#   authprobe scan http://127.0.0.1:PORT -c labs/NAME/authprobe.yaml
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python=/usr/bin/python3

usage() {
  echo "usage: scripts/lab.sh NAME [PORT]" >&2
  echo "labs: $(cd "$here/labs" && for d in */; do [ -f "$d/lab.yaml" ] && printf '%s ' "${d%/}"; done)" >&2
  exit 2
}

[ $# -ge 1 ] && [ $# -le 2 ] || usage
name="$1"
dir="$here/labs/$name"
[ -f "$dir/app.py" ] && [ -f "$dir/lab.yaml" ] || { echo "no lab named '$name'" >&2; usage; }
[ -x "$python" ] || { echo "$python not found: run scripts/install-deps.sh" >&2; exit 1; }

if [ $# -eq 2 ]; then
  port="$2"
  [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || { echo "bad port '$port'" >&2; exit 2; }
else
  port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
fi

echo "lab $name: http://127.0.0.1:$port   (config: labs/$name/authprobe.yaml; Ctrl-C stops)"
cd "$dir"
PORT="$port" PYTHONDONTWRITEBYTECODE=1 exec "$python" app.py
