#!/usr/bin/env bash
# Set up WhoSaidWhat on a fresh machine: the project venv (.venv) and, with --label-studio,
# a separate venv holding the Label Studio server the campaign tests start.
# Idempotent: re-running only installs what is missing or changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
WITH_TEST=0
WITH_LS=0
for arg in "$@"; do
  case "$arg" in
    --test) WITH_TEST=1 ;;
    --label-studio) WITH_LS=1 ;;
    *) echo "setup.sh: unknown option $arg (expected --test, --label-studio)" >&2; exit 2 ;;
  esac
done

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PYTHON --version)" >&2
  "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi
extras=""
[ "$WITH_TEST" = 1 ] && extras="[test]"
echo "setup: installing whosaidwhat${extras} into .venv" >&2
.venv/bin/python -m pip install -q -e ".${extras}"

if [ "$WITH_LS" = 1 ]; then
  LS_VERSION="1.23.2"
  LS_HOME="${WSW_LABEL_STUDIO_HOME:-$HOME/.cache/whosaidwhat/label-studio-$LS_VERSION}"
  if [ ! -x "$LS_HOME/bin/label-studio" ]; then
    echo "setup: installing label-studio==$LS_VERSION into its own venv $LS_HOME (it pins old pyarrow/Django)" >&2
    "$PYTHON" -m venv "$LS_HOME"
    "$LS_HOME/bin/python" -m pip install -q --upgrade pip
    "$LS_HOME/bin/python" -m pip install -q "label-studio==$LS_VERSION"
  fi
  echo "$LS_HOME/bin/label-studio" > .venv/label-studio-bin
fi
