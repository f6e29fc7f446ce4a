#!/usr/bin/env bash
# A bounded schemathesis run over duban's OpenAPI (/docs/json): starts the system as `npm start` does, on
# a throwaway data folder and free ports, with the sample tasks started, and fails on any 5xx or any
# answer that does not match its documented schema. Needs `npm run build` first; schemathesis comes from
# PyPI into a git-ignored venv, once.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="4.32.5"
VENV="${DUBAN_CACHE_DIR:-$ROOT/.cache}/schemathesis/venv"
MAX_TIME="${API_FUZZ_SECONDS:-120}"
log() { echo "[api-fuzz] $*" >&2; }

if [ ! -x "$VENV/bin/schemathesis" ] || ! "$VENV/bin/schemathesis" --version | grep -q "$VERSION"; then
  log "installing schemathesis==$VERSION from PyPI into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --disable-pip-version-check --quiet "schemathesis==$VERSION"
fi

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
DATA="$(mktemp -d)"
HTTP_PORT="$(free_port)"; TEMPORAL_PORT="$(free_port)"; UI_PORT="$(free_port)"
export DUBAN_DATA_DIR="$DATA" DUBAN_HTTP_PORT="$HTTP_PORT" DUBAN_TEMPORAL_PORT="$TEMPORAL_PORT" \
  DUBAN_TEMPORAL_UI_PORT="$UI_PORT"
node "$ROOT/dist/app/main.js" >"$DATA/app.log" 2>&1 &
APP=$!
cleanup() { kill "$APP" 2>/dev/null || true; wait "$APP" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT

for _ in $(seq 1 120); do
  grep -q '^\[duban\] ready' "$DATA/app.log" && break
  kill -0 "$APP" 2>/dev/null || { cat "$DATA/app.log" >&2; log "duban did not start"; exit 1; }
  sleep 1
done
grep -q '^\[duban\] ready' "$DATA/app.log" || { cat "$DATA/app.log" >&2; log "duban not ready in 120 s"; exit 1; }
TOKEN="$(grep -o 'dbn_[A-Za-z0-9_-]*' "$DATA/app.log" | head -1)"
(cd "$ROOT" && node bin/duban.js task start --file examples/taierzhuang-tasks.yaml >/dev/null)
log "duban on 127.0.0.1:$HTTP_PORT; fuzzing for up to $MAX_TIME s"

# Run from the throwaway folder: schemathesis keeps its cache in the working directory. Its '=== … ===' framed
# lines are pytest's shape (a log reader takes "3 warnings in 120s" for a run of no test), so they are printed
# unframed, and the run ends on one plain line of generated test cases passed and failed.
cd "$DATA"
set +e
"$VENV/bin/schemathesis" run "http://127.0.0.1:$HTTP_PORT/docs/json" \
  -H "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,response_schema_conformance,content_type_conformance \
  --phases examples,fuzzing --max-time "$MAX_TIME" --workers 2 --no-color 2>&1 |
  tee "$DATA/fuzz.out" | sed -E -e 's/^=+ (.*[^= ]) =+$/schemathesis — \1/' -e 's/ in ([0-9.]+)s$/ (\1 s)/'
RC=${PIPESTATUS[0]}
set -e
CASES="$(grep -A1 '^Test cases:' "$DATA/fuzz.out" | tail -1 || true)"
PASSED="$(grep -oE '[0-9]+ passed' <<<"$CASES" | grep -oE '[0-9]+' || echo 0)"
FAILED="$(grep -oE '[0-9]+ failed' <<<"$CASES" | grep -oE '[0-9]+' || echo 0)"
if [ "$RC" -ne 0 ] && [ "$FAILED" -eq 0 ]; then FAILED=1; fi
printf '\nfuzz: %d passed, %d failed\n' "$PASSED" "$FAILED"
exit "$RC"
