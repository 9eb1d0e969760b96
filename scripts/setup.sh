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

if [ "$WITH_TEST" = 1 ] && [ -z "${WSW_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  # the leaderboard tests open the generated pages in a real headless browser (Debian's chromium);
  # without it those tests fail rather than skip
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" = none ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: warning: chromium is missing and cannot be installed here (needs apt-get and root or sudo);" \
         "install it (Debian: apt-get install chromium) or set WSW_CHROMIUM, else the browser tests fail" >&2
  else
    echo "setup: installing chromium (Debian package) for the leaderboard browser tests" >&2
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi

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
