#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster for tests and local trials: initdb into a new temp
# folder (or the empty/absent folder given as $1), the server listening on 127.0.0.1 only,
# on a free port, trust authentication, durability off (fsync, synchronous_commit) — data
# here is disposable. initdb refuses to run as root, so as root the cluster belongs to the
# `postgres` OS user (runuser); as any other user it belongs to that user.
#
# Prints two lines on stdout: the connection URL (postgresql://postgres@127.0.0.1:PORT/postgres)
# and the cluster folder. Stop it and remove the folder with: scripts/stop-postgres.sh FOLDER
# Exit status non-zero with the reason on stderr when the cluster cannot start.
set -euo pipefail

BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$BIN/initdb" ]; then
  echo "start-postgres: $BIN/initdb not found: install postgresql-15 (scripts/install-deps.sh)" >&2
  exit 1
fi

DIR=${1:-}
if [ -z "$DIR" ]; then DIR=$(mktemp -d /tmp/wenku-pg.XXXXXX); else mkdir -p "$DIR"; fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$DIR"; fi
chmod 700 "$DIR"

# A free loopback port: bind port 0 and read what the kernel chose. Another process may take
# it before the server binds it; then pg_ctl fails and we try again with a new port.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

if ! as_owner "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
  --no-sync >"$DIR/initdb.log" 2>&1; then
  echo "start-postgres: initdb failed (log: $DIR/initdb.log):" >&2
  tail -n 5 "$DIR/initdb.log" >&2
  exit 1
fi

for attempt in 1 2 3; do
  PORT=$(free_port)
  if as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null 2>&1; then
    echo "postgresql://postgres@127.0.0.1:$PORT/postgres"
    echo "$DIR"
    exit 0
  fi
done
echo "start-postgres: the server did not start (log: $DIR/server.log):" >&2
tail -n 5 "$DIR/server.log" >&2 || true
exit 1
