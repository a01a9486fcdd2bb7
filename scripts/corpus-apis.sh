#!/bin/sh
# Scan the API corpus (corpus/apis/*.yaml) and score authprobe against each
# target's ground truth. Needs the pinned checkouts under
# $AUTHPROBE_API_CORPUS (default /work/corpus/apis; corpus/apis/README.md
# says how to make them) and Debian's python3 with python3-yaml.
#
#   scripts/corpus-apis.sh                    # tuning half
#   scripts/corpus-apis.sh --split held-out   # the other half (measure once)
#   scripts/corpus-apis.sh --only vampi --keep
set -eu
cd "$(dirname "$0")/.."
go build -o bin/authprobe ./cmd/authprobe
exec /usr/bin/python3 scripts/corpus_apis.py "$@"
