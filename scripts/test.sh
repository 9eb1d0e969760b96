#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh machine, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test --label-studio
# static checks first: lint and types must pass before the tests run (config in pyproject.toml)
.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/mypy
export WSW_LABEL_STUDIO_BIN="${WSW_LABEL_STUDIO_BIN:-$(cat .venv/label-studio-bin)}"
# nothing may reach a hub at test time
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1
exec .venv/bin/python -m pytest "$@"
