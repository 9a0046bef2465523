#!/usr/bin/env bash
# Creates .venv with what the Python fixtures' tests need (fixtures/*/requirements.txt), offline:
# pip resolves from the machine's local wheel store; --retries 0 skips the unreachable public index fast.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${REMODEL_VENV:-.venv}
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
for req in fixtures/*/requirements.txt; do
  [ -f "$req" ] || continue
  "$VENV/bin/pip" install -q --retries 0 -r "$req"
done
"$VENV/bin/python" -c 'import pytest' || { echo "setup-venv: pytest missing from the fixture requirements" >&2; exit 1; }
echo "venv ready: $VENV"
