#!/usr/bin/env bash
# The GitHub Action's main step (action.yml): runs `authprobe scan` or
# `authprobe code`, writes the JSON result and SARIF, and writes the pull
# request comment (the diff against a baseline, the retest of an earlier
# result). It always exits 0 after a run so that the SARIF upload and the
# comment happen; the action's last step fails with the scan's exit code.
# Inputs come as AP_* environment variables, never spliced into the script.
# Outputs (exit-code, result, sarif, comment) go to $GITHUB_OUTPUT.
set -uo pipefail

bin=${AP_BIN:-authprobe}
out=${AP_OUTPUT_DIR:-authprobe-results}
command=${AP_COMMAND:-scan}
mkdir -p "$out"
result="$out/result.json"
sarif="$out/authprobe.sarif"
comment="$out/comment.md"
output=${GITHUB_OUTPUT:-/dev/null}

extra=()
if [ -n "${AP_ARGS:-}" ]; then
  read -r -a extra <<<"$AP_ARGS"
fi

case "$command" in
scan)
  args=(scan)
  if [ -n "${AP_TARGETS:-}" ]; then
    args+=(--targets "$AP_TARGETS" -o "$out/targets/" --target-formats sarif)
  elif [ -n "${AP_TARGET:-}" ]; then
    args+=("$AP_TARGET" -o "$result" -o "$sarif")
  else
    echo "::error::authprobe: scan needs the target or targets input"
    echo "exit-code=2" >>"$output"
    exit 0
  fi
  [ -n "${AP_CONFIG:-}" ] && args+=(-c "$AP_CONFIG")
  [ -n "${AP_SOURCE:-}" ] && args+=(--source "$AP_SOURCE")
  ;;
code)
  args=(code "${AP_SOURCE:-.}" -o "$result" -o "$sarif")
  ;;
*)
  echo "::error::authprobe: command must be scan or code, not '$command'"
  echo "exit-code=2" >>"$output"
  exit 0
  ;;
esac
args+=(--fail-on "${AP_FAIL_ON:-high}" --quiet "${extra[@]}")

echo "authprobe ${args[*]}"
"$bin" "${args[@]}"
code=$?

if [ -n "${AP_TARGETS:-}" ]; then
  # Many targets: one SARIF (a run per target) and one JSON from them.
  result="$out/merged.json"
  "$bin" merge "$out/targets/" -o "$sarif" -o "$result" -o "$out/authprobe.html" --fail-on none --quiet || true
fi

{
  echo "## authprobe $command"
  echo
  case $code in
  0) echo "Nothing at or above \`${AP_FAIL_ON:-high}\`." ;;
  1) echo "**Findings at or above \`${AP_FAIL_ON:-high}\`** (exit 1)." ;;
  *) echo "**Could not complete** (exit $code): see the job log." ;;
  esac
  if [ -n "${AP_BASELINE:-}" ] && [ -f "$result" ] && [ -z "${AP_TARGETS:-}" ]; then
    echo
    "$bin" diff "$AP_BASELINE" "$result" --format md --fail-on none || echo "_diff against the baseline failed_"
  fi
  if [ -n "${AP_RETEST:-}" ]; then
    echo
    echo "### authprobe retest"
    echo
    echo '```'
    "$bin" retest "$AP_RETEST" --fail-on none 2>&1 || true
    echo '```'
  fi
} >"$comment"

{
  echo "exit-code=$code"
  [ -f "$result" ] && echo "result=$result"
  [ -f "$sarif" ] && echo "sarif=$sarif"
  echo "comment=$comment"
} >>"$output"
exit 0
