#!/usr/bin/env bash
# Collect the annotators' sheets from their isolated workspaces into the repository (raw, unchanged) and
# convert them into one canonical document per (document, annotator pass) with `wsw sheets`.
# Usage: bash annotation/campaigns/corpus-1.0/collect.sh WORKSPACE_ROOT   (e.g. /work/annot)
set -euo pipefail
cd "$(dirname "$0")/../../.."
root="${1:?usage: collect.sh WORKSPACE_ROOT (folder of wsw-ann-*/out/*.json)}"
campaign=annotation/campaigns/corpus-1.0
for ws in "$root"/wsw-ann-*/; do
  annotator=$(basename "$ws")
  ls "$ws"out/*.json >/dev/null 2>&1 || continue
  pass="pass-${annotator#wsw-ann-}"; pass="${pass:0:6}"          # wsw-ann-a03 -> pass-a
  mkdir -p "$campaign/sheets/$annotator"
  cp "$ws"out/*.json "$campaign/sheets/$annotator/"
  .venv/bin/wsw sheets "$campaign/sheets/$annotator" --out "corpus/annotations/$pass" \
    --workspace "isolated folder $annotator/ holding only texts/<doc_id>.txt and GUIDELINES.md 1.1"
done
