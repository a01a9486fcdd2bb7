#!/usr/bin/env bash
# code-equiv.sh BEFORE AFTER DIR... : runs `authprobe code --format json` with
# two binaries on each DIR (with and without --include-tests) and fails when
# the results differ in anything but timing (started_at, stats.duration_ms).
# For changes that must not change what `code` reports (speed, memory).
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 BEFORE_BIN AFTER_BIN DIR..." >&2
  exit 2
fi
before=$1 after=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
strip() { jq -S 'del(.started_at, .stats.duration_ms)' "$1"; }
for dir in "$@"; do
  for tests in "" "--include-tests"; do
    for bin in before after; do
      b=$before
      [ "$bin" = after ] && b=$after
      "$b" code "$dir" $tests -q --format json -o "$tmp/$bin.json" --fail-on none 2>"$tmp/$bin.err" || true
      strip "$tmp/$bin.json" >"$tmp/$bin.norm" 2>/dev/null || echo "no JSON: $(cat "$tmp/$bin.err")" >"$tmp/$bin.norm"
    done
    if cmp -s "$tmp/before.norm" "$tmp/after.norm"; then
      echo "same   $dir $tests ($(jq '.endpoints | length' "$tmp/after.norm" 2>/dev/null) endpoints, $(jq '.findings | length' "$tmp/after.norm" 2>/dev/null) findings)"
    else
      echo "DIFFER $dir $tests"
      diff "$tmp/before.norm" "$tmp/after.norm" | head -20 || true # diff fails when they differ: go on to the next
      status=1
    fi
  done
done
exit $status
