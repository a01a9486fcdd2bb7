#!/usr/bin/env bash
# Installs what authprobe's labs and tests need on a fresh Debian machine:
# Debian's Python packages for the Flask labs (PyPI is not reachable), run with
# /usr/bin/python3. Idempotent: does nothing when everything is present.
set -euo pipefail

pkgs=(python3-flask python3-jwt python3-jose python3-authlib python3-flask-httpauth
      python3-flask-restful python3-python-flask-jwt-extended python3-cryptography python3-pydantic
      python3-fastapi python3-uvicorn chromium python3-yaml)
# Extra packages requested by callers (e.g. chromium for the HTML report test).
pkgs+=("$@")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
