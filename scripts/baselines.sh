#!/usr/bin/env bash
# Regenerate every baseline result in eval/baselines/ and the README's baseline table:
#   rules:   rebuild its gazetteer from the train split, predict validation and test, score;
#   trained: train on the train split (fixed seed), predict validation and test, score;
#   then the system cards and the README table.
# Everything is built in a temporary folder first and moved into place only when all of it
# succeeded, so a failure (a corpus file being rewritten, a bad split) leaves the old results.
# Usage: bash scripts/baselines.sh [CORPUS]   (default: corpus; WSW_VENV=path picks another venv than .venv)
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS="${1:-corpus}"
VENV="${WSW_VENV:-.venv}"   # another environment with whosaidwhat installed, if wanted
[ -x "$VENV/bin/wsw" ] || bash scripts/setup.sh
WSW="$VENV/bin/wsw"
PY="$VENV/bin/python"
export PYTHONHASHSEED=0 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

mkdir -p eval/baselines
TMP="$(mktemp -d eval/baselines/.regenerating.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/rules" "$TMP/trained"

echo "baselines: corpus $CORPUS" >&2
"$WSW" stats "$CORPUS" --format json --no-documents > /dev/null   # fails early on an unreadable corpus

echo "baselines: rules: gazetteer from the train split" >&2
"$WSW" train --system rules --corpus "$CORPUS" --out "$TMP/rules/gazetteer.json" --format json > "$TMP/rules/train.json"
echo "baselines: trained: training on the train split" >&2
"$WSW" train --system trained --corpus "$CORPUS" --out "$TMP/trained/model" --format json > "$TMP/trained/train.json"

for system in rules trained; do
  if [ "$system" = rules ]; then option="gazetteer=$TMP/rules/gazetteer.json"; else option="model=$TMP/trained/model"; fi
  for split in validation test; do
    echo "baselines: $system: predicting and scoring $split" >&2
    "$WSW" predict --system "$system" --option "$option" "$CORPUS" --split "$split" \
      --out "$TMP/$system/$split.jsonl" --no-progress
    "$WSW" score --gold "$CORPUS" --pred "$TMP/$system/$split.jsonl" --split "$split" --format json \
      --out "$TMP/$system/scores-$split.json" > /dev/null
  done
done

# into place: the gazetteer into the package (the rules system reads it from there), the rest into eval/baselines/
"$PY" -m whosaidwhat.systems.baselines finalize "$TMP" eval/baselines
cp "$TMP/rules/gazetteer.json" src/whosaidwhat/systems/data/gazetteer.json
rm -f "$TMP/rules/gazetteer.json"
for system in rules trained; do
  rm -rf "eval/baselines/$system.old"
  [ -d "eval/baselines/$system" ] && mv "eval/baselines/$system" "eval/baselines/$system.old"
  mv "$TMP/$system" "eval/baselines/$system"
  rm -rf "eval/baselines/$system.old"
done
"$PY" -m whosaidwhat.systems.baselines cards eval/baselines
"$PY" -m whosaidwhat.systems.baselines readme eval/baselines README.md
echo "baselines: done; eval/baselines/*/card.json and the README table are up to date" >&2
"$PY" -m whosaidwhat.systems.baselines table eval/baselines
