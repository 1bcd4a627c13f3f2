#!/usr/bin/env bash
# start-xapian.sh DIR — starts the search service for several nodes: `xapian-tcpsrv --writable`
# serving the Xapian index DIR/index (created empty when missing) on a free 127.0.0.1 port.
#
# Contract: when the server accepts connections, prints on stdout, one per line:
#   url=tcp://127.0.0.1:PORT     (the `search.remote` setting)
#   pid=PID
#   seconds=N                    (how long it took to be ready)
# and exits 0; the server keeps running, its PID in DIR/tcpsrv.pid, its log in DIR/tcpsrv.log.
# Stop it with: scripts/start-xapian.sh --stop DIR (kills that PID — TERM, then KILL after
# 5 s — and removes the PID file; the index stays: it is data). On failure it prints the
# reason on stderr (with the server's log) and exits 1, leaving nothing running.
# XAPIAN_PORT=N picks the port instead of a free one; XAPIAN_INTERFACE=ADDR the address
# (default 127.0.0.1: the service has no authentication — expose it only to Wenku's nodes).
#
# The server forks a process per connection: reads run side by side; one writer at a time
# (a second gets DatabaseLockError and Wenku retries it). Its idle timeout (60 s) closes
# unused connections; Wenku reconnects. See src/search/index.hpp.
# Needs: xapian-tools (scripts/install-deps.sh), python3.
set -euo pipefail

stop() {
  local d=$1
  [ -f "$d/tcpsrv.pid" ] || return 0
  local p
  p=$(cat "$d/tcpsrv.pid")
  if [ -n "$p" ] && kill "$p" 2>/dev/null; then
    for _ in $(seq 1 50); do
      kill -0 "$p" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$p" 2>/dev/null || true
  fi
  rm -f "$d/tcpsrv.pid"
}

if [ "${1:-}" = "--stop" ]; then
  stop "$(realpath -m "${2:?usage: start-xapian.sh --stop DIR}")"
  exit 0
fi

D=${1:?usage: start-xapian.sh DIR | start-xapian.sh --stop DIR}
D=$(realpath -m "$D")
START=$(date +%s.%N)
IFACE=${XAPIAN_INTERFACE:-127.0.0.1}

fail() {
  echo "start-xapian: $1" >&2
  if [ -f "$D/tcpsrv.log" ]; then
    echo "--- last lines of $D/tcpsrv.log:" >&2
    tail -n 15 "$D/tcpsrv.log" >&2
  fi
  stop "$D"
  exit 1
}

command -v xapian-tcpsrv >/dev/null || fail "xapian-tcpsrv is not installed (run scripts/install-deps.sh)"
command -v python3 >/dev/null || fail "python3 is not installed"
if [ -f "$D/tcpsrv.pid" ] && kill -0 "$(cat "$D/tcpsrv.pid")" 2>/dev/null; then
  echo "start-xapian: a server is already running for $D (pid $(cat "$D/tcpsrv.pid")); stop it with --stop" >&2
  exit 1
fi
mkdir -p "$D"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
listening() {
  python3 -c 'import socket,sys; s=socket.create_connection((sys.argv[1], int(sys.argv[2])), 1)' \
    "$1" "$2" 2>/dev/null
}

# A free port can be taken between choosing it and binding it: try a few.
for attempt in 1 2 3 4 5; do
  PORT=${XAPIAN_PORT:-$(free_port)}
  # Its own session, stdin/stdout away from ours: the caller's pipes close when we exit.
  setsid xapian-tcpsrv --writable --quiet --interface "$IFACE" --port "$PORT" "$D/index" \
    </dev/null >"$D/tcpsrv.log" 2>&1 &
  PID=$!
  echo "$PID" >"$D/tcpsrv.pid"
  for _ in $(seq 1 100); do
    kill -0 "$PID" 2>/dev/null || break
    # Ours only if it is still alive a moment after the port answered (another program
    # may hold the port: then the server exits with "Address already in use").
    if listening "$IFACE" "$PORT" && sleep 0.3 && kill -0 "$PID" 2>/dev/null; then
      # The first connection created the index when it was missing.
      echo "url=tcp://$IFACE:$PORT"
      echo "pid=$PID"
      echo "seconds=$(python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 2))" "$START" "$(date +%s.%N)")"
      exit 0
    fi
    sleep 0.1
  done
  if kill -0 "$PID" 2>/dev/null; then fail "xapian-tcpsrv did not accept connections on port $PORT within 10 s"; fi
  rm -f "$D/tcpsrv.pid"
  [ -n "${XAPIAN_PORT:-}" ] && break
done
fail "xapian-tcpsrv exited at start (port ${PORT} in use?)"
