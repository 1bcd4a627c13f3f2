#!/usr/bin/env bash
# The HTTP and browser tests: installs playwright-core (npm, pinned by package-lock.json)
# when missing, makes the fixture files, starts `wenku serve` on a free loopback port with
# a fresh data folder, runs every *.test.mjs with node's test runner, and stops the server
# by its PID. Screenshots go to $ARTIFACTS (default build/e2e-artifacts).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD="${BUILD_DIR:-$ROOT/build}"
export ARTIFACTS="${ARTIFACTS:-$BUILD/e2e-artifacts}"

if [ ! -x /usr/bin/chromium ]; then
  echo "e2e: /usr/bin/chromium is missing (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi

WORK="$(mktemp -d "$BUILD/e2e.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$ARTIFACTS" "$WORK/fixtures"

# Fixtures: a PDF longer than the free preview, a Word document.
for i in $(seq 1 9); do
  echo "第${i}节 文档库端到端测试 Section ${i} of the end-to-end test"
  for j in $(seq 1 40); do
    echo "第${i}节第${j}行：免费预览、评论、下载与权限检查的测试文字。Line ${j} of section ${i}."
  done
done > "$WORK/fixtures/long.txt"
"$BUILD/make-sample-pdf" "$WORK/fixtures/long.txt" "$WORK/fixtures/复习资料.pdf"
python3 "$HERE/make_docx.py" "$WORK/fixtures/期末提纲.docx"
export FIXTURES="$WORK/fixtures"
export WENKU_BIN="$BUILD/wenku"  # render_pool.test.mjs starts a second server (no free preview)

# The server: 5 MB uploads so the size limit can be tested cheaply. Searches: every test
# file searches anonymously from 127.0.0.1, all within about a minute, so the per-visitor
# limit is set well above what they make together (~50); search_privacy.test.mjs reaches it
# with an account of its own (counted apart from the address) and reads it from here.
export WENKU_SEARCH_PER_MINUTE=150
# Every test connects from 127.0.0.1 (purchase_concurrency.test.mjs fires 1,000 requests at
# once): the per-address connection cap is lifted for the servers here, and
# connections.test.mjs tests it on a server of its own.
export WENKU_WEB_MAX_CONNECTIONS_PER_IP=0
WENKU_WEB_MAX_UPLOAD_MB=5 WENKU_WEB_REGISTRATIONS_PER_HOUR=1000 WENKU_INGEST_WORKERS=2 WENKU_OFFICE_PROCESSES=1 \
  WENKU_RENDER_THREADS=2 WENKU_RENDER_PER_VISITOR=2 \
  WENKU_SEARCH_PER_MINUTE="$WENKU_SEARCH_PER_MINUTE" "$BUILD/wenku" serve --data "$WORK/data" --listen 127.0.0.1:0 >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 300); do
  grep -q "^wenku: serving " "$WORK/server.out" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.err" >&2; exit 1; }
  sleep 0.1
done
WENKU_URL="$(sed -n 's/^wenku: serving \(http[^ ]*\)\/$/\1/p' "$WORK/server.out" | head -1)"
[ -n "$WENKU_URL" ] || { echo "e2e: the server did not start" >&2; cat "$WORK/server.err" >&2; exit 1; }
export WENKU_URL
echo "e2e: server at $WENKU_URL (pid $SERVER_PID)"

status=0
node --test --test-concurrency=1 "$HERE"/*.test.mjs || status=$?
if [ $status -ne 0 ]; then
  echo "e2e: server log:" >&2
  tail -50 "$WORK/data/logs/wenku.log" >&2 || true
fi
exit $status
