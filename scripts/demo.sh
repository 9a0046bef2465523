#!/usr/bin/env bash
# The main job on a temporary copy of the bundled Venom-shaped fixture: review, every codemod on a new
# branch (one commit each), the change report, and the fixture's pytest before and after.
# Never touches this repository. Usage: npm run demo [-- codemod ids...]
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$HERE/packages/cli/dist/main.js" ] || (cd "$HERE" && npx tsc -b)
[ -x "$HERE/.venv/bin/python" ] || bash "$HERE/scripts/setup-venv.sh"
WORK=$(mktemp -d /tmp/remodel-demo.XXXXXX)
cp -r "$HERE/fixtures/venom/." "$WORK/"
cd "$WORK"
git init -q -b main && git -c user.name=demo -c user.email=demo@example.invalid commit -qm "fixture" --allow-empty
git add -A && git -c user.name=demo -c user.email=demo@example.invalid commit -qm "Venom-shaped fixture"
REMODEL="node $HERE/packages/cli/dist/main.js"
if [ $# -gt 0 ]; then TARGETS=("$@"); else TARGETS=(--all); fi
echo "== remodel run on $WORK"
GIT_AUTHOR_NAME=remodel GIT_AUTHOR_EMAIL=remodel@example.invalid GIT_COMMITTER_NAME=remodel GIT_COMMITTER_EMAIL=remodel@example.invalid \
  $REMODEL run "${TARGETS[@]}" --root "$WORK" --branch remodel/przeglad-backend \
  --test-command "$HERE/.venv/bin/python -m pytest -q -p no:cacheprovider"
echo "== commits"
git log --oneline main..HEAD
echo "== diff summary"
git diff --stat main..HEAD | tail -n 25
echo "== report: $WORK/docs/_done/077_przeglad_backend_report.md"
