#!/usr/bin/env bash
# Set up the project and run the main job on the bundled corpus:
# validate every document, then print the per-document and per-split summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/wsw validate corpus/
.venv/bin/wsw stats corpus/
