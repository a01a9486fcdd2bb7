#!/bin/bash
# corpus-static.sh — run `authprobe code` over the static corpus of real
# Flask projects listed in corpus/flask-projects.tsv (repo, commit, split,
# notes, batch) and print, per project: routes resolved/seen, medium+ and
# low/info findings, seconds and peak RSS; then totals per half and batch.
# `--split S` and `--batch N` may be given as arguments instead of SPLIT
# and BATCH.
#
#   SPLIT=tuning|held-out|all   which half to run (default tuning)
#   BATCH=1|2|3|4|5|6|7|all     which batch (default all: 1 to 6; the fresh
#                               batch 7 only when named; the manifest's
#                               batch column, 1 when empty)
#   CORPUS=DIR                  checkouts, one per project: DIR/<owner>+<name>
#                               (default /work/corpus/flask)
#   MIRROR=DIR                  bare snapshots DIR/<owner>+<name>/repo to
#                               check out from when a checkout is missing
#   OUT=DIR                     JSON results (default corpus-out/static)
#   ONLY=owner/name             run one project
#
# A missing checkout is made from MIRROR when it holds the project, else
# with `git fetch` of the pinned commit from GitHub when a network is there;
# otherwise the project is listed as "absent" and skipped. Project code is
# never copied into this repository.
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
MIRROR=${MIRROR:-/work/.mirror}
OUT=${OUT:-corpus-out/static}
BIN=${BIN:-bin/authprobe}
mkdir -p "$OUT" "$CORPUS"
[[ -x "$BIN" ]] || go build -o "$BIN" ./cmd/authprobe

# extract GITDIR COMMIT DIR: every blob the snapshot holds at COMMIT (large
# blobs a snapshot lacks are skipped; the analyser reads only text).
extract() {
  local g=$1 c=$2 out=$3
  mkdir -p "$out.part"
  git --git-dir="$g" ls-tree -r --full-tree --name-only -z "$c" |
    while IFS= read -r -d '' p; do
      if git --git-dir="$g" cat-file -e "$c:$p" 2>/dev/null && [[ "$(git --git-dir="$g" cat-file -t "$c:$p")" == blob ]]; then
        mkdir -p "$out.part/$(dirname "$p")"
        git --git-dir="$g" cat-file blob "$c:$p" >"$out.part/$p"
      fi
    done
  mv "$out.part" "$out"
}

checkout() {
  local repo=$1 commit=$2 dir=$3 g
  [[ -d "$dir" ]] && return 0
  g="$MIRROR/${repo/\//+}/repo"
  [[ -d "$g/.git" ]] && g="$g/.git"
  if [[ -d "$g" ]] && git --git-dir="$g" cat-file -e "$commit^{commit}" 2>/dev/null; then
    extract "$g" "$commit" "$dir"
    return 0
  fi
  rm -rf "$dir.part"
  if git init -q "$dir.part" &&
    git -C "$dir.part" fetch -q --depth 1 "https://github.com/$repo" "$commit" 2>/dev/null &&
    git -C "$dir.part" checkout -q FETCH_HEAD; then
    rm -rf "$dir.part/.git"
    mv "$dir.part" "$dir"
    return 0
  fi
  rm -rf "$dir.part"
  return 1
}

printf '%-44s %-8s %5s %9s %6s %4s %4s %4s %4s %7s %7s\n' project split batch routes lines crit high med low secs rss_mb
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
tail -n +2 corpus/flask-projects.tsv | while IFS=$'\t' read -r repo commit split notes batch; do
  batch=${batch:-1}
  [[ "$SPLIT" == all || "$SPLIT" == "$split" ]] || continue
  [[ "$BATCH" == all || "$BATCH" == "$batch" ]] || continue
  # Batch 7 is fresh: it runs only when BATCH names it, never under "all".
  [[ "$batch" != 7 || "$BATCH" == 7 ]] || continue
  [[ -z "${ONLY:-}" || "$ONLY" == "$repo" ]] || continue
  dir="$CORPUS/${repo/\//+}"
  if ! checkout "$repo" "$commit" "$dir"; then
    printf '%-44s %-8s %5s absent (no checkout, no mirror, no network)\n' "$repo" "$split" "$batch"
    continue
  fi
  json="$OUT/${repo/\//+}.json"
  rc=0
  /usr/bin/time -f '%e %M' -o "$OUT/.time" "$BIN" code "$dir" --format json -q -o "$json" --fail-on none || rc=$?
  read -r secs rss <"$OUT/.time"
  if [[ $rc -ne 0 ]]; then
    printf '%-44s %-8s %5s error (exit %d)\n' "$repo" "$split" "$batch" "$rc"
    continue
  fi
  python3 - "$json" "$repo" "$split" "$secs" "$rss" "$batch" <<'PY'
import json, sys
path, repo, split, secs, rss, batch = sys.argv[1:]
d = json.load(open(path))
diag = d.get("diagnostics") or {}
sev = {}
for f in d.get("findings") or []:
    sev[f["severity"]] = sev.get(f["severity"], 0) + 1
routes = f'{diag.get("routes_resolved", 0)}/{diag.get("routes_seen", 0)}'
lines = d.get("stats", {}).get("lines", 0)
print(f'{repo:<44} {split:<8} {batch:>5} {routes:>9} {lines//1000:>5}k {sev.get("critical",0):>4} {sev.get("high",0):>4} {sev.get("medium",0):>4} {sev.get("low",0):>4} {float(secs):>7.2f} {int(rss)//1024:>7}')
PY
done | tee "$rows"
# Totals per half and batch, then overall: routes resolved/seen, medium+
# findings, lines, seconds, peak RSS.
awk '$4 ~ /^[0-9]+\/[0-9]+$/ {
  k = $2 " batch " $3; if (!(k in n)) keys[++nk] = k
  split($4, r, "/"); res[k] += r[1]; seen[k] += r[2]; medp[k] += $6 + $7 + $8; n[k]++
  lines[k] += $5; secs[k] += $10; if ($11 > rss[k]) rss[k] = $11
} END {
  for (i = 1; i <= nk; i++) {
    k = keys[i]
    printf "total %s: %d projects, routes %d/%d, medium+ %d, %dk lines, %.1f s, peak RSS %d MB\n", k, n[k], res[k], seen[k], medp[k], lines[k], secs[k], rss[k]
    N += n[k]; R += res[k]; S += seen[k]; M += medp[k]; L += lines[k]; T += secs[k]; if (rss[k] > P) P = rss[k]
  }
  if (nk > 1) printf "total: %d projects, routes %d/%d, medium+ %d, %dk lines, %.1f s, peak RSS %d MB\n", N, R, S, M, L, T, P
}' "$rows"
