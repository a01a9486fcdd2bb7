#!/usr/bin/env bash
# Runs `authprobe code` then `authprobe fix` on each project of
# corpus/fix-projects.tsv (pinned by commit) and prints the fix summary.
# Checkouts live outside the repository, in $CORPUS_DIR/<owner>+<name>
# (default /work/corpus/fix); a missing one is cloned at its commit, which
# needs network access. Nothing is written into the checkouts. Installs the
# Debian packages the projects' tests need (redis-server among them).
#   scripts/corpus-fix.sh            (make corpus-fix)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${CORPUS_DIR:-/work/corpus/fix}"
out="${OUT_DIR:-$here/bin/corpus-fix}"
bin="$here/bin/authprobe"
mkdir -p "$out" "$corpus"
# The projects' own tests (--test-cmd) run from Debian packages: pytest, the
# Flask extensions they import, and redis-server for the one whose tests
# start a Redis (nirbelelti/python-secure-flask-api-jwt-demo).
"$here/scripts/install-deps.sh" python3-pytest python3-flask-sqlalchemy python3-redis redis-server
(cd "$here" && go build -o "$bin" ./cmd/authprobe)

tail -n +2 "$here/corpus/fix-projects.tsv" | while IFS=$'\t' read -r repo commit split weakness tests test_cmd; do
  dir="$corpus/${repo/\//+}"
  if [ ! -d "$dir" ]; then
    git clone --quiet "https://github.com/$repo" "$dir"
    git -C "$dir" checkout --quiet "$commit"
  elif [ -d "$dir/.git" ] && [ "$(git -C "$dir" rev-parse HEAD)" != "$commit" ]; then
    echo "$dir is not at $commit" >&2; exit 1
  fi
  name="${repo/\//+}"
  echo "== $repo ($split): $weakness"
  "$bin" code "$dir" --fail-on none -q -o "$out/$name.code.json"
  args=(fix "$out/$name.code.json" --source "$dir" -o "$out/$name.patch" -o "$out/$name.fix.json" -o "$out/$name.fix.md")
  [ -n "$test_cmd" ] && args+=(--test-cmd "$test_cmd")
  (cd "$out" && "$bin" "${args[@]}") || true
done
