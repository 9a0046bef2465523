#!/usr/bin/env bash
# Creates .venv with what the Python fixtures' tests need (fixtures/*/requirements.txt), offline:
# pip resolves from the machine's local wheel store; --retries 0 skips the unreachable public index fast.
# Idempotent and quick when nothing changed (a stamp records the requirements it was built from).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${REMODEL_VENV:-.venv}
STAMP="$VENV/.remodel-requirements"
WANT=$(cat fixtures/*/requirements.txt | sha256sum | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ]; then exit 0; fi
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
for req in fixtures/*/requirements.txt; do
  [ -f "$req" ] || continue
  "$VENV/bin/pip" install -q --retries 0 -r "$req"
done
"$VENV/bin/python" -c 'import pytest' || { echo "setup-venv: pytest missing from the fixture requirements" >&2; exit 1; }
echo "$WANT" > "$STAMP"
echo "venv ready: $VENV"
