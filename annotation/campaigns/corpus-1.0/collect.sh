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
# The annotations on record are the ones that went through Label Studio (the product's campaign path):
#   wsw labelstudio serve --data-dir DATA --port 8090 --config CREDS
#   wsw labelstudio push --config CREDS --project "WhoSaidWhat corpus 1.0" --annotator-from-provenance corpus/annotations/pass-a corpus/annotations/pass-b
#   wsw labelstudio pull --config CREDS --project "WhoSaidWhat corpus 1.0" --out annotation/campaigns/corpus-1.0/labelstudio-pull
# then corpus/annotations/pass-{a,b}/ are replaced by the pulled documents of the wsw-ann-a*/wsw-ann-b* annotators
# (see annotation/campaigns/corpus-1.0/README.md).
