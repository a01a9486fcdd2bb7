#!/bin/bash
# corpus-routes.sh — route measurement of `authprobe code` on the static
# corpus (corpus/flask-projects.tsv): per project, the route-like
# registrations the model saw and resolved, registrations a grep finds
# that the model never saw, and exact mode (--import with Debian's
# python3) where the project imports: rules Flask serves that the static
# model did not place. Every miss is listed with its reason.
#
#   SPLIT=tuning|held-out|all   which half (default tuning)
#   BATCH=1|2|3|4|5|6|7|all     which batch (default all: 1 to 6; the fresh
#                               batch 7 only when named; manifest column
#                               batch, 1 when empty)
#   CORPUS=DIR                  checkouts DIR/<owner>+<name> (default /work/corpus/flask)
#   OUT=DIR                     JSON results (default corpus-out/routes)
#   PYTHON=PATH                 interpreter for exact mode (default /usr/bin/python3)
#   ONLY=owner/name             one project
#   MANIFEST=FILE               the manifest (default corpus/flask-projects.tsv)
#
# Exact mode RUNS the projects' code (imports their apps); run it only on
# code you are willing to execute. Checkouts are made by corpus-static.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
SPLIT=${SPLIT:-tuning}
BATCH=${BATCH:-all}
while [[ $# -gt 0 ]]; do
  case $1 in
  --split) SPLIT=$2; shift 2 ;;
  --batch) BATCH=$2; shift 2 ;;
  --only) ONLY=$2; shift 2 ;;
  *) echo "usage: $0 [--split tuning|held-out|all] [--batch 1|2|3|4|5|6|7|all] [--only owner/name]" >&2; exit 2 ;;
  esac
done
CORPUS=${CORPUS:-/work/corpus/flask}
OUT=${OUT:-corpus-out/routes}
PYTHON=${PYTHON:-/usr/bin/python3}
BIN=${BIN:-bin/authprobe}
mkdir -p "$OUT"
[[ -x "$BIN" ]] || go build -o "$BIN" ./cmd/authprobe

tail -n +2 "${MANIFEST:-corpus/flask-projects.tsv}" | while IFS=$'\t' read -r repo commit split notes batch; do
  batch=${batch:-1}
  [[ "$SPLIT" == all || "$SPLIT" == "$split" ]] || continue
  [[ "$BATCH" == all || "$BATCH" == "$batch" ]] || continue
  # Batch 7 is fresh: it runs only when BATCH names it, never under "all".
  [[ "$batch" != 7 || "$BATCH" == 7 ]] || continue
  [[ -z "${ONLY:-}" || "$ONLY" == "$repo" ]] || continue
  dir="$CORPUS/${repo/\//+}"
  base="$OUT/${repo/\//+}"
  if [[ ! -d "$dir" ]]; then
    echo "{\"repo\": \"$repo\", \"split\": \"$split\", \"batch\": $batch, \"absent\": true}" >"$base.meta.json"
    continue
  fi
  "$BIN" code "$dir" --format json -q -o "$base.static.json" --fail-on none || true
  timeout 300 "$BIN" code "$dir" --import --python "$PYTHON" --format json -q -o "$base.exact.json" --fail-on none 2>/dev/null || true
  echo "{\"repo\": \"$repo\", \"split\": \"$split\", \"batch\": $batch, \"dir\": \"$dir\"}" >"$base.meta.json"
done
python3 scripts/corpus-routes-table.py "$OUT" "$SPLIT" "$BATCH"
